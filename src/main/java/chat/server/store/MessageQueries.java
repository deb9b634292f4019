package chat.server.store;

import chat.protocol.ServerFrame;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read-only queries on pooled connections. Blocking: call them from the store-reader dispatcher.
 * Every query is bounded (keyset pages, LIMITs): nothing loads a whole backlog into memory.
 */
public final class MessageQueries {

    private static final String MESSAGE_COLUMNS = "msg_id, sender, receiver, client_id, content, ts, status";

    private static String qualified(String table) {
        return table + "." + MESSAGE_COLUMNS.replace(", ", ", " + table + ".");
    }

    private final Database db;

    public MessageQueries(Database db) {
        this.db = db;
    }

    /** Up to `limit` of the user's pending messages after `afterMsgId`, in msg_id order. */
    public List<ServerFrame.Message> pending(String user, long afterMsgId, int limit) {
        return query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE receiver = ? AND status = " + MessageStatus.SENT.code + " AND msg_id > ? "
                + "ORDER BY msg_id LIMIT ?", rs -> message(rs, false), user, afterMsgId, limit);
    }

    /** Messages accepted and not yet delivered, all recipients together (the pending index holds only these). */
    public long pendingTotal() {
        return query("SELECT COUNT(*) FROM messages WHERE status = " + MessageStatus.SENT.code, rs -> rs.getLong(1)).get(0);
    }

    public record StoredReceipt(long receiptId, ServerFrame.Receipt receipt) {
    }

    /** Receipts kept for this device of the user while it was offline (and those kept for any device), oldest first. */
    public List<StoredReceipt> receipts(String user, String device, long afterReceiptId, int limit) {
        return query("SELECT receipt_id, peer, status, msg_id, client_id, up_to, ts, group_id FROM receipts "
                + "WHERE username = ? AND (device = ? OR device IS NULL) AND receipt_id > ? ORDER BY receipt_id LIMIT ?", rs -> {
                    long msgId = rs.getLong(4);
                    Long msg = rs.wasNull() ? null : msgId;
                    long upTo = rs.getLong(6);
                    Long up = rs.wasNull() ? null : upTo;
                    String status = MessageStatus.of(rs.getInt(3)).wire;
                    String group = rs.getString(8);
                    return new StoredReceipt(rs.getLong(1), new ServerFrame.Receipt(msg, rs.getString(5),
                            group != null ? null : rs.getString(2), status, up, rs.getLong(7), group));
                }, user, device, afterReceiptId, limit);
    }

    /**
     * The page of the conversation between `user` and `peer` just before `before` (null: the newest),
     * in ascending msg_id, with one more row looked at to tell whether older ones exist.
     */
    public ServerFrame.HistoryResponse history(String user, String peer, Long before, int limit) {
        long bound = before == null ? Long.MAX_VALUE : before;
        Map<Long, ServerFrame.Message> found = new HashMap<>();
        try (Connection c = db.reader()) {
            Long conversation = MessageWriter.conversationId(c, user, peer);
            if (conversation == null) {
                return new ServerFrame.HistoryResponse(peer, List.of(), false);
            }
            // The tail first, then the indexed log: a message the writer indexes in between is then
            // found twice (and counted once), never missed.
            for (String sql : List.of(
                    "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE indexed = 0 AND conversation_id = ? AND msg_id < ? "
                            + "ORDER BY msg_id DESC LIMIT ?",
                    "SELECT " + qualified("m") + " FROM conversation_log l JOIN messages m ON m.msg_id = l.msg_id "
                            + "WHERE l.conversation_id = ? AND l.msg_id < ? ORDER BY l.msg_id DESC LIMIT ?")) {
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setLong(1, conversation);
                    st.setLong(2, bound);
                    st.setInt(3, limit + 1);
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            ServerFrame.Message m = message(rs, true);
                            found.put(m.msgId(), m);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("history query failed: " + e.getMessage(), e);
        }
        List<ServerFrame.Message> newestFirst = new ArrayList<>(found.values());
        newestFirst.sort((a, b) -> Long.compare(b.msgId(), a.msgId()));
        boolean hasMore = newestFirst.size() > limit;
        List<ServerFrame.Message> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
        Collections.reverse(page);
        return new ServerFrame.HistoryResponse(peer, page, hasMore);
    }

    public record Conversation(String peer, ServerFrame.Message last, long unread) {
    }

    /** The user's conversations, most recent first: everyone it exchanged a message with. */
    public List<Conversation> conversations(String user, int limit) {
        try (Connection c = db.reader()) {
            // One snapshot for all of it: the counts add the tail and the indexed log, and a message
            // the writer indexes meanwhile must be in exactly one of them.
            c.setAutoCommit(false);
            if (!db.sqlite()) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                return conversations(c, user, limit);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("conversations query failed: " + e.getMessage(), e);
        }
    }

    private List<Conversation> conversations(Connection c, String user, int limit) throws SQLException {
        List<String> peers = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT contact FROM contacts WHERE owner = ?")) {
            st.setString(1, user);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    peers.add(rs.getString(1));
                }
            }
        }
        // the user's messages not indexed yet, in one pass over the tail: newest and unread per conversation
        Map<Long, long[]> tail = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT m.conversation_id, MAX(m.msg_id), "
                + "SUM(CASE WHEN m.receiver = ? AND m.msg_id > COALESCE(r.up_to, 0) THEN 1 ELSE 0 END) "
                + "FROM messages m LEFT JOIN conversation_reads r ON r.owner = ? AND r.conversation_id = m.conversation_id "
                + "WHERE m.indexed = 0 AND (m.sender = ? OR m.receiver = ?) GROUP BY m.conversation_id")) {
            for (int i = 1; i <= 4; i++) {
                st.setString(i, user);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    tail.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        record Latest(String peer, long conversation, long msgId) {
        }
        List<Latest> latest = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT MAX(msg_id) FROM conversation_log WHERE conversation_id = ?")) {
            for (String peer : peers) {
                Long conversation = MessageWriter.conversationId(c, user, peer);
                if (conversation == null) {
                    continue; // listed with add_contact, never written to
                }
                st.setLong(1, conversation);
                long newest;
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    newest = rs.getLong(1);
                }
                newest = Math.max(newest, tail.getOrDefault(conversation, new long[2])[0]);
                if (newest > 0) {
                    latest.add(new Latest(peer, conversation, newest));
                }
            }
        }
        latest.sort((a, b) -> Long.compare(b.msgId(), a.msgId()));
        List<Conversation> out = new ArrayList<>();
        // in a conversation of two, what the user receives is from the peer (from itself, in its own)
        try (PreparedStatement one = c.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE msg_id = ?");
             PreparedStatement unread = c.prepareStatement("SELECT COUNT(*) FROM conversation_log l "
                     + "JOIN messages m ON m.msg_id = l.msg_id WHERE l.conversation_id = ? AND m.receiver = ? AND l.msg_id > "
                     + "COALESCE((SELECT up_to FROM conversation_reads WHERE owner = ? AND conversation_id = ?), 0)")) {
            for (Latest l : latest.subList(0, Math.min(limit, latest.size()))) {
                one.setLong(1, l.msgId());
                ServerFrame.Message last;
                try (ResultSet rs = one.executeQuery()) {
                    rs.next();
                    last = message(rs, true);
                }
                unread.setLong(1, l.conversation());
                unread.setString(2, user);
                unread.setString(3, user);
                unread.setLong(4, l.conversation());
                long count;
                try (ResultSet rs = unread.executeQuery()) {
                    rs.next();
                    count = rs.getLong(1);
                }
                out.add(new Conversation(l.peer(), last, count + tail.getOrDefault(l.conversation(), new long[2])[1]));
            }
        }
        return out;
    }

    /** The users on the owner's contact list, by name. */
    public List<UserRow> contacts(String owner) {
        return query("SELECT c.contact, u.last_seen FROM contacts c JOIN users u ON u.username = c.contact "
                + "WHERE c.owner = ? AND c.listed = 1 ORDER BY c.contact", MessageQueries::userRow, owner);
    }

    /** Who sees the user's presence: its listed contacts and those who list it. */
    public Set<String> watchers(String user) {
        return new LinkedHashSet<>(query("SELECT contact FROM contacts WHERE owner = ? AND listed = 1 "
                + "UNION SELECT owner FROM contacts WHERE contact = ? AND listed = 1", rs -> rs.getString(1), user, user));
    }

    public record UserRow(String username, Long lastSeen) {
    }

    /** Registered users whose name starts with `prefix`, by name, after `afterName` (exclusive). */
    public List<UserRow> usersByPrefix(String prefix, String afterName, int limit) {
        // names are [a-z0-9_.-], all below '{': prefix + '{' bounds the range on the primary key
        String from = afterName != null && afterName.compareTo(prefix) >= 0 ? afterName : prefix;
        String op = afterName != null && afterName.compareTo(prefix) >= 0 ? ">" : ">=";
        return query("SELECT username, last_seen FROM users WHERE username " + op + " ? AND username < ? "
                + "ORDER BY username LIMIT ?", MessageQueries::userRow, from, prefix + "{", limit);
    }

    /** Last-seen times of these users (absent: never seen offline). */
    public Map<String, Long> lastSeen(Collection<String> users) {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = db.reader();
             PreparedStatement st = c.prepareStatement("SELECT last_seen FROM users WHERE username = ?")) {
            for (String u : users) {
                st.setString(1, u);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        long ts = rs.getLong(1);
                        if (!rs.wasNull()) {
                            out.put(u, ts);
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailable("last-seen query failed: " + e.getMessage(), e);
        }
    }

    private static UserRow userRow(ResultSet rs) throws SQLException {
        long ts = rs.getLong(2);
        Long lastSeen = rs.wasNull() ? null : ts; // before the next column is read: wasNull is about the last one
        return new UserRow(rs.getString(1), lastSeen);
    }

    private static ServerFrame.Message message(ResultSet rs, boolean withStatus) throws SQLException {
        long ts = rs.getLong(6);
        return new ServerFrame.Message(rs.getLong(1), rs.getString(4), rs.getString(2), rs.getString(3), rs.getString(5),
                Timestamps.format(ts), ts, withStatus ? MessageStatus.of(rs.getInt(7)).wire : null);
    }

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (Connection c = db.reader(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailable("query failed: " + e.getMessage(), e);
        }
    }
}
