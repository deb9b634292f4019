package chat.server.store;

import chat.protocol.ServerFrame;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads about groups on pooled connections (store-reader pool): a group as its owner loads it, the
 * user's groups, a member's history bounded by its stretches of membership, and the groups' rows of
 * conversations_response. A group's messages are read as history is: the unindexed tail, then the
 * indexed log.
 */
public final class GroupQueries {

    private static final String COLUMNS = "m.msg_id, m.kind, m.sender, m.client_id, m.content, m.ts, m.status";

    private final Database db;

    public GroupQueries(Database db) {
        this.db = db;
    }

    /** A stretch of membership. `leftAt` null: still a member. `readUpTo`: the member's read marker. */
    public record MemberRow(String username, boolean admin, long joinedAt, Long leftAt, int seq, long deliveredUpTo,
                            long readUpTo, boolean level3) {
    }

    /** A group as its owner starts from; `newest`: its highest msg_id. */
    public record GroupRecord(String groupId, String name, String createdBy, long createdAt, long conversationId,
                              List<MemberRow> members, long newest) {
        public GroupRecord {
            members = List.copyOf(members);
        }
    }

    /** The group, or null when there is none. */
    public GroupRecord load(String groupId) {
        try (Connection c = db.reader()) {
            String name;
            String createdBy;
            long createdAt;
            long conversation;
            try (PreparedStatement st = c.prepareStatement("SELECT name, created_by, created_at, conversation_id FROM groups "
                    + "WHERE group_id = ?")) {
                st.setString(1, groupId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    name = rs.getString(1);
                    createdBy = rs.getString(2);
                    createdAt = rs.getLong(3);
                    conversation = rs.getLong(4);
                }
            }
            List<MemberRow> members = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT gm.username, gm.role, gm.joined_at, gm.left_at, gm.seq, "
                    + "gm.delivered_up_to, COALESCE(r.up_to, 0), "
                    + "(SELECT COUNT(*) FROM devices d WHERE d.username = gm.username AND d.level3 = 1) "
                    + "FROM group_members gm LEFT JOIN conversation_reads r ON r.owner = gm.username AND r.conversation_id = ? "
                    + "WHERE gm.group_id = ? ORDER BY gm.joined_at, gm.seq")) {
                st.setLong(1, conversation);
                st.setString(2, groupId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        long left = rs.getLong(4);
                        Long leftAt = rs.wasNull() ? null : left;
                        members.add(new MemberRow(rs.getString(1), rs.getInt(2) == 1, rs.getLong(3), leftAt, rs.getInt(5),
                                rs.getLong(6), rs.getLong(7), rs.getLong(8) > 0));
                    }
                }
            }
            long newest = 0;
            try (PreparedStatement st = c.prepareStatement("SELECT MAX(msg_id) FROM conversation_log WHERE conversation_id = ? "
                    + "UNION ALL SELECT MAX(msg_id) FROM messages WHERE indexed = 0 AND conversation_id = ?")) {
                st.setLong(1, conversation);
                st.setLong(2, conversation);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        newest = Math.max(newest, rs.getLong(1));
                    }
                }
            }
            return new GroupRecord(groupId, name, createdBy, createdAt, conversation, members, newest);
        } catch (SQLException e) {
            throw new StoreUnavailable("group query failed: " + e.getMessage(), e);
        }
    }

    /** The groups the user is in now, as group frames, oldest membership first. */
    public List<ServerFrame.Group> groupsOf(String user) {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.reader(); PreparedStatement st = c.prepareStatement(
                "SELECT group_id FROM group_members WHERE username = ? AND left_at IS NULL ORDER BY joined_at")) {
            st.setString(1, user);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("groups query failed: " + e.getMessage(), e);
        }
        List<ServerFrame.Group> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            GroupRecord g = load(id);
            if (g != null) {
                out.add(frame(g));
            }
        }
        return out;
    }

    /** The group frame of a loaded group: its current members, in the order they joined. */
    public static ServerFrame.Group frame(GroupRecord g) {
        List<ServerFrame.Member> members = new ArrayList<>();
        for (MemberRow m : g.members()) {
            if (m.leftAt() == null) {
                members.add(new ServerFrame.Member(m.username(), m.admin() ? ServerFrame.Member.ADMIN : ServerFrame.Member.MEMBER));
            }
        }
        return new ServerFrame.Group(g.groupId(), g.name(), members, g.createdBy(), g.createdAt());
    }

    /** history with group_id: `known` false for no such group, `member` false for a user never in it. */
    public record GroupHistory(boolean known, boolean member, ServerFrame.HistoryResponse page) {
    }

    /** The user's page of the group before `before` (null: the newest), within its stretches of membership. */
    public GroupHistory history(String user, String groupId, Long before, int limit) {
        GroupRecord g = load(groupId);
        if (g == null) {
            return new GroupHistory(false, false, null);
        }
        List<MemberRow> mine = g.members().stream().filter(m -> m.username().equals(user)).toList();
        if (mine.isEmpty()) {
            return new GroupHistory(true, false, null);
        }
        long bound = before == null ? Long.MAX_VALUE : before;
        TreeMap<Long, ServerFrame.Delivery> found = new TreeMap<>();
        try (Connection c = db.reader()) {
            // newest first, stretch by stretch: a page never holds what was sent while the user was out
            for (MemberRow m : mine) {
                long upper = Math.min(bound - 1, m.leftAt() == null ? Long.MAX_VALUE : m.leftAt());
                if (upper < m.joinedAt()) {
                    continue;
                }
                for (String sql : List.of(
                        "SELECT " + COLUMNS + " FROM messages m WHERE m.indexed = 0 AND m.conversation_id = ? "
                                + "AND m.msg_id >= ? AND m.msg_id <= ? ORDER BY m.msg_id DESC LIMIT ?",
                        "SELECT " + COLUMNS + " FROM conversation_log l JOIN messages m ON m.msg_id = l.msg_id "
                                + "WHERE l.conversation_id = ? AND l.msg_id >= ? AND l.msg_id <= ? ORDER BY l.msg_id DESC LIMIT ?")) {
                    try (PreparedStatement st = c.prepareStatement(sql)) {
                        st.setLong(1, g.conversationId());
                        st.setLong(2, m.joinedAt());
                        st.setLong(3, upper);
                        st.setInt(4, limit + 1);
                        try (ResultSet rs = st.executeQuery()) {
                            while (rs.next()) {
                                ServerFrame.Delivery d = delivery(rs, groupId, true);
                                found.put(d.msgId(), d);
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("group history query failed: " + e.getMessage(), e);
        }
        List<ServerFrame.Delivery> newestFirst = new ArrayList<>(found.descendingMap().values());
        boolean hasMore = newestFirst.size() > limit;
        List<ServerFrame.Delivery> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
        Collections.reverse(page);
        return new GroupHistory(true, true, new ServerFrame.HistoryResponse(null, page, hasMore, groupId));
    }

    /** A group's row of conversations_response, with the msg_id it sorts by. */
    public record GroupConversation(ServerFrame.Conversation conversation, long newest) {
    }

    /**
     * The user's current groups with their last message (events are never `last`) and unread count
     * (messages from others above the user's marker, since it joined).
     */
    public List<GroupConversation> conversations(String user) {
        List<GroupConversation> out = new ArrayList<>();
        try (Connection c = db.reader()) {
            c.setAutoCommit(false); // one snapshot: a message the writer indexes meanwhile is counted once
            try {
                return conversations(c, user, out);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("group conversations query failed: " + e.getMessage(), e);
        }
    }

    private List<GroupConversation> conversations(Connection c, String user, List<GroupConversation> out) throws SQLException {
        {
            List<Object[]> groups = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT g.group_id, g.name, g.conversation_id, gm.joined_at, "
                    + "COALESCE(r.up_to, 0) FROM group_members gm JOIN groups g ON g.group_id = gm.group_id "
                    + "LEFT JOIN conversation_reads r ON r.owner = gm.username AND r.conversation_id = g.conversation_id "
                    + "WHERE gm.username = ? AND gm.left_at IS NULL")) {
                st.setString(1, user);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        groups.add(new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
                    }
                }
            }
            for (Object[] g : groups) {
                String groupId = (String) g[0];
                long conversation = (Long) g[2];
                long joined = (Long) g[3];
                long read = Math.max((Long) g[4], joined);
                ServerFrame.Message last = null;
                long unread = 0;
                long newest = joined;
                for (String from : List.of(
                        "FROM messages m WHERE m.indexed = 0 AND m.conversation_id = ? AND m.msg_id >= ?",
                        "FROM conversation_log l JOIN messages m ON m.msg_id = l.msg_id WHERE l.conversation_id = ? AND l.msg_id >= ?")) {
                    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " " + from
                            + " AND m.kind = 0 ORDER BY m.msg_id DESC LIMIT 1")) {
                        st.setLong(1, conversation);
                        st.setLong(2, joined);
                        try (ResultSet rs = st.executeQuery()) {
                            if (rs.next() && (last == null || rs.getLong(1) > last.msgId())) {
                                last = (ServerFrame.Message) delivery(rs, groupId, true);
                            }
                        }
                    }
                    try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) " + from
                            + " AND m.kind = 0 AND m.msg_id > ? AND m.sender <> ?" + (from.contains("indexed = 0") ? "" : " AND m.indexed = 1"))) {
                        st.setLong(1, conversation);
                        st.setLong(2, joined);
                        st.setLong(3, read);
                        st.setString(4, user);
                        try (ResultSet rs = st.executeQuery()) {
                            rs.next();
                            unread += rs.getLong(1);
                        }
                    }
                }
                if (last != null) {
                    newest = last.msgId();
                }
                out.add(new GroupConversation(ServerFrame.Conversation.ofGroup(groupId, (String) g[1], last, unread), newest));
            }
            return out;
        }
    }

    /** Who sent a message (or made an event), or null for none. */
    public String sender(long msgId) {
        try (Connection c = db.reader(); PreparedStatement st = c.prepareStatement("SELECT sender FROM messages WHERE msg_id = ?")) {
            st.setLong(1, msgId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("message query failed: " + e.getMessage(), e);
        }
    }

    private static ServerFrame.Delivery delivery(ResultSet rs, String groupId, boolean withStatus) throws SQLException {
        long msgId = rs.getLong(1);
        long ts = rs.getLong(6);
        if (rs.getInt(2) == GroupEventContent.KIND) {
            return GroupEventContent.toFrame(msgId, groupId, ts, rs.getString(5));
        }
        return new ServerFrame.Message(msgId, rs.getString(4), rs.getString(3), null, rs.getString(5), Timestamps.format(ts), ts,
                withStatus ? MessageStatus.of(rs.getInt(7)).wire : null, groupId);
    }
}
