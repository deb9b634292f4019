package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.ErrorCode;
import chat.protocol.GroupNames;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.protocol.Usernames;
import chat.server.groups.Group;
import chat.server.mailbox.Mailbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A level 3 session's group frames: checked here (names, lists, sizes), then handed to the group's
 * owner ({@link Group}), whose answers come back to this connection. It also remembers which
 * delivered messages were a group's, so that the device's acks reach that group's receipts, and
 * what this device is typing in, so that it stops when the device goes.
 */
final class GroupFrames {

    /** Delivered group messages remembered for their acks; older ones only miss their "delivered" count. */
    private static final int TRACKED = 16_384;

    private final Peer peer;
    private final String user;
    private final Set<String> typingIn = new HashSet<>();
    private final Map<Long, String> groupOf = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > TRACKED;
        }
    };
    private ActorRef<Group.Reply> replies;

    GroupFrames(Peer peer) {
        this.peer = peer;
        this.user = peer.user;
    }

    /** A group's message or event went to this device. */
    void delivered(ServerFrame.Delivery d) {
        if (d instanceof ServerFrame.Message m && m.groupId() != null && !user.equals(m.sender())) {
            groupOf.put(m.msgId(), m.groupId());
        }
    }

    /** The device acked these: the groups among them hear it. */
    void acked(List<Long> msgIds) {
        Map<String, List<Long>> byGroup = new HashMap<>();
        for (long id : msgIds) {
            String g = groupOf.remove(id);
            if (g != null) {
                byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(id);
            }
        }
        byGroup.forEach((g, ids) -> group(g).tell(new Group.Delivered(user, ids)));
    }

    void create(ClientFrame.CreateGroup c) {
        if (!GroupNames.valid(c.name())) {
            badFrame("a group name is 1-64 characters, no control characters", c.type());
            return;
        }
        Set<String> others = new LinkedHashSet<>();
        for (String name : c.members()) {
            String folded = Usernames.fold(name);
            if (folded == null) {
                badFrame("'" + name + "' is not a valid username", c.type());
                return;
            }
            if (!folded.equals(user)) {
                others.add(folded); // the creator is in whether listed or not; duplicates are ignored
            }
        }
        int max = peer.settings.limits().maxGroupMembers();
        if (others.size() + 1 > max) {
            peer.send(new ServerFrame.Error(ErrorCode.TOO_MANY_MEMBERS, "a group has at most " + max + " members", c.type()));
            return;
        }
        group(groupIdFor(c.id())).tell(new Group.Create(user, c.name(), List.copyOf(others), c.id(), replies()));
    }

    /**
     * With an idempotency key the id follows from it, so a resend reaches the same group's owner
     * and creates nothing; without one, a fresh id.
     */
    private String groupIdFor(String clientId) {
        if (clientId == null) {
            return "g" + UUID.randomUUID().toString().replace("-", "");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((user + '\n' + clientId).getBytes(StandardCharsets.UTF_8));
            return "g" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void update(ClientFrame.GroupUpdate u) {
        if (!validId(u.groupId(), u.type())) {
            return;
        }
        if (u.name() != null && !GroupNames.valid(u.name())) {
            badFrame("a group name is 1-64 characters, no control characters", u.type());
            return;
        }
        List<String> add = fold(u.add(), u.type());
        List<String> remove = fold(u.remove(), u.type());
        List<String> admins = fold(u.admins(), u.type());
        if ((u.add() != null && add == null) || (u.remove() != null && remove == null) || (u.admins() != null && admins == null)) {
            return;
        }
        group(u.groupId()).tell(new Group.Update(user, add, remove, admins, u.name(), replies()));
    }

    void leave(ClientFrame.LeaveGroup l) {
        if (validId(l.groupId(), l.type())) {
            group(l.groupId()).tell(new Group.Leave(user, replies()));
        }
    }

    void receipts(ClientFrame.GroupReceipts r) {
        if (validId(r.groupId(), r.type())) {
            group(r.groupId()).tell(new Group.Receipts(user, r.msgId(), replies()));
        }
    }

    /** A group message that passed the session's checks (size, rate). */
    void send(ClientFrame.Message m, ActorRef<Mailbox.SendOutcome> sendReplies) {
        typingIn.remove(m.groupId());
        group(m.groupId()).tell(new Group.Send(user, peer.device, m.id(), m.content(), sendReplies));
    }

    void typing(String groupId, boolean typing) {
        if (groupId.length() > 64) {
            return;
        }
        if (typing) {
            typingIn.add(groupId);
        } else {
            typingIn.remove(groupId);
        }
        group(groupId).tell(new Group.Typing(user, typing));
    }

    void read(ClientFrame.Read r) {
        if (validId(r.groupId(), r.type())) {
            group(r.groupId()).tell(new Group.Read(user, peer.device, r.upTo()));
        }
    }

    /** The device is gone: its typing ends. */
    void stopped() {
        for (String g : typingIn) {
            group(g).tell(new Group.Typing(user, false));
        }
        typingIn.clear();
    }

    /** An answer of a group to this connection. */
    void answered(Group.Reply reply) {
        if (reply.frame() != null) {
            peer.send(reply.frame());
        }
    }

    boolean validId(String groupId, String ref) {
        if (groupId == null || groupId.isEmpty() || groupId.length() > 64) {
            badFrame("'group_id' must be a group's id", ref);
            return false;
        }
        return true;
    }

    private List<String> fold(List<String> names, String ref) {
        if (names == null) {
            return null;
        }
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            String folded = Usernames.fold(n);
            if (folded == null) {
                badFrame("'" + n + "' is not a valid username", ref);
                return null;
            }
            if (!out.contains(folded)) {
                out.add(folded);
            }
        }
        return out;
    }

    private void badFrame(String reason, String ref) {
        peer.send(ProtocolError.badFrame(reason, ref).toFrame());
    }

    private org.apache.pekko.actor.typed.RecipientRef<Group.Command> group(String groupId) {
        return peer.services.groups().apply(groupId);
    }

    private ActorRef<Group.Reply> replies() {
        if (replies == null) {
            replies = peer.ctx.messageAdapter(Group.Reply.class, Session.GroupAnswered::new);
        }
        return replies;
    }
}
