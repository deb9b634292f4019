package chat.server.store;

import chat.protocol.ErrorCode;
import chat.protocol.ServerFrame;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The group writes of a group commit, on the writer's connection and inside its transaction. A
 * group message is one row (receiver null, status 1: it never enters the pending index), whatever
 * the number of members; a membership change is a group event — a kind 1 row in the group's
 * conversation — and the member rows whose stretch it opens or closes.
 */
final class GroupWrites {

    /** Whether a user exists (the writer's cached check). */
    interface Users {
        boolean exist(String username) throws SQLException;
    }

    private final Connection db;
    private final LogIndex index;
    private final Users users;
    private final Map<String, Long> conversations = new HashMap<>();
    private PreparedStatement insertRow;

    GroupWrites(Connection db, LogIndex index, Users users) {
        this.db = db;
        this.index = index;
        this.users = users;
    }

    /** After a rollback: what was cached may not exist. */
    void discard() {
        conversations.clear();
    }

    Written create(Write.CreateGroup c, long ts) throws SQLException {
        if (conversation(c.groupId()) != null) {
            return new Written.GroupChanged(List.of(), true);
        }
        for (String m : c.members()) {
            if (!users.exist(m)) {
                return unknown(m);
            }
        }
        long conversation;
        try (PreparedStatement st = db.prepareStatement("INSERT INTO conversations (kind, group_id, created_at) "
                + "VALUES (2, ?, ?) RETURNING conversation_id")) {
            st.setString(1, c.groupId());
            st.setLong(2, ts);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                conversation = rs.getLong(1);
            }
        }
        update("INSERT INTO groups (group_id, conversation_id, name, created_by, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                c.groupId(), conversation, c.name(), c.creator(), c.clientId(), ts);
        conversations.put(c.groupId(), conversation);
        List<String> everyone = new ArrayList<>();
        everyone.add(c.creator());
        everyone.addAll(c.members());
        ServerFrame.GroupEvent created = event(conversation, c.groupId(), ServerFrame.GroupEvent.CREATED, c.creator(),
                everyone, c.name(), ts);
        for (int i = 0; i < everyone.size(); i++) {
            update("INSERT INTO group_members (group_id, username, joined_at, role, seq) VALUES (?, ?, ?, ?, ?)",
                    c.groupId(), everyone.get(i), created.msgId(), i == 0 ? 1 : 0, i);
        }
        return new Written.GroupChanged(List.of(created), false);
    }

    Written change(Write.ChangeGroup c, long ts) throws SQLException {
        Long conversation = conversation(c.groupId());
        if (conversation == null) {
            return new Written.Refused(ErrorCode.UNKNOWN_GROUP.wire(), "no group '" + c.groupId() + "'");
        }
        for (Write.GroupEdit e : c.edits()) {
            if (e instanceof Write.Added a) {
                for (String u : a.users()) {
                    if (!users.exist(u)) {
                        return unknown(u);
                    }
                }
            }
        }
        List<ServerFrame.GroupEvent> events = new ArrayList<>();
        for (Write.GroupEdit e : c.edits()) {
            if (e instanceof Write.Renamed r) {
                events.add(event(conversation, c.groupId(), ServerFrame.GroupEvent.RENAMED, c.by(), null, r.name(), ts));
                update("UPDATE groups SET name = ? WHERE group_id = ?", r.name(), c.groupId());
            } else if (e instanceof Write.Added a) {
                ServerFrame.GroupEvent added = event(conversation, c.groupId(), ServerFrame.GroupEvent.ADDED, c.by(),
                        a.users(), null, ts);
                events.add(added);
                for (int i = 0; i < a.users().size(); i++) {
                    update("INSERT INTO group_members (group_id, username, joined_at, role, seq) VALUES (?, ?, ?, 0, ?)",
                            c.groupId(), a.users().get(i), added.msgId(), i);
                }
            } else if (e instanceof Write.Removed r) {
                ServerFrame.GroupEvent removed = event(conversation, c.groupId(),
                        r.left() ? ServerFrame.GroupEvent.LEFT : ServerFrame.GroupEvent.REMOVED, c.by(), r.users(), null, ts);
                events.add(removed);
                for (String u : r.users()) {
                    update("UPDATE group_members SET left_at = ? WHERE group_id = ? AND username = ? AND left_at IS NULL",
                            removed.msgId(), c.groupId(), u);
                }
            } else if (e instanceof Write.Admins a) {
                events.add(event(conversation, c.groupId(), ServerFrame.GroupEvent.ADMINS, c.by(), a.admins(), null, ts));
                update("UPDATE group_members SET role = 0 WHERE group_id = ? AND left_at IS NULL", c.groupId());
                for (String u : a.admins()) {
                    update("UPDATE group_members SET role = 1 WHERE group_id = ? AND username = ? AND left_at IS NULL",
                            c.groupId(), u);
                }
            }
        }
        return new Written.GroupChanged(events, false);
    }

