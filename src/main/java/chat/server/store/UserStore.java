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

    /**
     * Writer thread. Also drops this user's expired tokens, so the table does not grow forever.
     * `replacing`: the device's other tokens go (level 3: one token per device; levels 1 and 2 keep
     * today's several tokens of the device `default`).
     */
    public void insertToken(String tokenHash, String username, String device, boolean replacing, long now, long expiresAt) {
        write(new String[] {"DELETE FROM tokens WHERE username = ? AND (expires_at <= ? OR (device = ? AND ?))",
                        "INSERT INTO tokens (token_hash, username, device, created_at, expires_at) VALUES (?, ?, ?, ?, ?)"},
                new Object[][] {{username, now, device, replacing}, {tokenHash, username, device, now, expiresAt}});
    }

    /**
     * Writer thread. A level 3 device logged in at `now`: its row made (at a position that replays
     * what no device of the user has acked yet; older messages are history) or refreshed, and the
     * user's devices unseen since `forgetBefore` forgotten with their tokens and waiting receipts.
     * True when the device is new, so a login refused afterwards (too many devices) can forget it again.
     */
    public boolean deviceLoggedIn(String username, String device, String deviceName, long now, long forgetBefore) {
        boolean known = knowsDevice(username, device);
        write(new String[] {
                "DELETE FROM tokens WHERE username = ? AND device IN (SELECT device FROM devices "
                        + "WHERE username = ? AND device <> ? AND COALESCE(last_seen, created_at) < ?)",
                "DELETE FROM receipts WHERE username = ? AND device IN (SELECT device FROM devices "
                        + "WHERE username = ? AND device <> ? AND COALESCE(last_seen, created_at) < ?)",
                "DELETE FROM devices WHERE username = ? AND device <> ? AND COALESCE(last_seen, created_at) < ?",
                "INSERT INTO devices (username, device, device_name, created_at, last_seen, level3, delivered_up_to) "
                        + "VALUES (?, ?, ?, ?, ?, 1, COALESCE((SELECT MIN(msg_id) - 1 FROM messages WHERE receiver = ? AND status = 0), "
                        + "(SELECT MAX(msg_id) FROM messages), 0)) "
                        + "ON CONFLICT (username, device) DO UPDATE SET last_seen = excluded.last_seen, level3 = 1, "
                        + "device_name = COALESCE(excluded.device_name, devices.device_name)"},
                new Object[][] {{username, username, device, forgetBefore}, {username, username, device, forgetBefore},
                        {username, device, forgetBefore},
                        {username, device, deviceName, now, now, username}});
        return !known;
    }

    private boolean knowsDevice(String username, String device) {
        try (Connection c = db.reader(); PreparedStatement st = c.prepareStatement(
                "SELECT 1 FROM devices WHERE username = ? AND device = ?")) {
            bind(st, new Object[] {username, device});
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("device read failed: " + e.getMessage(), e);
        }
    }

    /** Writer thread. The device is forgotten: its tokens, the receipts waiting for it and its row (its messages stay in history). */
    public void forgetDevice(String username, String device) {
        write(new String[] {"DELETE FROM tokens WHERE username = ? AND device = ?",
                        "DELETE FROM receipts WHERE username = ? AND device = ?",
                        "DELETE FROM devices WHERE username = ? AND device = ?"},
                new Object[][] {{username, device}, {username, device}, {username, device}});
    }

    /** Read pool. The owner and device of an unexpired token, or null. */
    public TokenOwner readTokenOwner(String tokenHash, long now) {
        try (Connection c = db.reader(); PreparedStatement st = c.prepareStatement(
                "SELECT username, device FROM tokens WHERE token_hash = ? AND expires_at > ?")) {
            bind(st, new Object[] {tokenHash, now});
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new TokenOwner(rs.getString(1), rs.getString(2)) : null;
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("account read failed: " + e.getMessage(), e);
        }
    }

    public record TokenOwner(String username, String device) {
    }

    /** A device as devices_response shows it (online comes from Presence). */
    public record DeviceRow(String device, String deviceName, Long lastSeen) {
    }

    /** Read pool. The user's known devices, oldest first. */
    public java.util.List<DeviceRow> devices(String username) {
        try (Connection c = db.reader(); PreparedStatement st = c.prepareStatement(
                "SELECT device, device_name, last_seen FROM devices WHERE username = ? ORDER BY created_at, device")) {
            st.setString(1, username);
            java.util.List<DeviceRow> out = new java.util.ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long seen = rs.getLong(3);
                    Long lastSeen = rs.wasNull() ? null : seen;
                    out.add(new DeviceRow(rs.getString(1), rs.getString(2), lastSeen));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailable("devices read failed: " + e.getMessage(), e);
        }
    }

    /** Writer thread. */
    public void deleteToken(String tokenHash) {
        write("DELETE FROM tokens WHERE token_hash = ?", tokenHash);
    }

    /** Read pool. The stored hash, or null for an unknown user. */
    public String readPasswordHash(String username) {
        return readString("SELECT password_hash FROM users WHERE username = ?", username);
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
