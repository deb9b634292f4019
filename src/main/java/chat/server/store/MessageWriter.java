package chat.server.store;

import chat.protocol.DeviceIds;
import chat.protocol.ErrorCode;
import chat.protocol.ServerFrame;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a batch of {@link Write}s in one transaction: the group commit. It runs on the single
 * store-writer thread only, which is what makes its caches (known users, pending counts, known
 * pairs) exact without locks: every change to what they summarise goes through here. History and
 * idempotency entries are not written per commit but behind the log, in batches ({@link LogIndex}).
 */
public final class MessageWriter implements BatchWriter {

    private static final int CACHE_ENTRIES = 100_000;
    /** Rows per multi-row INSERT (7 parameters each, far below SQLite's limit). */
    private static final int INSERT_ROWS = 200;
    /** Ids per delivery-mark UPDATE. */
    private static final int MARK_IDS = 256;
    /**
     * Set, not tuned (docs/BENCHMARKS.md, "The store's writer"): larger writes fewer index pages per
     * message, and makes the readers' scans of the tail longer.
     */
    static final int FLUSH_AT = 4096;

    private final Database database;
    private final Connection db;
    private final Clock clock;
    private final int maxPendingPerUser;
    private final LogIndex index;
    private final GroupWrites groups;
    private boolean recovered;

    private final Map<String, Boolean> knownUsers = lru(CACHE_ENTRIES);
    private final Map<String, Integer> pendingCounts = lru(CACHE_ENTRIES);
    /** Conversation ids of pairs whose contacts rows exist too: a known pair is never new. */
    private final Map<String, Long> conversations = lru(CACHE_ENTRIES);
    private long lastTs;
    private long formattedTs = -1;
    private String formatted;

    private PreparedStatement findByClientId;
    private PreparedStatement userExists;
    private PreparedStatement countPending;
    private PreparedStatement insertPair;
    private PreparedStatement findConversation;
    private PreparedStatement insertConversation;
    private final Map<Integer, PreparedStatement> insertReceipt = new HashMap<>(); // by the number of devices reached
    private final Map<Integer, PreparedStatement> insertStatements = new HashMap<>();
    private final Map<Integer, PreparedStatement> markStatements = new HashMap<>();
    /** {@link #update}'s and {@link #longOr0}'s, by their SQL (a handful of fixed texts): compiled once. */
    private final WriterStatements fixedStatements;

    public MessageWriter(Database database, Clock clock, int maxPendingPerUser) {
        this(database, clock, maxPendingPerUser, FLUSH_AT);
    }

    /** `flushAt`: messages whose index entries wait behind the log before they go in as one batch. */
    public MessageWriter(Database database, Clock clock, int maxPendingPerUser, int flushAt) {
        this.database = database;
        this.db = database.partitionWriter();
        this.fixedStatements = new WriterStatements(db);
        this.clock = clock;
        this.maxPendingPerUser = maxPendingPerUser;
        this.index = new LogIndex(db, flushAt);
        this.groups = new GroupWrites(db, index, this::userExists);
    }

    @Override
    public void close() {
        database.release(db); // its prepared statements close with it
    }

    @Override
    public List<Written> apply(List<? extends Write> writes) {
        long ts = Math.max(lastTs, clock.millis()); // never backwards: history reads in ts order too
        Written[] outcomes = new Written[writes.size()];
        try {
            if (!recovered) { // here, on the store-writer thread, not in the actor that made the writer
                index.recover();
                recovered = true;
            }
            index.flushIfDue();
            // Runs of new messages, delivery marks and kept receipts are written a statement (or a
            // JDBC batch) per run, not per row: a mark can only name a message committed before (its
            // msg_id was unknown until then), and a receipt only follows a committed mark, so within
            // a run all inserts may go first. Anything else keeps its place in the order.
            int runStart = 0;
            for (int i = 0; i <= writes.size(); i++) {
                Write w = i < writes.size() ? writes.get(i) : null;
                if (w instanceof Write.Send || w instanceof Write.MarkDelivered || w instanceof Write.KeepReceipt) {
                    continue;
                }
                applyRun(writes, runStart, i, outcomes, ts);
                if (w != null) {
                    outcomes[i] = apply(w, ts);
                }
                runStart = i + 1;
            }
            db.commit();
            index.committed();
            lastTs = ts;
            return List.of(outcomes);
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw new StoreUnavailable("commit failed: " + e.getMessage(), e);
        }
    }

