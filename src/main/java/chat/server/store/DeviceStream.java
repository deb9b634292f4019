package chat.server.store;

import chat.protocol.DeviceIds;
import chat.protocol.ServerFrame;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a level 3 device replays at login: its user's stream above the device's position, in msg_id
 * order — every 1:1 message to the user, the copies of what the user sent from its other devices,
 * and the messages and events of its groups while it was a member. Read through the user's
 * conversations (the indexed log, then the unindexed tail), so its cost follows the user's own
 * traffic, not the node's.
 */
public final class DeviceStream {

    private static final String COLUMNS = "m.msg_id, m.kind, m.sender, m.receiver, m.client_id, m.content, m.ts, "
            + "m.sender_device, m.conversation_id";

    private final Database db;

    public DeviceStream(Database db) {
        this.db = db;
    }

    /**
     * A page of the stream after `after` (0: from the device's stored position). `next`: where the
     * following page starts (a page may hold fewer than asked and still have more after it: what
     * this device sent itself is skipped). `truncated`: the device was more than `maxBehind` behind,
     * and the page starts at the newest `maxBehind`.
     */
    public record Page(List<ServerFrame.Delivery> deliveries, long next, boolean more, boolean truncated) {
        public Page {
            deliveries = List.copyOf(deliveries);
        }
    }

    /** A stretch of membership: the group's messages in [joinedAt, leftAt] are the member's. */
    private record Window(String groupId, long joinedAt, long leftAt) {
        boolean covers(long msgId) {
            return msgId >= joinedAt && msgId <= leftAt;
        }
    }

    public Page read(String user, String device, long after, int limit, int maxBehind) {
        try (Connection c = db.reader()) {
            c.setAutoCommit(false); // one snapshot: a row the writer indexes meanwhile is in the tail or the log
            try {
                return read(c, user, device, after, limit, maxBehind);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("stream query failed: " + e.getMessage(), e);
        }
    }

    /**
     * The device `default` (levels 1 and 2): the one-to-one messages to `user` above its position
     * and `after` — what another device acked while it was away (its pending messages it reads by
     * their status). Nothing while the user has no level 3 device: then the status says it all.
     */
    public Page readDefault(String user, long after, int limit) {
        try (Connection c = db.reader()) {
            c.setAutoCommit(false);
            try {
                long position = -1;
                try (PreparedStatement st = c.prepareStatement("SELECT d.delivered_up_to FROM devices d WHERE d.username = ? "
                        + "AND d.device = '" + DeviceIds.DEFAULT + "' AND EXISTS "
                        + "(SELECT 1 FROM devices o WHERE o.username = d.username AND o.level3 = 1)")) {
                    st.setString(1, user);
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            position = rs.getLong(1);
                        }
                    }
                }
                if (position < 0) {
                    return new Page(List.of(), after, false, false);
                }
                return read(c, user, DeviceIds.DEFAULT, Math.max(after, position), limit, 0, true);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("stream query failed: " + e.getMessage(), e);
        }
    }

    private Page read(Connection c, String user, String device, long after, int limit, int maxBehind) throws SQLException {
        // a device far behind is truncated only at the start of its replay
        return read(c, user, device, after > 0 ? after : position(c, user, device), limit, after == 0 ? maxBehind : 0, false);
    }

