package chat.server.store;

import chat.protocol.ServerFrame;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a batch of {@link Write}s in one transaction: the group commit. It runs on the single
 * store-writer thread only, which is what makes its caches (known users, pending counts, known
 * pairs) exact without locks: every change to what they summarise goes through here.
 */
public final class MessageWriter implements BatchWriter {

    private static final int CACHE_ENTRIES = 100_000;
    private static final String[] STATUS = {"sent", "delivered", "read"};

    private final Connection db;
    private final Clock clock;
    private final int maxPendingPerUser;

    private final Map<String, Boolean> knownUsers = lru(CACHE_ENTRIES);
    private final Map<String, Integer> pendingCounts = lru(CACHE_ENTRIES);
    private final Map<String, Boolean> knownPairs = lru(CACHE_ENTRIES);
    private long lastTs;

    private PreparedStatement insertMessage;
    private PreparedStatement findByClientId;
    private PreparedStatement userExists;
    private PreparedStatement countPending;
    private PreparedStatement insertPair;
    private PreparedStatement markDelivered;

    public MessageWriter(Database database, Clock clock, int maxPendingPerUser) {
        this.db = database.writer();
        this.clock = clock;
        this.maxPendingPerUser = maxPendingPerUser;
    }

    public static String statusName(int status) {
        return STATUS[status];
    }

    @Override
    public List<Written> apply(List<? extends Write> writes) {
        long ts = Math.max(lastTs, clock.millis()); // never backwards: history reads in ts order too
        List<Written> outcomes = new ArrayList<>(writes.size());
        try {
            for (Write w : writes) {
                outcomes.add(apply(w, ts));
            }
            db.commit();
            lastTs = ts;
            return outcomes;
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw new StoreUnavailable("commit failed: " + e.getMessage(), e);
        }
    }

    private Written apply(Write w, long ts) throws SQLException {
        if (w instanceof Write.Accept a) {
            return accept(a, ts);
        } else if (w instanceof Write.MarkDelivered d) {
            return markDelivered(d, ts);
        } else if (w instanceof Write.MarkRead r) {
            return markRead(r, ts);
        } else if (w instanceof Write.SaveReceipt s) {
            return saveReceipt(s);
        } else if (w instanceof Write.DropReceipts d) {
            return update("DELETE FROM receipts WHERE username = ? AND receipt_id <= ?", d.user(), d.upToReceiptId());
        } else if (w instanceof Write.SetListed s) {
            return setListed(s, ts);
        } else if (w instanceof Write.LastSeen s) {
            return update("UPDATE users SET last_seen = ? WHERE username = ?", s.ts(), s.user());
        }
        throw new IllegalArgumentException("unknown write " + w);
    }

    private Written accept(Write.Accept a, long ts) throws SQLException {
        if (!userExists(a.receiver())) {
            return new Written.Refused("unknown_user", "user '" + a.receiver() + "' does not exist");
        }
        int pending = pendingCount(a.receiver());
        if (pending >= maxPendingPerUser) {
            ServerFrame.Message earlier = a.clientId() == null ? null : findByClientId(a.sender(), a.clientId());
            if (earlier != null) {
                return new Written.Accepted(earlier, true, false);
            }
            return new Written.Refused("mailbox_full", "'" + a.receiver() + "' has too many undelivered messages");
        }
        if (insertMessage == null) {
            insertMessage = db.prepareStatement("INSERT INTO messages (sender, receiver, client_id, content, ts, status) "
                    + "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING RETURNING msg_id");
        }
        insertMessage.setString(1, a.sender());
        insertMessage.setString(2, a.receiver());
        insertMessage.setString(3, a.clientId());
        insertMessage.setString(4, a.content());
        insertMessage.setLong(5, ts);
        Long msgId = null;
        try (ResultSet rs = insertMessage.executeQuery()) {
            if (rs.next()) {
                msgId = rs.getLong(1);
            }
        }
        if (msgId == null) { // the unique (sender, client_id) index refused it: a resend
            ServerFrame.Message earlier = findByClientId(a.sender(), a.clientId());
            if (earlier == null) {
                throw new SQLException("message " + a.clientId() + " of " + a.sender() + " conflicted but is not there");
            }
            return new Written.Accepted(earlier, true, false);
        }
        pendingCounts.put(a.receiver(), pending + 1);
        boolean newPair = rememberPair(a.sender(), a.receiver(), ts);
        ServerFrame.Message message = new ServerFrame.Message(msgId, a.clientId(), a.sender(), a.receiver(), a.content(),
                Timestamps.format(ts), ts, null);
        return new Written.Accepted(message, false, newPair);
    }

