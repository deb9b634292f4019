package chat.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A write connection's statements by their SQL, each compiled once and kept open with the
 * connection (they close with it). For fixed texts and bucketed row counts only: the number of
 * distinct texts must stay small. Used by the one thread that owns the connection.
 */
final class WriterStatements {

    private final Connection db;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();

    WriterStatements(Connection db) {
        this.db = db;
    }

    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement st = bySql.get(sql);
        if (st == null) {
            st = db.prepareStatement(sql);
            bySql.put(sql, st);
        }
        return st;
    }
}
