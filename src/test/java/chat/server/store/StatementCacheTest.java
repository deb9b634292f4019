package chat.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** The readers' statement cache on a real SQLite database in WAL mode, beside a real writer. */
class StatementCacheTest {

    private static final String COUNT = "SELECT n FROM numbers WHERE n >= ? ORDER BY n";

    @TempDir
    Path dir;

    private Connection writer;
    private Connection reader;

    @BeforeEach
    void open() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("cache.db");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        writer = config.createConnection(url);
        try (Statement st = writer.createStatement()) {
            st.execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY)");
            st.execute("INSERT INTO numbers VALUES (1), (2), (3)");
        }
        reader = StatementCache.wrap(config.createConnection(url));
    }

    @AfterEach
    void close() throws SQLException {
        reader.close();
        writer.close();
    }

    @Test
    void theSameSqlGetsTheStatementItGaveBack() throws SQLException {
        PreparedStatement first = reader.prepareStatement(COUNT);
        first.setLong(1, 2);
        assertThat(rows(first)).isEqualTo(2);
        first.close();
        assertThat(first.isClosed()).isTrue(); // to its user it is closed

        PreparedStatement again = reader.prepareStatement(COUNT);
        assertThat(again).isSameAs(first).isEqualTo(first);
        assertThat(reader).isEqualTo(reader);
        again.setLong(1, 1);
        assertThat(rows(again)).isEqualTo(3);
        again.close();
    }

    @Test
    void aStatementGivenBackHalfReadHoldsNoSnapshot() throws SQLException {
        PreparedStatement st = reader.prepareStatement(COUNT);
        st.setLong(1, 1);
        ResultSet rs = st.executeQuery();
        assertThat(rs.next()).isTrue(); // one row of three read, the result set left open
        st.close();

        try (Statement w = writer.createStatement()) {
            w.execute("INSERT INTO numbers VALUES (4)");
            // TRUNCATE empties the WAL only if no reader still holds a snapshot in it
            try (ResultSet cp = w.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(cp.next()).isTrue();
                assertThat(cp.getInt(1)).as("checkpoint blocked by a reader").isZero();
            }
        }
        try (PreparedStatement again = reader.prepareStatement(COUNT)) {
            again.setLong(1, 1);
            assertThat(rows(again)).isEqualTo(4); // the write is seen: no stale snapshot
        }
    }

    @Test
    void aNestedUseOfTheSameSqlGetsItsOwnStatement() throws SQLException {
        try (PreparedStatement outer = reader.prepareStatement(COUNT)) {
            outer.setLong(1, 1);
            try (ResultSet rs = outer.executeQuery()) {
                int seen = 0;
                while (rs.next()) {
                    seen++;
                    try (PreparedStatement inner = reader.prepareStatement(COUNT)) {
                        assertThat(inner).isNotSameAs(outer);
                        inner.setLong(1, rs.getLong(1));
                        assertThat(rows(inner)).isEqualTo(4 - rs.getLong(1));
                    }
                }
                assertThat(seen).isEqualTo(3); // the outer iteration was not disturbed
            }
        }
    }

    @Test
    void keepsAtMostItsSizeLeastRecentlyUsedOutFirst() throws SQLException {
        PreparedStatement first = reader.prepareStatement(COUNT);
        first.close();
        for (int i = 0; i < StatementCache.SIZE; i++) {
            reader.prepareStatement("SELECT " + i).close();
        }
        PreparedStatement again = reader.prepareStatement(COUNT);
        assertThat(again).isNotSameAs(first);
        again.setLong(1, 3);
        assertThat(rows(again)).isEqualTo(1);
        again.close();
    }

    private static long rows(PreparedStatement st) throws SQLException {
        long n = 0;
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }
}