    private ServerFrame.Message findByClientId(String sender, String clientId) throws SQLException {
        if (findByClientId == null) {
            findByClientId = db.prepareStatement("SELECT msg_id, receiver, content, ts FROM messages "
                    + "WHERE sender = ? AND client_id = ?");
        }
        findByClientId.setString(1, sender);
        findByClientId.setString(2, clientId);
        try (ResultSet rs = findByClientId.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long ts = rs.getLong(4);
            return new ServerFrame.Message(rs.getLong(1), clientId, sender, rs.getString(2), rs.getString(3),
                    Timestamps.format(ts), ts, null);
        }
    }

    private boolean userExists(String username) throws SQLException {
        if (knownUsers.containsKey(username)) {
            return true;
        }
        if (userExists == null) {
            userExists = db.prepareStatement("SELECT 1 FROM users WHERE username = ?");
        }
        userExists.setString(1, username);
        try (ResultSet rs = userExists.executeQuery()) {
            if (rs.next()) {
                knownUsers.put(username, Boolean.TRUE); // accounts are never deleted, so this stays true
                return true;
            }
            return false; // not cached: the name may be registered a moment from now
        }
    }

    private int pendingCount(String receiver) throws SQLException {
        Integer cached = pendingCounts.get(receiver);
        if (cached != null) {
            return cached;
        }
        if (countPending == null) {
            countPending = db.prepareStatement("SELECT COUNT(*) FROM messages WHERE receiver = ? AND status = 0");
        }
        countPending.setString(1, receiver);
        try (ResultSet rs = countPending.executeQuery()) {
            rs.next();
            int count = rs.getInt(1);
            pendingCounts.put(receiver, count);
            return count;
        }
    }

    private void pendingDelivered(String receiver, int count) {
        if (count > 0) {
            pendingCounts.computeIfPresent(receiver, (k, v) -> Math.max(0, v - count));
        }
    }

    /** Exchanging a message makes two users contacts of each other (once; a removal is kept). */
    private boolean rememberPair(String sender, String receiver, long ts) throws SQLException {
        String key = sender.compareTo(receiver) < 0 ? sender + '\n' + receiver : receiver + '\n' + sender;
        if (knownPairs.containsKey(key)) {
            return false;
        }
        if (insertPair == null) {
            insertPair = db.prepareStatement("INSERT INTO contacts (owner, contact, listed, created_at) "
                    + "VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING");
        }
        int added = 0;
        for (int i = 0; i < 2; i++) {
            insertPair.setString(1, i == 0 ? sender : receiver);
            insertPair.setString(2, i == 0 ? receiver : sender);
            insertPair.setLong(3, ts);
            added += insertPair.executeUpdate();
            if (sender.equals(receiver)) {
                break;
            }
        }
        knownPairs.put(key, Boolean.TRUE);
        return added > 0;
    }

    private Written markDelivered(Write.MarkDelivered d, long ts) throws SQLException {
        if (markDelivered == null) {
            markDelivered = db.prepareStatement("UPDATE messages SET status = 1, delivered_at = ? "
                    + "WHERE msg_id = ? AND receiver = ? AND status = 0 RETURNING sender, client_id");
        }
        List<Written.DeliveredMessage> now = new ArrayList<>();
        for (long id : d.msgIds()) {
            markDelivered.setLong(1, ts);
            markDelivered.setLong(2, id);
            markDelivered.setString(3, d.receiver());
            try (ResultSet rs = markDelivered.executeQuery()) {
                if (rs.next()) {
                    now.add(new Written.DeliveredMessage(id, rs.getString(1), rs.getString(2)));
                }
            }
        }
        pendingDelivered(d.receiver(), now.size());
        return new Written.Delivered(now);
    }