    /** `toUserOnly`: the one-to-one messages to the user, no groups and no copies (the device `default`). */
    private Page read(Connection c, String user, String device, long from, int limit, int maxBehind, boolean toUserOnly)
            throws SQLException {
        Set<Long> direct = new HashSet<>();
        try (PreparedStatement st = c.prepareStatement("SELECT conversation_id FROM conversations WHERE kind = 1 AND user_a = ? "
                + "UNION ALL SELECT conversation_id FROM conversations WHERE kind = 1 AND user_b = ?")) {
            st.setString(1, user);
            st.setString(2, user);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    direct.add(rs.getLong(1));
                }
            }
        }
        Map<Long, List<Window>> groups = new HashMap<>();
        if (!toUserOnly) {
            try (PreparedStatement st = c.prepareStatement("SELECT g.conversation_id, g.group_id, gm.joined_at, gm.left_at "
                    + "FROM group_members gm JOIN groups g ON g.group_id = gm.group_id WHERE gm.username = ?")) {
                st.setString(1, user);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        long left = rs.getLong(4);
                        long until = rs.wasNull() ? Long.MAX_VALUE : left; // still a member
                        groups.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new Window(rs.getString(2), rs.getLong(3), until));
                    }
                }
            }
        }
        boolean truncated = false;
        if (maxBehind > 0) {
            long newestKept = skipTo(c, direct, groups, from, maxBehind);
            if (newestKept > from) {
                from = newestKept;
                truncated = true;
            }
        }
        TreeMap<Long, ServerFrame.Delivery> page = new TreeMap<>();
        // a conversation read up to its LIMIT may have more beyond its last row: the page is
        // complete only up to the lowest such row
        long complete = Long.MAX_VALUE;
        try (PreparedStatement log = c.prepareStatement("SELECT " + COLUMNS + " FROM conversation_log l "
                + "JOIN messages m ON m.msg_id = l.msg_id WHERE l.conversation_id = ? AND l.msg_id > ? ORDER BY l.msg_id LIMIT ?")) {
            for (long conversation : union(direct, groups.keySet())) {
                log.setLong(1, conversation);
                log.setLong(2, from);
                log.setInt(3, limit);
                long[] last = collect(log, user, device, direct, groups, page, toUserOnly);
                if (last[0] == limit) {
                    complete = Math.min(complete, last[1]);
                }
            }
        }
        try (PreparedStatement tail = c.prepareStatement("SELECT " + COLUMNS + " FROM messages m "
                + "WHERE m.indexed = 0 AND m.msg_id > ? ORDER BY m.msg_id")) {
            tail.setLong(1, from);
            collect(tail, user, device, direct, groups, page, toUserOnly);
        }
        List<ServerFrame.Delivery> out = new ArrayList<>(Math.min(limit, page.size()));
        long next = from;
        boolean more = complete != Long.MAX_VALUE;
        for (ServerFrame.Delivery d : page.headMap(complete, true).values()) {
            if (out.size() == limit) {
                more = true;
                break;
            }
            out.add(d);
            next = d.msgId();
        }
        if (out.size() < limit && complete != Long.MAX_VALUE) {
            next = complete; // everything up to it was read, and skipped or taken
        }
        return new Page(out, next, more, truncated);
    }

    private static long position(Connection c, String user, String device) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT delivered_up_to FROM devices WHERE username = ? AND device = ?")) {
            st.setString(1, user);
            st.setString(2, device);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * The msg_id below the newest `maxBehind` of the stream above `from`, or `from` when there are
     * not that many. Counted on the conversations' entries (a copy of the device's own counts too):
     * it bounds a replay, it need not be exact.
     */
    private static long skipTo(Connection c, Set<Long> direct, Map<Long, List<Window>> groups, long from, int maxBehind)
            throws SQLException {
        Set<Long> conversations = union(direct, groups.keySet());
        java.util.PriorityQueue<Long> newest = new java.util.PriorityQueue<>(); // the maxBehind + 1 newest, smallest on top
        try (PreparedStatement log = c.prepareStatement("SELECT msg_id FROM conversation_log WHERE conversation_id = ? "
                + "AND msg_id > ? ORDER BY msg_id DESC LIMIT ?");
             PreparedStatement tail = c.prepareStatement("SELECT msg_id, conversation_id FROM messages "
                     + "WHERE indexed = 0 AND msg_id > ?")) {
            for (long conversation : conversations) {
                log.setLong(1, conversation);
                log.setLong(2, from);
                log.setInt(3, maxBehind + 1);
                try (ResultSet rs = log.executeQuery()) {
                    while (rs.next()) {
                        keep(newest, rs.getLong(1), maxBehind + 1);
                    }
                }
            }
            tail.setLong(1, from);
            try (ResultSet rs = tail.executeQuery()) {
                while (rs.next()) {
                    if (conversations.contains(rs.getLong(2))) {
                        keep(newest, rs.getLong(1), maxBehind + 1);
                    }
                }
            }
        }
        return newest.size() > maxBehind ? newest.peek() : from;
    }

    private static void keep(java.util.PriorityQueue<Long> newest, long id, int size) {
        if (newest.contains(id)) {
            return; // in the tail and the log at once
        }
        newest.add(id);
        if (newest.size() > size) {
            newest.poll();
        }
    }

    private static Set<Long> union(Set<Long> a, Set<Long> b) {
        Set<Long> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The rows of `st` that belong to this device's stream, as frames, into `page`; the number of
     * rows read and the last msg_id read.
     */
    private static long[] collect(PreparedStatement st, String user, String device, Set<Long> direct,
                                  Map<Long, List<Window>> groups, Map<Long, ServerFrame.Delivery> page, boolean toUserOnly)
            throws SQLException {
        long rows = 0;
        long lastId = 0;
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                long msgId = rs.getLong(1);
                rows++;
                lastId = msgId;
                int kind = rs.getInt(2);
                String sender = rs.getString(3);
                String receiver = rs.getString(4);
                String sentFrom = rs.getString(8);
                long conversation = rs.getLong(9);
                boolean ownCopy = user.equals(sender) && device.equals(sentFrom == null ? DeviceIds.DEFAULT : sentFrom);
                long ts = rs.getLong(7);
                if (direct.contains(conversation)) {
                    if ((ownCopy || toUserOnly) && !user.equals(receiver)) {
                        continue; // what this device sent itself (or, for `default`, any copy)
                    }
                    page.put(msgId, new ServerFrame.Message(msgId, rs.getString(5), sender, receiver, rs.getString(6),
                            Timestamps.format(ts), ts, null));
                    continue;
                }
                List<Window> windows = groups.get(conversation);
                if (windows == null) {
                    continue; // another user's conversation (the tail holds everyone's)
                }
                Window in = windows.stream().filter(w -> w.covers(msgId)).findFirst().orElse(null);
                if (in == null) {
                    continue;
                }
                if (kind == GroupEventContent.KIND) {
                    page.put(msgId, GroupEventContent.toFrame(msgId, in.groupId(), ts, rs.getString(6)));
                } else if (!ownCopy) {
                    page.put(msgId, new ServerFrame.Message(msgId, rs.getString(5), sender, null, rs.getString(6),
                            Timestamps.format(ts), ts, null, in.groupId()));
                }
            }
        }
        return new long[] {rows, lastId};
    }
}