    /** A group message; the resend check (per sender, across devices and conversations) is the caller's. */
    ServerFrame.Message send(Write.GroupSend s, long ts, String timestamp) throws SQLException {
        Long conversation = conversation(s.groupId());
        if (conversation == null) {
            throw new SQLException("group " + s.groupId() + " has no conversation");
        }
        long msgId = insert(conversation, 0, s.sender(), s.clientId(), s.content(), ts, s.senderDevice());
        index.stage(msgId, conversation, s.sender(), s.clientId());
        return new ServerFrame.Message(msgId, s.clientId(), s.sender(), null, s.content(), timestamp, ts, null, s.groupId());
    }

    Written progress(Write.GroupProgress p) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("UPDATE group_members SET delivered_up_to = ? "
                + "WHERE group_id = ? AND username = ? AND left_at IS NULL AND delivered_up_to < ?")) {
            for (Map.Entry<String, Long> e : p.deliveredUpTo().entrySet()) {
                st.setLong(1, e.getValue());
                st.setString(2, p.groupId());
                st.setString(3, e.getKey());
                st.setLong(4, e.getValue());
                st.addBatch();
            }
            st.executeBatch();
        }
        return new Written.Done();
    }

    Written read(Write.MarkGroupRead r) throws SQLException {
        Long conversation = conversation(r.groupId());
        if (conversation == null) {
            return new Written.Read(false, 0);
        }
        int moved;
        try (PreparedStatement marker = db.prepareStatement("INSERT INTO conversation_reads (owner, conversation_id, up_to) "
                + "VALUES (?, ?, ?) ON CONFLICT (owner, conversation_id) DO UPDATE SET up_to = excluded.up_to "
                + "WHERE excluded.up_to > conversation_reads.up_to")) {
            marker.setString(1, r.reader());
            marker.setLong(2, conversation);
            marker.setLong(3, r.upTo());
            moved = marker.executeUpdate();
        }
        return new Written.Read(moved > 0, r.upTo());
    }

    private ServerFrame.GroupEvent event(long conversation, String groupId, String kind, String by, List<String> users,
                                         String name, long ts) throws SQLException {
        long msgId = insert(conversation, GroupEventContent.KIND, by, null, GroupEventContent.encode(kind, by, users, name), ts,
                null);
        index.stage(msgId, conversation, by, null);
        return new ServerFrame.GroupEvent(msgId, groupId, kind, by, users, name, ts);
    }

    private long insert(long conversation, int kind, String sender, String clientId, String content, long ts, String device)
            throws SQLException {
        if (insertRow == null) {
            insertRow = db.prepareStatement("INSERT INTO messages (conversation_id, kind, sender, receiver, client_id, content, "
                    + "ts, sender_device, status, indexed) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, 1, 0) RETURNING msg_id");
        }
        insertRow.setLong(1, conversation);
        insertRow.setInt(2, kind);
        insertRow.setString(3, sender);
        insertRow.setString(4, clientId);
        insertRow.setString(5, content);
        insertRow.setLong(6, ts);
        insertRow.setString(7, device);
        try (ResultSet rs = insertRow.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Long conversation(String groupId) throws SQLException {
        Long known = conversations.get(groupId);
        if (known != null) {
            return known;
        }
        try (PreparedStatement st = db.prepareStatement("SELECT conversation_id FROM groups WHERE group_id = ?")) {
            st.setString(1, groupId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                conversations.put(groupId, rs.getLong(1));
                return rs.getLong(1);
            }
        }
    }

    private static Written unknown(String user) {
        return new Written.Refused(ErrorCode.UNKNOWN_USER.wire(), "user '" + user + "' does not exist");
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            st.executeUpdate();
        }
    }
}
