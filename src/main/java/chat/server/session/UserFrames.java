package chat.server.session;

import chat.protocol.ErrorCode;
import chat.protocol.ClientFrame;
import chat.protocol.DeviceIds;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.protocol.Usernames;
import chat.server.accounts.Accounts;
import chat.server.mailbox.Mailbox;
import chat.server.presence.Presence;
import chat.server.session.Intake.Hold;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * What a logged-in user may ask (its frames while replaying and online) and the answers to it:
 * messages to the Mailbox (the sender is always the session's user), typing to Presence, acks and
 * reads as delivery marks, queries to the Directory, contacts, logout. Each bounded by what it may
 * have in flight: past that, the intake holds and the client is slowed at its socket.
 */
final class UserFrames {

    /** A login frame on a logged-in connection (no constant in chat.protocol yet). */
    private static final String ALREADY_LOGGED_IN = ErrorCode.ALREADY_LOGGED_IN.wire();
    private static final int MAX_TYPING_TRACKED = 64;
    /** Typing is soft state: frames past this rate are dropped silently (a client sends one every ~3 s). */
    private static final double TYPING_PER_SECOND = 10;
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    /** Queries (user lists, history, contacts) one session may have waiting for the store. */
    private static final int MAX_QUERIES_IN_FLIGHT = 8;
    /**
     * Ack frames one session may have waiting for their commit. Without a bound, a client replaying
     * a million messages acks them faster than the store marks them (and keeps the receipts that
     * follow), and the Mailbox's queue grows with the backlog.
     */
    private static final int MAX_MARKS_IN_FLIGHT = 32;

    private final Peer peer;
    private final String user;
    private final TokenBucket sendBucket;
    private final TokenBucket typingBucket;
    private Set<String> typingTo; // whom the user is typing to, made when first needed
    private ActorRef<Mailbox.SendOutcome> sendReplies;
    private ActorRef<Done> marksReplies;
    private final GroupFrames groups;
    private int queriesInFlight;
    private int marksInFlight;

    UserFrames(Peer peer) {
        this.peer = peer;
        this.user = peer.user;
        long now = System.nanoTime();
        this.sendBucket = new TokenBucket(peer.settings.limits().messagesPerSecond(), peer.settings.limits().messagesBurst(), now);
        this.typingBucket = new TokenBucket(TYPING_PER_SECOND, 2 * TYPING_PER_SECOND, now);
        this.groups = new GroupFrames(peer);
    }

    GroupFrames groups() {
        return groups;
    }

    Hold handle(ClientFrame frame) {
        if (peer.level < 3 && !levelTwoFrame(frame)) {
            return Hold.NONE;
        }
        if (frame instanceof ClientFrame.Register r) {
            return peer.register(r);
        } else if (frame instanceof ClientFrame.Login) {
            peer.send(ServerFrame.LoginResponse.error(ALREADY_LOGGED_IN, "this connection is already logged in as " + user));
            return Hold.NONE;
        } else if (frame instanceof ClientFrame.Ping) {
            peer.ping();
            return Hold.NONE;
        } else if (frame instanceof ClientFrame.Message m) {
            return onMessage(m);
        } else if (frame instanceof ClientFrame.Typing t) {
            onTyping(t);
        } else if (frame instanceof ClientFrame.StopTyping s) {
            onStopTyping(s);
        } else if (frame instanceof ClientFrame.Ack a) {
            if (!a.msgIds().isEmpty()) {
                // the 1:1 messages to the user turn delivered (the first device's ack sends the receipt)
                List<Long> marks = peer.position != null ? peer.position.statusMarks(a.msgIds()) : a.msgIds();
                if (!marks.isEmpty()) {
                    peer.services.mailboxes().of(user).tell(new Mailbox.MarkDelivered(user, marks, marksReplies()));
                    marksInFlight++;
                }
                if (peer.position != null) {
                    if (peer.level >= 3) {
                        groups.acked(a.msgIds());
                    }
                    if (peer.position.acked(a.msgIds())) {
                        peer.storePosition(true);
                    }
                }
            }
        } else if (frame instanceof ClientFrame.Read r && r.groupId() != null && r.peer() == null) {
            groups.read(r);
        } else if (frame instanceof ClientFrame.Read r) {
            String peerName = peerName(r.peer(), r.type());
            if (peerName != null) {
                peer.services.mailboxes().of(user).tell(new Mailbox.MarkRead(user, peerName, r.upTo(), peer.device));
            }
        } else if (frame instanceof ClientFrame.GetUsers g) {
            answer(g.type(), () -> peer.services.directory().userList(user, g.query(), g.limit()));
        } else if (frame instanceof ClientFrame.Logout) {
            return onLogout();
        } else if (frame instanceof ClientFrame.Pong) {
            return Hold.NONE; // its arrival already counted as life
        } else if (peer.level < 2) {
            peer.send(new ServerFrame.Error(ProtocolError.UNKNOWN_TYPE, "'" + frame.type()
                    + "' needs protocol version 2: log in with \"version\":2", frame.type()));
        } else if (frame instanceof ClientFrame.History h && h.groupId() != null && h.peer() == null) {
            if (groups.validId(h.groupId(), h.type())) {
                answer(h.type(), () -> peer.services.directory().groupHistory(user, h.groupId(), h.before(), h.limit()));
            }
        } else if (frame instanceof ClientFrame.History h) {
            String peerName = peerName(h.peer(), h.type());
            if (peerName != null) {
                answer(h.type(), () -> peer.services.directory().history(user, peerName, h.before(), h.limit()));
            }
        } else if (frame instanceof ClientFrame.AddContact a) {
            changeContact(a.username(), true, a.type());
        } else if (frame instanceof ClientFrame.RemoveContact r) {
            changeContact(r.username(), false, r.type());
        } else if (frame instanceof ClientFrame.Conversations c) {
            answer(c.type(), () -> peer.services.directory().conversations(user, c.limit(), peer.level >= 3));
        } else if (frame instanceof ClientFrame.GetContacts g) {
            answer(g.type(), () -> peer.services.directory().contacts(user));
        } else if (frame instanceof ClientFrame.Devices d) {
            answer(d.type(), () -> peer.services.directory().devices(user, peer.device, peer.presence));
        } else if (frame instanceof ClientFrame.RevokeDevice r) {
            revokeDevice(r);
        } else if (frame instanceof ClientFrame.CreateGroup g) {
            groups.create(g);
        } else if (frame instanceof ClientFrame.GroupUpdate g) {
            groups.update(g);
        } else if (frame instanceof ClientFrame.LeaveGroup g) {
            groups.leave(g);
        } else if (frame instanceof ClientFrame.GroupReceipts g) {
            groups.receipts(g);
        } else if (frame instanceof ClientFrame.Groups g) {
            answer(g.type(), () -> peer.services.directory().groups(user));
        }
        // a client that asks or acks faster than the store answers is slowed at its socket, like a fast sender
        return queriesInFlight >= MAX_QUERIES_IN_FLIGHT ? Hold.QUERIES
                : marksInFlight >= MAX_MARKS_IN_FLIGHT ? Hold.MARKS : Hold.NONE;
    }

    /**
     * Levels 1 and 2 are what they were before level 3: its frame types are unknown to them, and a
     * `group_id` is an unknown field, so a frame that has only that lacks its receiver. False (and
     * answered) for such a frame.
     */
    private boolean levelTwoFrame(ClientFrame frame) {
        if (frame.level3()) {
            peer.send(new ServerFrame.Error(ProtocolError.UNKNOWN_TYPE, "'" + frame.type()
                    + "' needs protocol version 3: log in with \"version\":3", frame.type()));
            return false;
        }
        String missing = frame instanceof ClientFrame.Message m && m.receiver() == null ? "receiver"
                : frame instanceof ClientFrame.Typing t && t.recipient() == null ? "recipient"
                : frame instanceof ClientFrame.Read r && r.peer() == null ? "peer"
                : frame instanceof ClientFrame.History h && h.peer() == null ? "peer"
                : null;
        if (missing != null) {
            peer.send(new ServerFrame.Error(ProtocolError.BAD_FRAME, "missing field '" + missing + "'", frame.type()));
            return false;
        }
        return true;
    }

    /** The answers to what this class asked; false if `c` is none of them. */
    boolean answers(Session.Command c) {
        if (c instanceof Session.SendAnswered a) {
            onSendAnswered(a.outcome());
        } else if (c instanceof Session.MarksCommitted) {
            marksInFlight--;
            if (marksInFlight < MAX_MARKS_IN_FLIGHT) {
                peer.intake.resumeIf(Hold.MARKS);
            }
        } else if (c instanceof Session.GroupAnswered g) {
            groups.answered(g.reply());
        } else if (c instanceof Session.Answered a) {
            peer.send(a.frame());
            queryAnswered();
        } else if (c instanceof Session.AnswerFailed f) {
            peer.ctx.getLog().warn("'{}' of [{}] failed: {}", f.ref(), user, f.error().getMessage());
            peer.send(new ServerFrame.Error(ProtocolError.INTERNAL, "the server could not answer this; try again", f.ref()));
            queryAnswered();
        } else if (c instanceof Session.ContactUpdated u) {
            if (u.outcome() instanceof Mailbox.ContactRefused r) {
                peer.send(new ServerFrame.Error(r.code(), r.reason(), u.ref()));
            } else {
                answer(u.ref(), () -> peer.services.directory().contacts(user));
            }
        } else {
            return false;
        }
        return true;
    }

    /** A level 3 message to a group: the same checks of size and rate, then the group's owner. */
    private Hold onGroupMessage(ClientFrame.Message m) {
        if (!groups.validId(m.groupId(), m.type())) {
            return Hold.NONE;
        }
        int maxContent = peer.settings.limits().maxContentBytes();
        if (utf8Length(m.content()) > maxContent) {
            peer.send(ServerFrame.MessageError.forGroup(m.groupId(), "a message may be at most " + maxContent + " bytes", m.id(),
                    ErrorCode.CONTENT_TOO_LARGE));
            return Hold.NONE;
        }
        if (!sendBucket.tryTake(System.nanoTime())) {
            peer.send(ServerFrame.MessageError.forGroup(m.groupId(), "too many messages; slow down and send this again", m.id(),
                    ErrorCode.RATE_LIMITED));
            return Hold.NONE;
        }
        groups.send(m, sendReplies());
        peer.inFlightSends++;
        return peer.inFlightSends >= peer.settings.limits().maxInFlightSends() ? Hold.SENDS : Hold.NONE;
    }

    private ActorRef<Mailbox.SendOutcome> sendReplies() {
        if (sendReplies == null) {
            sendReplies = peer.ctx.messageAdapter(Mailbox.SendOutcome.class, Session.SendAnswered::new);
        }
        return sendReplies;
    }

    private Hold onMessage(ClientFrame.Message m) {
        if (m.groupId() != null && m.receiver() != null) {
            peer.send(ProtocolError.badFrame("a message has a 'receiver' or a 'group_id', not both", m.type()).toFrame());
            return Hold.NONE;
        }
        if (m.groupId() != null) {
            return onGroupMessage(m);
        }
        String receiver = Usernames.fold(m.receiver());
        int maxContent = peer.settings.limits().maxContentBytes();
        if (receiver == null) {
            peer.send(new ServerFrame.MessageError(m.receiver(), "user '" + m.receiver() + "' does not exist", m.id(),
                    ServerFrame.MessageError.UNKNOWN_USER));
            return Hold.NONE;
        }
        if (utf8Length(m.content()) > maxContent) {
            peer.send(new ServerFrame.MessageError(receiver, "a message may be at most " + maxContent + " bytes", m.id(),
                    ServerFrame.MessageError.CONTENT_TOO_LARGE));
            return Hold.NONE;
        }
        if (!sendBucket.tryTake(System.nanoTime())) {
            peer.send(new ServerFrame.MessageError(receiver, "too many messages; slow down and send this again", m.id(),
                    ServerFrame.MessageError.RATE_LIMITED));
            return Hold.NONE;
        }
        if (typingTo != null && typingTo.remove(receiver)) {
            peer.presence.tell(new Presence.Sent(receiver));
        }
        peer.services.mailboxes().of(receiver).tell(new Mailbox.Send(user, receiver, m.id(), m.content(),
                peer.level >= 3 ? peer.device : null, sendReplies()));
        peer.inFlightSends++;
        return peer.inFlightSends >= peer.settings.limits().maxInFlightSends() ? Hold.SENDS : Hold.NONE;
    }

    private void onSendAnswered(Mailbox.SendOutcome outcome) {
        peer.inFlightSends--;
        if (outcome instanceof Mailbox.Stored s) {
            if (peer.level >= 2) {
                peer.send(s.ack());
            }
        } else {
            peer.send(((Mailbox.Refused) outcome).error());
        }
        if (peer.inFlightSends < peer.settings.limits().maxInFlightSends()) {
            peer.intake.resumeIf(Hold.SENDS);
        }
    }

    private void onTyping(ClientFrame.Typing t) {
        if (t.groupId() != null && t.recipient() == null) {
            if (typingBucket.tryTake(System.nanoTime())) {
                groups.typing(t.groupId(), true);
            }
            return;
        }
        String to = Usernames.fold(t.recipient());
        if (to == null || !typingBucket.tryTake(System.nanoTime())) {
            return;
        }
        if (typingTo == null) {
            typingTo = new HashSet<>();
        } else if (typingTo.size() >= MAX_TYPING_TRACKED) {
            typingTo.clear(); // only an optimisation for Sent: Presence keeps the real state
        }
        typingTo.add(to);
        peer.presence.tell(new Presence.StartTyping(to, peer.device));
    }

    private void onStopTyping(ClientFrame.StopTyping s) {
        if (s.groupId() != null && s.recipient() == null) {
            groups.typing(s.groupId(), false);
            return;
        }
        String to = s.recipient() == null ? null : Usernames.fold(s.recipient());
        if (s.recipient() != null && to == null) {
            return;
        }
        if (to != null && typingTo != null) {
            typingTo.remove(to);
        }
        peer.presence.tell(new Presence.StopTyping(to));
    }

    private void changeContact(String name, boolean listed, String ref) {
        String contact = peerName(name, ref);
        if (contact == null) {
            return;
        }
        if (contact.equals(user)) {
            answer(ref, () -> peer.services.directory().contacts(user));
            return;
        }
        ActorRef<Mailbox.ContactOutcome> replyTo = peer.ctx.messageAdapter(Mailbox.ContactOutcome.class,
                outcome -> new Session.ContactUpdated(outcome, ref));
        peer.services.mailboxes().of(user).tell(new Mailbox.ChangeContact(user, contact, listed,
                peer.settings.limits().maxContacts(), replyTo));
    }

    /** The device's token and row go; then its connection, if online, is told and closed; the answer is the new list. */
    private void revokeDevice(ClientFrame.RevokeDevice r) {
        if (!DeviceIds.valid(r.device())) {
            peer.send(ProtocolError.badFrame("'" + r.device() + "' is not a device id", r.type()).toFrame());
            return;
        }
        String device = r.device();
        CompletionStage<ServerFrame> reply = AskPattern.<Accounts.Command, Done>ask(peer.services.accounts(),
                        replyTo -> new Accounts.ForgetDevice(user, device, replyTo), QUERY_TIMEOUT, peer.ctx.getSystem().scheduler())
                .thenCompose(done -> {
                    peer.presence.tell(new Presence.RevokeDevice(device));
                    return peer.services.directory().devices(user, peer.device, peer.presence, device);
                });
        queriesInFlight++;
        peer.ctx.pipeToSelf(reply, (frame, error) -> error != null ? new Session.AnswerFailed(r.type(), error)
                : new Session.Answered(frame));
    }

    /** Contacts see "offline" at once; the connection closes once the token is revoked for good. */
    private Hold onLogout() {
        peer.presence.tell(new Presence.Disconnect(peer.notices()));
        if (peer.token == null) {
            peer.closeGracefully();
            return Hold.NONE;
        }
        peer.services.accounts().tell(new Accounts.Revoke(peer.token, peer.revokeReplies()));
        return Hold.ACCOUNT;
    }

    /** A valid, folded username from a peer field, or null after answering bad_frame. */
    private String peerName(String name, String ref) {
        String folded = Usernames.fold(name);
        if (folded == null) {
            peer.send(ProtocolError.badFrame("'" + name + "' is not a valid username", ref).toFrame());
        }
        return folded;
    }

    /**
     * Runs a query once the Mailbox has committed everything this session asked it to write before
     * (a read mark, a new contact), so the answer never contradicts the user's own last action.
     */
    private void answer(String ref, Supplier<CompletionStage<ServerFrame>> query) {
        CompletionStage<ServerFrame> reply = AskPattern.<Mailbox.Command, Done>ask(peer.services.mailboxes().of(user),
                Mailbox.Flush::new, QUERY_TIMEOUT, peer.ctx.getSystem().scheduler()).thenCompose(done -> query.get());
        queriesInFlight++;
        peer.ctx.pipeToSelf(reply, (frame, error) -> error != null ? new Session.AnswerFailed(ref, error)
                : new Session.Answered(frame));
    }

    private void queryAnswered() {
        queriesInFlight--;
        if (queriesInFlight < MAX_QUERIES_IN_FLIGHT) {
            peer.intake.resumeIf(Hold.QUERIES);
        }
    }

    private ActorRef<Done> marksReplies() {
        if (marksReplies == null) {
            marksReplies = peer.ctx.messageAdapter(Done.class, d -> Session.MarksCommitted.INSTANCE);
        }
        return marksReplies;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