    private Written markRead(Write.MarkRead r, long ts) throws SQLException {
        long upTo;
        try (PreparedStatement newest = db.prepareStatement(
                "SELECT MAX(msg_id) FROM messages WHERE receiver = ? AND sender = ? AND msg_id <= ?")) {
            newest.setString(1, r.reader());
            newest.setString(2, r.peer());
            newest.setLong(3, r.upTo());
            try (ResultSet rs = newest.executeQuery()) {
                rs.next();
                upTo = rs.getLong(1);
                if (rs.wasNull()) {
                    return new Written.Read(false, 0); // nothing from that peer: a marker past the end would hide future messages
                }
            }
        }
        int moved;
        try (PreparedStatement marker = db.prepareStatement("INSERT INTO read_markers (owner, peer, up_to) VALUES (?, ?, ?) "
                + "ON CONFLICT (owner, peer) DO UPDATE SET up_to = excluded.up_to WHERE excluded.up_to > read_markers.up_to")) {
            marker.setString(1, r.reader());
            marker.setString(2, r.peer());
            marker.setLong(3, upTo);
            moved = marker.executeUpdate();
        }
        try (PreparedStatement mark = db.prepareStatement("UPDATE messages SET status = 2, read_at = ?, "
                + "delivered_at = COALESCE(delivered_at, ?) WHERE receiver = ? AND sender = ? AND msg_id <= ? AND status = ?")) {
            for (int from = 0; from <= 1; from++) {
                mark.setLong(1, ts);
                mark.setLong(2, ts);
                mark.setString(3, r.reader());
                mark.setString(4, r.peer());
                mark.setLong(5, upTo);
                mark.setInt(6, from);
                int changed = mark.executeUpdate();
                if (from == 0) {
                    pendingDelivered(r.reader(), changed);
                }
            }
        }
        return new Written.Read(moved > 0, upTo);
    }

    private Written saveReceipt(Write.SaveReceipt s) throws SQLException {
        ServerFrame.Receipt r = s.receipt();
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO receipts "
                + "(username, peer, status, msg_id, client_id, up_to, ts) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, s.user());
            insert.setString(2, r.peer());
            insert.setInt(3, ServerFrame.Receipt.READ.equals(r.status()) ? 2 : 1);
            insert.setObject(4, r.msgId());
            insert.setString(5, r.id());
            insert.setObject(6, r.upTo());
            insert.setLong(7, r.ts());
            insert.executeUpdate();
        }
        return new Written.Done();
    }

    private Written setListed(Write.SetListed s, long ts) throws SQLException {
        if (!s.listed()) {
            int changed;
            try (PreparedStatement remove = db.prepareStatement(
                    "UPDATE contacts SET listed = 0 WHERE owner = ? AND contact = ? AND listed = 1")) {
                remove.setString(1, s.owner());
                remove.setString(2, s.contact());
                changed = remove.executeUpdate();
            }
            return new Written.Contact(changed > 0);
        }
        if (!userExists(s.contact())) {
            return new Written.Refused("unknown_user", "user '" + s.contact() + "' does not exist");
        }
        try (PreparedStatement count = db.prepareStatement("SELECT COUNT(*), "
                + "SUM(CASE WHEN contact = ? THEN 1 ELSE 0 END) FROM contacts WHERE owner = ? AND listed = 1")) {
            count.setString(1, s.contact());
            count.setString(2, s.owner());
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getInt(2) > 0) {
                    return new Written.Contact(false); // already listed
                }
                if (rs.getInt(1) >= s.maxContacts()) {
                    return new Written.Refused("too_many_contacts", "a contact list holds at most " + s.maxContacts() + " users");
                }
            }
        }
        int changed;
        try (PreparedStatement add = db.prepareStatement("INSERT INTO contacts (owner, contact, listed, created_at) "
                + "VALUES (?, ?, 1, ?) ON CONFLICT (owner, contact) DO UPDATE SET listed = 1 WHERE contacts.listed = 0")) {
            add.setString(1, s.owner());
            add.setString(2, s.contact());
            add.setLong(3, ts);
            changed = add.executeUpdate();
        }
        return new Written.Contact(changed > 0);
    }

    private Written update(String sql, Object... args) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            st.executeUpdate();
        }
        return new Written.Done();
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next batch will report it
        }
        // what the caches summarise may not have happened after all
        pendingCounts.clear();
        knownPairs.clear();
    }

    private static <V> Map<String, V> lru(int capacity) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
