package chat.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Accounts and reconnect tokens. Methods named for reading use the read pool; the others write and
 * must run on the store-writer thread, each in its own small transaction.
 */
public final class UserStore {

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    /** Writer thread. False if the name is taken. */
    public boolean insertUser(String username, String passwordHash, long now) {
        return write("INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                username, passwordHash, now) > 0;
    }

    /** Writer thread. */
    public void updatePasswordHash(String username, String passwordHash) {
        write("UPDATE users SET password_hash = ? WHERE username = ?", passwordHash, username);
    }

    /** Writer thread. Also drops this user's expired tokens, so the table does not grow forever. */
    public void insertToken(String tokenHash, String username, long now, long expiresAt) {
        write(new String[] {"DELETE FROM tokens WHERE username = ? AND expires_at <= ?",
                        "INSERT INTO tokens (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)"},
                new Object[][] {{username, now}, {tokenHash, username, now, expiresAt}});
    }

    /** Writer thread. */
    public void deleteToken(String tokenHash) {
        write("DELETE FROM tokens WHERE token_hash = ?", tokenHash);
    }

    /** Read pool. The stored hash, or null for an unknown user. */
    public String readPasswordHash(String username) {
        return readString("SELECT password_hash FROM users WHERE username = ?", username);
    }

    /** Read pool. The owner of an unexpired token, or null. */
    public String readTokenOwner(String tokenHash, long now) {
        return readString("SELECT username FROM tokens WHERE token_hash = ? AND expires_at > ?", tokenHash, now);
    }

    private int write(String sql, Object... args) {
        return write(new String[] {sql}, new Object[][] {args});
    }

    /** The statements in one transaction; the count of rows the last one changed. */
    private int write(String[] statements, Object[][] args) {
        Connection c = db.writer();
        try {
            int n = 0;
            for (int i = 0; i < statements.length; i++) {
                try (PreparedStatement st = c.prepareStatement(statements[i])) {
                    bind(st, args[i]);
                    n = st.executeUpdate();
                }
            }
            c.commit();
            return n;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // broken connection: reported below
            }
            throw new StoreUnavailable("account write failed: " + e.getMessage(), e);
        }
    }

    private String readString(String sql, Object... args) {
        try (Connection c = db.reader(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("account read failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement st, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            st.setObject(i + 1, args[i]);
        }
    }
}
