package chat.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The history (conversation_log) and idempotency (client_ids) entries of one writer's messages,
 * kept behind the log: a group commit only appends messages (indexed = 0); once `flushAt` of them
 * wait, they become a generation sorted by conversation, whose entries go in a piece (a quarter)
 * per following group commit, inside that commit's transaction, with the mark that they are
 * indexed. So a conversation's or a sender's index page is written about once per generation, not
 * once per commit, however many conversations are active (a commit dirtied a page per distinct
 * user per index before); and no commit waits behind a whole flush with an fsync of its own (a
 * flush of 4,096 at once was a stall of tens of milliseconds every few thousand messages).
 *
 * Until then this writer answers for its tail from memory (the resend check); readers find the
 * tail through messages_unindexed. At start {@link #recover} indexes whatever a crash left
 * unindexed, reading it in pages: the entries are derivable from the log, which is durable before
 * any ack. Writer thread only; memory is bounded by `flushAt` entries.
 */
final class LogIndex {

    private static final int ROWS = 200;
    private static final int IDS = 256;
    /** A generation moves in this many pieces, one per commit. */
    private static final int PIECES = 4;

    record Entry(long msgId, long conversationId, String sender, String clientId) {
    }

    private final Connection db;
    private final int flushAt;
    private final List<Entry> tail = new ArrayList<>();
    private final Map<String, Long> tailKeys = new HashMap<>();
    private List<Entry> generation = List.of(); // sorted by conversation; moving a piece per commit
    private int moved; // entries of the generation already in the index
    private List<Entry> piece; // written in the transaction under way, not yet committed
    private final List<Entry> staged = new ArrayList<>();
    private final Map<String, Long> stagedKeys = new HashMap<>();
    private PreparedStatement findKey;
    /** Prepared once per distinct text: a few hundred at most (row counts up to ROWS, id buckets). */
    private final WriterStatements statements;

    LogIndex(Connection db, int flushAt) {
        this.db = db;
        this.flushAt = flushAt;
        this.statements = new WriterStatements(db);
    }

    /** The msg_id already stored (or staged in this transaction) under this client id, or null. */
    Long find(String sender, String clientId) throws SQLException {
        String key = sender + '\n' + clientId;
        Long id = stagedKeys.get(key);
        if (id == null) {
            id = tailKeys.get(key);
        }
        if (id != null) {
            return id;
        }
        if (findKey == null) {
            findKey = db.prepareStatement("SELECT msg_id FROM client_ids WHERE sender = ? AND client_id = ?");
        }
        findKey.setString(1, sender);
        findKey.setString(2, clientId);
        try (ResultSet rs = findKey.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /** A message inserted in the transaction under way. */
    void stage(long msgId, long conversationId, String sender, String clientId) {
        staged.add(new Entry(msgId, conversationId, sender, clientId));
        if (clientId != null) {
            stagedKeys.put(sender + '\n' + clientId, msgId);
        }
    }

    /** The transaction committed: its messages join the tail, the piece it indexed leaves it. */
    void committed() {
        if (piece != null) {
            leaveTail(piece);
            moved += piece.size();
            piece = null;
        }
        tail.addAll(staged);
        tailKeys.putAll(stagedKeys);
        discard();
    }

    /** The transaction rolled back: its messages never were, and the piece it indexed is still to move. */
    void discard() {
        staged.clear();
        stagedKeys.clear();
        piece = null;
    }

    /**
     * In the transaction under way, before its own writes: indexes the next piece of the generation
     * in motion, starting one once `flushAt` messages wait. Committed or discarded with the rest.
     */
    void flushIfDue() throws SQLException {
        if (moved >= generation.size()) {
            generation = List.of();
            moved = 0;
            if (tail.size() < flushAt) {
                return;
            }
            List<Entry> next = new ArrayList<>(tail);
            next.sort(Comparator.comparingLong(Entry::conversationId).thenComparingLong(Entry::msgId));
            generation = next;
        }
        int size = Math.max(1, (generation.size() + PIECES - 1) / PIECES);
        piece = generation.subList(moved, Math.min(generation.size(), moved + size));
        index(piece);
    }

    /** Indexes what a previous run left unindexed (a crash, or a flush that never came), page by page. */
    void recover() throws SQLException {
        long after = 0;
        try (PreparedStatement st = db.prepareStatement("SELECT msg_id, conversation_id, sender, client_id FROM messages "
                + "WHERE indexed = 0 AND msg_id > ? ORDER BY msg_id LIMIT ?")) {
            while (true) {
                st.setLong(1, after);
                st.setInt(2, Math.max(flushAt, 1000));
                int n = 0;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getLong(1);
                        tail.add(new Entry(after, rs.getLong(2), rs.getString(3), rs.getString(4)));
                        n++;
                    }
                }
                if (n == 0) {
                    return;
                }
                flush();
            }
        }
    }

    /** Recovery's flush: the whole tail in a transaction of its own. */
    private void flush() throws SQLException {
        List<Entry> all = new ArrayList<>(tail);
        all.sort(Comparator.comparingLong(Entry::conversationId).thenComparingLong(Entry::msgId));
        try {
            index(all);
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback(); // the tail stays as it was; the next flush (or the next start) tries again
            throw e;
        }
        tail.clear();
        tailKeys.clear();
    }

    /** Writes the entries of `entries` (sorted by conversation) and marks their messages indexed. */
    private void index(List<Entry> entries) throws SQLException {
        insertRows(entries, 2, "INSERT INTO conversation_log (conversation_id, msg_id) VALUES ", "(?, ?)",
                (st, p, e) -> {
                    st.setLong(p, e.conversationId());
                    st.setLong(p + 1, e.msgId());
                });
        List<Entry> byKey = new ArrayList<>();
        for (Entry e : entries) {
            if (e.clientId() != null) {
                byKey.add(e);
            }
        }
        byKey.sort(Comparator.comparing(Entry::sender).thenComparing(Entry::clientId));
        insertRows(byKey, 3, "INSERT INTO client_ids (sender, client_id, msg_id) VALUES ", "(?, ?, ?)", (st, p, e) -> {
            st.setString(p, e.sender());
            st.setString(p + 1, e.clientId());
            st.setLong(p + 2, e.msgId());
        });
        markIndexed(entries);
    }

    /** The moved entries leave the tail (a few thousand at most: one pass). */
    private void leaveTail(List<Entry> gone) {
        Set<Long> ids = new HashSet<>(gone.size() * 2);
        for (Entry e : gone) {
            ids.add(e.msgId());
            if (e.clientId() != null) {
                tailKeys.remove(e.sender() + '\n' + e.clientId());
            }
        }
        tail.removeIf(e -> ids.contains(e.msgId()));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement st, int firstParameter, Entry e) throws SQLException;
    }

    private void insertRows(List<Entry> rows, int columns, String head, String row, Binder binder) throws SQLException {
        for (int from = 0; from < rows.size(); from += ROWS) {
            List<Entry> part = rows.subList(from, Math.min(rows.size(), from + ROWS));
            // ON CONFLICT: a recovery may index what another partition's writer indexes as well
            String sql = head + String.join(",", Collections.nCopies(part.size(), row)) + " ON CONFLICT DO NOTHING";
            PreparedStatement st = statements.get(sql);
            int p = 1;
            for (Entry e : part) {
                binder.bind(st, p, e);
                p += columns;
            }
            st.executeUpdate();
        }
    }

    private void markIndexed(List<Entry> entries) throws SQLException {
        for (int from = 0; from < entries.size(); from += IDS) {
            List<Entry> part = entries.subList(from, Math.min(entries.size(), from + IDS));
            int size = part.size() == IDS ? IDS : Integer.highestOneBit(part.size() - 1 | 1) << 1;
            String sql = "UPDATE messages SET indexed = 1 WHERE msg_id IN (" + String.join(",", Collections.nCopies(size, "?")) + ")";
            PreparedStatement st = statements.get(sql);
            for (int k = 0; k < size; k++) {
                st.setLong(k + 1, part.get(Math.min(k, part.size() - 1)).msgId()); // padding repeats the last id
            }
            st.executeUpdate();
        }
    }
}