    private void applyRun(List<? extends Write> writes, int from, int to, Written[] outcomes, long ts) throws SQLException {
        if (from >= to) {
            return;
        }
        List<Integer> accepts = new ArrayList<>();
        List<Integer> marks = new ArrayList<>();
        List<Integer> receipts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Write w = writes.get(i);
            (w instanceof Write.Send ? accepts : w instanceof Write.MarkDelivered ? marks : receipts).add(i);
        }
        acceptAll(writes, accepts, outcomes, ts);
        markAllDelivered(writes, marks, outcomes, ts);
        saveReceipts(writes, receipts, outcomes);
    }

    private Written apply(Write w, long ts) throws SQLException {
        if (w instanceof Write.MarkRead r) {
            return markRead(r, ts);
        } else if (w instanceof Write.DropReceipts d) {
            return update("DELETE FROM receipts WHERE username = ? AND (device = ? OR device IS NULL) AND receipt_id <= ?",
                    d.user(), d.device(), d.upToReceiptId());
        } else if (w instanceof Write.ChangeContact s) {
            return setListed(s, ts);
        } else if (w instanceof Write.MarkPending m) {
            return markPending(m);
        } else if (w instanceof Write.RecordLastSeen s) {
            return update("UPDATE users SET last_seen = ? WHERE username = ?", s.ts(), s.user());
        } else if (w instanceof Write.GroupSend g) {
            return groupSend(g, ts);
        } else if (w instanceof Write.CreateGroup c) {
            return groups.create(c, ts);
        } else if (w instanceof Write.ChangeGroup c) {
            return groups.change(c, ts);
        } else if (w instanceof Write.GroupProgress p) {
            return groups.progress(p);
        } else if (w instanceof Write.MarkGroupRead r) {
            return groups.read(r);
        } else if (w instanceof Write.DefaultDeviceSeen d) {
            return update("INSERT INTO devices (username, device, created_at, last_seen, level3, delivered_up_to) "
                    + "VALUES (?, '" + DeviceIds.DEFAULT + "', ?, ?, 0, COALESCE((SELECT MAX(msg_id) FROM messages), 0)) "
                    + "ON CONFLICT (username, device) DO UPDATE SET last_seen = excluded.last_seen", d.user(), d.at(), d.at());
        } else if (w instanceof Write.DevicePosition d) {
            // never back: a session's count can start below the stored position (a new session, a baseline)
            return update("UPDATE devices SET delivered_up_to = CASE WHEN delivered_up_to < ? THEN ? ELSE delivered_up_to END, "
                    + "last_seen = ? WHERE username = ? AND device = ?", d.upTo(), d.upTo(), d.lastSeen(), d.user(), d.device());
        }
        throw new IllegalArgumentException("unknown write " + w);
    }

    /** A group message: stored once, idempotent per (sender, id) like any other. */
    private Written groupSend(Write.GroupSend g, long ts) throws SQLException {
        if (g.clientId() != null) {
            ServerFrame.Message earlier = findByClientId(g.sender(), g.clientId());
            if (earlier != null) {
                return new Written.Accepted(earlier, true, false);
            }
        }
        return new Written.Accepted(groups.send(g, ts, timestamp(ts)), false, false);
    }

    /** New messages: the checks one by one (cached), the inserts as multi-row statements. */
    private void acceptAll(List<? extends Write> writes, List<Integer> indices, Written[] outcomes, long ts)
            throws SQLException {
        List<Integer> toInsert = new ArrayList<>(indices.size());
        Map<String, Integer> added = new HashMap<>(); // per receiver, in this run: the mailbox_full check counts them
        Map<String, Integer> firstWithKey = new HashMap<>(); // a resend inside the run answers as its first copy
        Map<Integer, Integer> copies = new LinkedHashMap<>();
        for (int i : indices) {
            Write.Send a = (Write.Send) writes.get(i);
            if (!userExists(a.receiver())) {
                outcomes[i] = new Written.Refused(ErrorCode.UNKNOWN_USER.wire(), "user '" + a.receiver() + "' does not exist");
                continue;
            }
            if (a.clientId() != null) {
                ServerFrame.Message earlier = findByClientId(a.sender(), a.clientId());
                if (earlier != null) {
                    outcomes[i] = new Written.Accepted(earlier, true, false);
                    continue;
                }
                Integer first = firstWithKey.putIfAbsent(a.sender() + '\n' + a.clientId(), i);
                if (first != null) {
                    copies.put(i, first);
                    continue;
                }
            }
            if (pendingCount(a.receiver()) + added.getOrDefault(a.receiver(), 0) >= maxPendingPerUser) {
                outcomes[i] = new Written.Refused(ErrorCode.MAILBOX_FULL.wire(), "'" + a.receiver() + "' has too many undelivered messages");
                continue;
            }
            added.merge(a.receiver(), 1, Integer::sum);
            toInsert.add(i);
        }
        Map<Integer, Pair> pairs = new HashMap<>();
        for (int i : toInsert) {
            Write.Send a = (Write.Send) writes.get(i);
            pairs.put(i, pair(a.sender(), a.receiver(), ts));
        }
        for (int chunk = 0; chunk < toInsert.size(); chunk += INSERT_ROWS) {
            insert(writes, toInsert.subList(chunk, Math.min(toInsert.size(), chunk + INSERT_ROWS)), pairs, outcomes, ts);
        }
        copies.forEach((copy, first) -> outcomes[copy] = outcomes[first] instanceof Written.Accepted a
                ? new Written.Accepted(a.message(), true, false) : outcomes[first]);
    }

    private void insert(List<? extends Write> writes, List<Integer> rows, Map<Integer, Pair> pairs, Written[] outcomes,
                        long ts) throws SQLException {
        // No unique index on (sender, client id) any more: the resend check above is the writer's,
        // from its tail in memory and client_ids, so every row here is new.
        PreparedStatement st = insertStatements.computeIfAbsent(rows.size(), n -> prepare(
                "INSERT INTO messages (conversation_id, sender, receiver, client_id, content, ts, sender_device, status, indexed) "
                        + "VALUES " + String.join(",", Collections.nCopies(n, "(?, ?, ?, ?, ?, ?, ?, 0, 0)"))
                        + " RETURNING msg_id"));
        int p = 1;
        for (int i : rows) {
            Write.Send a = (Write.Send) writes.get(i);
            st.setLong(p++, pairs.get(i).conversationId());
            st.setString(p++, a.sender());
            st.setString(p++, a.receiver());
            st.setString(p++, a.clientId());
            st.setString(p++, a.content());
            st.setLong(p++, ts);
            st.setString(p++, a.senderDevice());
        }
        // Rowids are given in the order the rows are processed, the VALUES order.
        List<Long> ids = new ArrayList<>(rows.size());
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        if (ids.size() != rows.size()) {
            throw new SQLException(rows.size() + " messages inserted, " + ids.size() + " ids returned");
        }
        Collections.sort(ids);
        String timestamp = timestamp(ts);
        int next = 0;
        for (int i : rows) {
            Write.Send a = (Write.Send) writes.get(i);
            long msgId = ids.get(next++);
            Pair pair = pairs.get(i);
            index.stage(msgId, pair.conversationId(), a.sender(), a.clientId());
            pendingCounts.merge(a.receiver(), 1, Integer::sum);
            outcomes[i] = new Written.Accepted(new ServerFrame.Message(msgId, a.clientId(), a.sender(), a.receiver(),
                    a.content(), timestamp, ts, null), false, pair.isNew());
        }
    }

    /** The seed's timestamp of `ts`; a batch shares one `ts`, so it is formatted once. */
    private String timestamp(long ts) {
        if (ts != formattedTs) {
            formattedTs = ts;
            formatted = Timestamps.format(ts);
        }
        return formatted;
    }

    /** Delivery marks: one statement per receiver with its ids, padded to a few sizes so statements are reused. */
    private void markAllDelivered(List<? extends Write> writes, List<Integer> indices, Written[] outcomes, long ts)
            throws SQLException {
        Map<String, LinkedHashSet<Long>> byReceiver = new LinkedHashMap<>();
        for (int i : indices) {
            Write.MarkDelivered d = (Write.MarkDelivered) writes.get(i);
            byReceiver.computeIfAbsent(d.receiver(), r -> new LinkedHashSet<>()).addAll(d.msgIds());
        }
        Map<Long, Written.DeliveredMessage> now = new HashMap<>();
        for (Map.Entry<String, LinkedHashSet<Long>> e : byReceiver.entrySet()) {
            List<Long> ids = new ArrayList<>(e.getValue());
            int changed = 0;
            for (int chunk = 0; chunk < ids.size(); chunk += MARK_IDS) {
                List<Long> part = ids.subList(chunk, Math.min(ids.size(), chunk + MARK_IDS));
                int size = bucket(part.size());
                PreparedStatement st = markStatements.computeIfAbsent(size, n -> prepare(
                        "UPDATE messages SET status = " + MessageStatus.DELIVERED.code + ", delivered_at = ? WHERE receiver = ? AND status = "
                                + MessageStatus.SENT.code + " AND msg_id IN ("
                                + String.join(",", Collections.nCopies(n, "?")) + ") RETURNING msg_id, sender, client_id, ts"));
                st.setLong(1, ts);
                st.setString(2, e.getKey());
                for (int k = 0; k < size; k++) {
                    st.setLong(3 + k, part.get(Math.min(k, part.size() - 1))); // padding repeats the last id
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        now.put(rs.getLong(1), new Written.DeliveredMessage(rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getLong(4)));
                        changed++;
                    }
                }
            }
            pendingDelivered(e.getKey(), changed);
        }
        for (int i : indices) {
            List<Written.DeliveredMessage> mine = new ArrayList<>();
            for (long id : ((Write.MarkDelivered) writes.get(i)).msgIds()) {
                Written.DeliveredMessage m = now.remove(id); // each newly delivered message is reported once
                if (m != null) {
                    mine.add(m);
                }
            }
            outcomes[i] = new Written.Delivered(mine);
        }
    }

    private static int bucket(int n) {
        int size = 1;
        while (size < n) {
            size <<= 1;
        }
        return size;
    }

    private PreparedStatement prepare(String sql) {
        try {
            return db.prepareStatement(sql);
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot prepare a statement: " + e.getMessage(), e);
        }
    }

    private ServerFrame.Message findByClientId(String sender, String clientId) throws SQLException {
        Long msgId = index.find(sender, clientId);
        if (msgId == null) {
            return null;
        }
        if (findByClientId == null) {
            findByClientId = db.prepareStatement("SELECT receiver, content, ts FROM messages WHERE msg_id = ?");
        }
        findByClientId.setLong(1, msgId);
        try (ResultSet rs = findByClientId.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("message " + msgId + " is indexed but not there");
            }
            long ts = rs.getLong(3);
            return new ServerFrame.Message(msgId, clientId, sender, rs.getString(1), rs.getString(2),
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
            countPending = db.prepareStatement("SELECT COUNT(*) FROM messages WHERE receiver = ? AND status = " + MessageStatus.SENT.code);
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

    /** The conversation of two users, and whether this message is the first between them. */
    private record Pair(long conversationId, boolean isNew) {
    }

    /**
     * The conversation of two users, made by their first message, which also makes them contacts of
     * each other (once; a removal is kept).
     */
    private Pair pair(String sender, String receiver, long ts) throws SQLException {
        String a = sender.compareTo(receiver) <= 0 ? sender : receiver;
        String b = a.equals(sender) ? receiver : sender;
        String key = a + '\n' + b;
        Long known = conversations.get(key);
        if (known != null) {
            return new Pair(known, false);
        }
        Long id = conversationId(db, a, b);
        if (id == null) {
            if (insertConversation == null) {
                insertConversation = db.prepareStatement("INSERT INTO conversations (kind, user_a, user_b, created_at) "
                        + "VALUES (1, ?, ?, ?) RETURNING conversation_id");
            }
            insertConversation.setString(1, a);
            insertConversation.setString(2, b);
            insertConversation.setLong(3, ts);
            try (ResultSet rs = insertConversation.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        boolean isNew = addContacts(sender, receiver, ts);
        conversations.put(key, id);
        return new Pair(id, isNew);
    }

    /** The conversation between two users (in either order), or null before their first message. */
    static Long conversationId(Connection c, String user, String peer) throws SQLException {
        String a = user.compareTo(peer) <= 0 ? user : peer;
        String b = a.equals(user) ? peer : user;
        try (PreparedStatement st = c.prepareStatement(
                "SELECT conversation_id FROM conversations WHERE kind = 1 AND user_a = ? AND user_b = ?")) {
            st.setString(1, a);
            st.setString(2, b);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private boolean addContacts(String sender, String receiver, long ts) throws SQLException {
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
        return added > 0;
    }

    private Written markPending(Write.MarkPending m) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("UPDATE messages SET status = " + MessageStatus.SENT.code
                + ", delivered_at = NULL WHERE receiver = ? AND status = " + MessageStatus.DELIVERED.code + " AND msg_id = ?")) {
            int changed = 0;
            for (long id : m.msgIds()) {
                st.setString(1, m.receiver());
                st.setLong(2, id);
                changed += st.executeUpdate();
            }
            int again = changed;
            if (again > 0) {
                pendingCounts.computeIfPresent(m.receiver(), (k, v) -> v + again);
            }
        }
        return new Written.Done();
    }

    private Written markRead(Write.MarkRead r, long ts) throws SQLException {
        Long conversation = conversationId(db, r.reader(), r.peer());
        if (conversation == null) {
            return new Written.Read(false, 0);
        }
        // the newest message from the peer at or below up_to: in the indexed log, or in the tail
        long upTo = Math.max(
                longOr0("SELECT m.msg_id FROM conversation_log l JOIN messages m ON m.msg_id = l.msg_id "
                        + "WHERE l.conversation_id = ? AND l.msg_id <= ? AND m.receiver = ? AND m.sender = ? "
                        + "ORDER BY l.msg_id DESC LIMIT 1", conversation, r.upTo(), r.reader(), r.peer()),
                longOr0("SELECT MAX(msg_id) FROM messages WHERE indexed = 0 AND conversation_id = ? AND msg_id <= ? "
                        + "AND receiver = ? AND sender = ?", conversation, r.upTo(), r.reader(), r.peer()));
        if (upTo == 0) {
            return new Written.Read(false, 0); // nothing from that peer: a marker past the end would hide future messages
        }
        // below the old marker everything from the peer is read already
        long was = longOr0("SELECT up_to FROM conversation_reads WHERE owner = ? AND conversation_id = ?",
                r.reader(), conversation);
        int moved;
        try (PreparedStatement marker = db.prepareStatement("INSERT INTO conversation_reads (owner, conversation_id, up_to) "
                + "VALUES (?, ?, ?) ON CONFLICT (owner, conversation_id) DO UPDATE SET up_to = excluded.up_to "
                + "WHERE excluded.up_to > conversation_reads.up_to")) {
            marker.setString(1, r.reader());
            marker.setLong(2, conversation);
            marker.setLong(3, upTo);
            moved = marker.executeUpdate();
        }
        String set = "UPDATE messages SET status = " + MessageStatus.READ.code + ", read_at = ?, delivered_at = COALESCE(delivered_at, ?) WHERE ";
        String which = " AND receiver = ? AND sender = ? AND status = ?";
        for (String where : List.of(
                "msg_id IN (SELECT msg_id FROM conversation_log WHERE conversation_id = ? AND msg_id > ? AND msg_id <= ?)",
                "indexed = 0 AND conversation_id = ? AND msg_id > ? AND msg_id <= ?")) {
            try (PreparedStatement mark = db.prepareStatement(set + where + which)) {
                for (MessageStatus from : List.of(MessageStatus.SENT, MessageStatus.DELIVERED)) {
                    mark.setLong(1, ts);
                    mark.setLong(2, ts);
                    mark.setLong(3, conversation);
                    mark.setLong(4, was);
                    mark.setLong(5, upTo);
                    mark.setString(6, r.reader());
                    mark.setString(7, r.peer());
                    mark.setInt(8, from.code);
                    int changed = mark.executeUpdate();
                    if (from == MessageStatus.SENT) {
                        pendingDelivered(r.reader(), changed);
                    }
                }
            }
        }
        return new Written.Read(moved > 0, upTo);
    }

    /**
     * Receipts for the devices that did not get them live: one INSERT ... SELECT over the user's
     * known devices each, so nothing is read first; JDBC batches of consecutive receipts with as
     * many devices reached, so a user's receipts keep their order.
     */
    private void saveReceipts(List<? extends Write> writes, List<Integer> indices, Written[] outcomes) throws SQLException {
        PreparedStatement batch = null;
        List<Integer> batched = new ArrayList<>();
        for (int i : indices) {
            Write.KeepReceipt s = (Write.KeepReceipt) writes.get(i);
            PreparedStatement st = insertReceipt(s.reached().size());
            if (st != batch) {
                executeReceipts(batch, batched, outcomes);
                batch = st;
            }
            ServerFrame.Receipt r = s.receipt();
            int p = 1;
            st.setString(p++, r.level3() ? "" : r.peer()); // a group's receipt names no peer; the column is NOT NULL
            st.setInt(p++, MessageStatus.ofReceipt(r.status()).code);
            setLong(st, p++, r.msgId());
            st.setString(p++, r.id());
            setLong(st, p++, r.upTo());
            st.setLong(p++, r.ts());
            st.setString(p++, r.groupId());
            st.setString(p++, s.user());
            st.setInt(p++, r.level3() ? 1 : 0);
            for (String device : s.reached()) {
                st.setString(p++, device);
            }
            st.addBatch();
            batched.add(i);
        }
        executeReceipts(batch, batched, outcomes);
    }

    private void executeReceipts(PreparedStatement st, List<Integer> batched, Written[] outcomes) throws SQLException {
        if (st == null || batched.isEmpty()) {
            return;
        }
        int[] rows = st.executeBatch();
        for (int k = 0; k < batched.size(); k++) {
            // a driver that does not count (SUCCESS_NO_INFO) reads as "kept for some": never as "all had it"
            outcomes[batched.get(k)] = new Written.Kept(k < rows.length && rows[k] >= 0 ? rows[k] : 1);
        }
        batched.clear();
    }

    /** The statement keeping a receipt for every known device but `reached` of them. */
    private PreparedStatement insertReceipt(int reached) throws SQLException {
        PreparedStatement st = insertReceipt.get(reached);
        if (st == null) {
            String notReached = reached == 0 ? "" : " AND device NOT IN (" + String.join(", ", Collections.nCopies(reached, "?")) + ")";
            st = db.prepareStatement("INSERT INTO receipts (peer, status, msg_id, client_id, up_to, ts, group_id, username, device) "
                    + "SELECT ?, ?, ?, ?, ?, ?, ?, username, device FROM devices "
                    + "WHERE username = ? AND (? = 0 OR level3 = 1)" + notReached);
            insertReceipt.put(reached, st);
        }
        return st;
    }

    private Written setListed(Write.ChangeContact s, long ts) throws SQLException {
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
            return new Written.Refused(ErrorCode.UNKNOWN_USER.wire(), "user '" + s.contact() + "' does not exist");
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
                    return new Written.Refused(ErrorCode.TOO_MANY_CONTACTS.wire(), "a contact list holds at most " + s.maxContacts() + " users");
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

    /** The first column of the first row, 0 when there is none or it is null. */
    private long longOr0(String sql, Object... args) throws SQLException {
        PreparedStatement st = fixedStatements.get(sql);
        for (int i = 0; i < args.length; i++) {
            st.setObject(i + 1, args[i]);
        }
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void setLong(PreparedStatement st, int index, Long value) throws SQLException {
        if (value == null) {
            st.setNull(index, java.sql.Types.BIGINT); // PostgreSQL wants the type of a null
        } else {
            st.setLong(index, value);
        }
    }

    private Written update(String sql, Object... args) throws SQLException {
        PreparedStatement st = fixedStatements.get(sql);
        for (int i = 0; i < args.length; i++) {
            st.setObject(i + 1, args[i]);
        }
        st.executeUpdate();
        return new Written.Done();
    }

    private void rollback() {
        try {
            for (PreparedStatement st : insertReceipt.values()) {
                st.clearBatch(); // rows added before the failure must not join the next batch
            }
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next batch will report it
        }
        // what the caches summarise may not have happened after all
        index.discard();
        groups.discard();
        pendingCounts.clear();
        conversations.clear();
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
