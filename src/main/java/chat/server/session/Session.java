package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.protocol.Usernames;
import chat.server.Settings;
import chat.server.accounts.Accounts;
import chat.server.mailbox.Mailbox;
import chat.server.ops.Metrics;
import chat.server.presence.Presence;
import chat.server.presence.SessionNotice;
import chat.server.store.MessageQueries;
import chat.server.store.Written;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.AbstractMatchingBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * One TCP connection and, once it logs in, one user's session. The connection's flow lives in
 * net/ and reaches the session as {@link FromWire} messages: decoded frames in with backpressure,
 * and a {@link Wire} out whose bounded queue overflowing closes the connection (a reader that stops
 * reading cannot grow the heap; its messages stay pending for its next login).
 *
 * State machine: OPEN (only register, login, ping) → LOGGING_IN → REPLAYING (pending messages in
 * pages, paced by the socket; live deliveries wait in a stash) → ONLINE → CLOSING. The acting user is
 * always the session's: a client's `sender` never reaches this class.
 *
 * Who may send it what: the Listener a {@link Control}, the connection's streams a {@link FromWire},
 * Presence and the Roster a {@link SessionNotice} (through an adapter: that protocol is theirs), the
 * Mailbox and Accounts their own replies (through adapters). Nothing here crosses nodes but the
 * notices and the replies, which are the senders' types. Its receive is a plain match
 * ({@link AbstractMatchingBehavior}): a receive table built per session with newReceiveBuilder()
 * would cost each of 19,000 sessions its own copy.
 */
public final class Session extends AbstractMatchingBehavior<Session.Command> {

    public sealed interface Command {
    }

    /** What the Listener may send a session. */
    public sealed interface Control extends Command {
    }

    /**
     * The connection this session serves; the Listener sends it right after spawning the session
     * (passing it to create() would keep it, and its flow, for the life of the actor).
     */
    public record Attach(Wire.Opener connection) implements Control {
    }

    /** From the Listener every chat.heartbeat.interval: ping, and check the peer is alive (one node-wide timer, not one per session). */
    public enum Heartbeat implements Control {
        INSTANCE
    }

    /** The node is shutting down. */
    public enum Close implements Control {
        INSTANCE
    }

    /** What the connection's streams (net/) tell the session. */
    public sealed interface FromWire extends Command {
    }

    /** The acknowledgement the inbound stream waits for before it hands the session more frames. */
    public enum Ack {
        INSTANCE
    }

    public record InboundStarted(ActorRef<Ack> ackTo) implements FromWire {
    }

    /** Frames that arrived while the previous ones were being handled come together, with one acknowledgement. */
    public record Received(ActorRef<Ack> ackTo, List<Incoming> frames) implements FromWire {
    }

    public enum InboundEnded implements FromWire {
        INSTANCE
    }

    public record InboundFailed(Throwable cause) implements FromWire {
    }

    /** A tracked frame reached the TCP stage (see {@link Wire#offer}). */
    public record Wired(long msgId, int bytes, boolean mark, boolean probe) implements FromWire {
    }

    /** A notice from Presence or the Roster, through the adapter handed to Presence. */
    private record Noticed(SessionNotice notice) implements Command {
    }

    private record Registered(ServerFrame.RegisterResponse response) implements Command {
    }

    private record LoginAnswered(Accounts.LoginResult result) implements Command {
    }

    private record SendAnswered(Mailbox.SendOutcome outcome) implements Command {
    }

    private record PageRead(Mailbox.PendingPage page) implements Command {
    }

    private record ReceiptsRead(Mailbox.ReceiptPage page) implements Command {
    }

    private record ContactUpdated(Written outcome, String ref) implements Command {
    }

    private record Answer(ServerFrame frame) implements Command {
    }

    private record AnswerFailed(String ref, Throwable error) implements Command {
    }

    private record Revoked() implements Command {
    }

    private enum CloseTimedOut implements Command {
        INSTANCE
    }

    private enum MarksCommitted implements Command {
        INSTANCE
    }

    /** The level 1 messages written since the last one go to the Mailbox as one delivery mark. */
    private enum FlushWired implements Command {
        INSTANCE
    }

    /**
     * A question to a sharded actor went unanswered: in a cluster, a message to an entity on a node
     * that just died is lost. Connect and the replay reads are idempotent, so they are asked again.
     */
    private enum Retry implements Command {
        CONNECT, PAGE, RECEIPTS
    }

    private enum Phase { OPEN, LOGGING_IN, REPLAYING, ONLINE, CLOSING }

    /** What the replay reads when its marked frame reaches the socket. */
    private enum Next { NONE, PAGE, RECEIPTS }

    /** Why the current inbound frame's acknowledgement is held back. */
    private enum Hold { NONE, ACCOUNT, SENDS, QUERIES, MARKS, BACKLOG }

    private static final int STASH_LIMIT = 1_000;
    private static final int RECEIPT_PAGE = 200;
    private static final int MAX_TYPING_TRACKED = 64;
    /** Typing is soft state: frames past this rate are dropped silently (a client sends one every ~3 s). */
    private static final double TYPING_PER_SECOND = 10;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(3);
    private static final int CONNECT_ATTEMPTS = 20;
    /** Queries (user lists, history, contacts) one session may have waiting for the store. */
    private static final int MAX_QUERIES_IN_FLIGHT = 8;
    /**
     * Ack frames one session may have waiting for their commit. Without a bound, a client replaying
     * a million messages acks them faster than the store marks them (and keeps the receipts that
     * follow), and the Mailbox's queue grows with the backlog.
     */
    private static final int MAX_MARKS_IN_FLIGHT = 32;

    /** A session for the connection sent to it next with {@link Attach}. */
    public static Behavior<Command> create(Services services) {
        return Behaviors.setup(ctx -> new Session(ctx, services));
    }

    private Cancellable retryTimer; // at most one question is being re-asked at a time
    private Cancellable closeTimer;
    private final Services services;
    private final Settings settings;
    private String remoteAddress;
    private Wire out;
    private final TokenBucket sendBucket;
    private final TokenBucket typingBucket;
    private final Metrics metrics;
    private final int pageSize;

    // reply adapters, made when first needed: a connection that never logs in costs none of them
    private ActorRef<ServerFrame.RegisterResponse> registerReplies;
    private ActorRef<Accounts.LoginResult> loginReplies;
    private ActorRef<Mailbox.SendOutcome> sendReplies;
    private ActorRef<Mailbox.PendingPage> pageReplies;
    private ActorRef<Done> marksReplies;
    private ActorRef<Mailbox.ReceiptPage> receiptReplies;
    private ActorRef<SessionNotice> notices;

    private Phase phase = Phase.OPEN;
    private int connectAttempts;
    private int level = 1;
    private String user;
    private String token;
    private RecipientRef<Presence.Command> presence;

    private ActorRef<Ack> pendingAck;
    private Hold hold = Hold.NONE;
    private final ArrayDeque<Incoming> inbox = new ArrayDeque<>();
    private boolean draining;
    private int inFlightSends;
    private int queriesInFlight;
    private int marksInFlight;
    private final List<Long> wired = new ArrayList<>(); // level 1 messages written, not yet told to the Mailbox
    private boolean inboundDone;
    private long lastInboundNanos;

    private long replayCursor; // highest msg_id sent by the replay: live copies up to it are duplicates
    private long replayed;
    private boolean rereadNeeded;
    private final List<ServerFrame.Message> stash = new ArrayList<>();
    private final List<SessionNotice.Push> beforeLogin = new ArrayList<>();
    private long receiptCursor;
    private Next afterMark = Next.NONE;
    private final Set<String> typingTo = new HashSet<>();
    private RecentWrites recentWrites; // level 1 only, once it has had a message
    private boolean broken; // the connection ended without everything written reaching the peer

    private Session(ActorContext<Command> ctx, Services services) {
        super(ctx);
        this.services = services;
        this.settings = services.settings();
        long now = System.nanoTime();
        this.lastInboundNanos = now;
        this.sendBucket = new TokenBucket(settings.limits().messagesPerSecond(), settings.limits().messagesBurst(), now);
        this.typingBucket = new TokenBucket(TYPING_PER_SECOND, 2 * TYPING_PER_SECOND, now);
        this.metrics = Metrics.get(ctx.getSystem());
        this.pageSize = Math.max(1, Math.min(settings.replayPageSize(), settings.limits().outboundFrames() / 4));
    }

    private Behavior<Command> onAttach(Attach a) {
        out = a.connection().open(getContext().getSelf().narrow());
        remoteAddress = out.remoteAddress();
        return this;
    }

    @Override
    public Behavior<Command> onMessage(Command c) {
        if (c instanceof Noticed n) {
            return onNotice(n.notice());
        } else if (c instanceof FromWire w) {
            return onWire(w);
        } else if (c instanceof Control control) {
            return onControl(control);
        } else if (c instanceof Registered r) {
            return onRegistered(r);
        } else if (c instanceof LoginAnswered a) {
            return onLoginAnswered(a);
        } else if (c instanceof SendAnswered a) {
            return onSendAnswered(a);
        } else if (c instanceof PageRead p) {
            return onPageRead(p);
        } else if (c instanceof ReceiptsRead r) {
            return onReceiptsRead(r);
        } else if (c instanceof ContactUpdated u) {
            return onContactUpdated(u);
        } else if (c instanceof Answer a) {
            return onAnswer(a);
        } else if (c instanceof AnswerFailed f) {
            return onAnswerFailed(f);
        } else if (c instanceof Revoked) {
            return closeGracefully();
        } else if (c instanceof MarksCommitted) {
            return onMarksCommitted();
        } else if (c instanceof FlushWired) {
            return flushWired();
        } else if (c instanceof CloseTimedOut) {
            broken = true; // the peer did not read what was left before the grace ran out
            return Behaviors.stopped();
        } else if (c instanceof Retry r) {
            return onRetry(r);
        }
        return Behaviors.unhandled();
    }

    private Behavior<Command> onNotice(SessionNotice notice) {
        if (notice instanceof SessionNotice.Deliver d) {
            return onDeliver(d.message());
        } else if (notice instanceof SessionNotice.Push p) {
            return onPush(p);
        } else if (notice instanceof SessionNotice.Replaced) {
            return onReplaced();
        } else if (notice instanceof SessionNotice.Connected) {
            return onPresenceConnected();
        }
        return Behaviors.unhandled();
    }

    private Behavior<Command> onWire(FromWire w) {
        if (w instanceof Received r) {
            return onReceived(r);
        } else if (w instanceof Wired wired) {
            return onWired(wired);
        } else if (w instanceof InboundStarted started) {
            started.ackTo().tell(Ack.INSTANCE);
            return this;
        } else if (w instanceof InboundEnded) {
            return onInboundDone();
        } else if (w instanceof InboundFailed) {
            broken = true; // a reset: whatever the peer had not read yet is gone
            return Behaviors.stopped();
        }
        return Behaviors.unhandled();
    }

    private Behavior<Command> onControl(Control c) {
        if (c instanceof Heartbeat) {
            return onHeartbeat();
        } else if (c instanceof Close) {
            return closeGracefully();
        } else if (c instanceof Attach a) {
            return onAttach(a);
        }
        return Behaviors.unhandled();
    }

    @Override
    public Behavior<Command> onSignal(Signal signal) {
        return signal instanceof PostStop ? onStopped() : Behaviors.unhandled();
    }

    // ---- inbound frames -------------------------------------------------------------------------

    private Behavior<Command> onReceived(Received r) {
        lastInboundNanos = System.nanoTime();
        pendingAck = r.ackTo();
        inbox.addAll(r.frames());
        metrics.framesIn.add(r.frames().size());
        drain();
        return phase == Phase.CLOSING && inboundDone ? Behaviors.stopped() : this;
    }

    /**
     * Handles the frames received so far, in order, until one has to wait for an answer (a login,
     * too many sends in flight); once all are handled the stream may bring the next ones.
     */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (hold == Hold.NONE && !inbox.isEmpty()) {
                Incoming in = inbox.poll();
                if (phase == Phase.CLOSING) {
                    inbox.clear(); // what the peer still sends: the connection is on its way out
                } else if (in instanceof Incoming.Frame f) {
                    hold = handle(f.frame());
                } else if (in instanceof Incoming.Invalid bad) {
                    send(answerTo(bad.error()));
                } else {
                    send(new ServerFrame.Error(ProtocolError.FRAME_TOO_LARGE, "a frame may be at most "
                            + settings.limits().maxFrameBytes() + " bytes; closing the connection", null));
                    closeGracefully();
                }
            }
            if (hold != Hold.NONE || !inbox.isEmpty()) {
                return;
            }
            if (phase != Phase.CLOSING && out.queued() >= settings.limits().outboundFrames() / 2) {
                // the client sends faster than it reads our answers: stop reading it until they drain,
                // rather than let the answers pile up until the connection has to be closed
                hold = Hold.BACKLOG;
                out.probe();
            } else if (pendingAck != null) {
                pendingAck.tell(Ack.INSTANCE);
                pendingAck = null;
            }
        } finally {
            draining = false;
        }
    }

    /**
     * Before login, a malformed frame of a type that needs a login is refused for that reason: its
     * fields do not matter yet. Lines that are not frames at all stay bad_frame.
     */
    private ServerFrame answerTo(ProtocolError error) {
        String type = error.ref();
        if (user == null && ProtocolError.BAD_FRAME.equals(error.code()) && type != null
                && !type.equals("register") && !type.equals("login") && !type.equals("ping")) {
            return new ServerFrame.Error(ProtocolError.NOT_AUTHENTICATED, "log in first", type);
        }
        return error.toFrame();
    }

    /** What held the frames back is answered: go on with the rest. */
    private void resume() {
        hold = Hold.NONE;
        drain();
    }

    /** Acts on one frame; says whether to hold its acknowledgement (stop reading) until an answer comes. */
    private Hold handle(ClientFrame frame) {
        if (frame instanceof ClientFrame.Register r) {
            return onRegister(r);
        } else if (frame instanceof ClientFrame.Login l) {
            return onLogin(l);
        } else if (frame instanceof ClientFrame.Ping) {
            if (level >= 2) {
                send(new ServerFrame.Pong());
            }
            return Hold.NONE;
        }
        if (user == null) {
            send(new ServerFrame.Error(ProtocolError.NOT_AUTHENTICATED, "log in first", frame.type()));
            return Hold.NONE;
        }
        if (frame instanceof ClientFrame.Message m) {
            return onMessage(m);
        } else if (frame instanceof ClientFrame.Typing t) {
            onTyping(t);
        } else if (frame instanceof ClientFrame.StopTyping s) {
            onStopTyping(s);
        } else if (frame instanceof ClientFrame.Ack a) {
            if (!a.msgIds().isEmpty()) {
                services.mailboxes().of(user).tell(new Mailbox.Delivered(user, a.msgIds(), marksReplies()));
                marksInFlight++;
            }
        } else if (frame instanceof ClientFrame.Read r) {
            String peer = peer(r.peer(), r.type());
            if (peer != null) {
                services.mailboxes().of(user).tell(new Mailbox.Read(user, peer, r.upTo()));
            }
        } else if (frame instanceof ClientFrame.GetUsers g) {
            answer(g.type(), () -> services.directory().userList(user, g.query(), g.limit()));
        } else if (frame instanceof ClientFrame.Logout) {
            return onLogout();
        } else if (frame instanceof ClientFrame.Pong) {
            return Hold.NONE; // its arrival already counted as life
        } else if (level < 2) {
            send(new ServerFrame.Error(ProtocolError.UNKNOWN_TYPE, "'" + frame.type()
                    + "' needs protocol version 2: log in with \"version\":2", frame.type()));
        } else if (frame instanceof ClientFrame.History h) {
            String peer = peer(h.peer(), h.type());
            if (peer != null) {
                answer(h.type(), () -> services.directory().history(user, peer, h.before(), h.limit()));
            }
        } else if (frame instanceof ClientFrame.AddContact a) {
            changeContact(a.username(), true, a.type());
        } else if (frame instanceof ClientFrame.RemoveContact r) {
            changeContact(r.username(), false, r.type());
        } else if (frame instanceof ClientFrame.Conversations c) {
            answer(c.type(), () -> services.directory().conversations(user, c.limit()));
        } else if (frame instanceof ClientFrame.GetContacts g) {
            answer(g.type(), () -> services.directory().contacts(user));
        }
        // a client that asks or acks faster than the store answers is slowed at its socket, like a fast sender
        return queriesInFlight >= MAX_QUERIES_IN_FLIGHT ? Hold.QUERIES
                : marksInFlight >= MAX_MARKS_IN_FLIGHT ? Hold.MARKS : Hold.NONE;
    }

    private Hold onRegister(ClientFrame.Register r) {
        if (user == null) {
            level = r.version() != null && r.version() >= 2 ? 2 : 1;
        }
        services.accounts().tell(new Accounts.Register(r.username(), r.password(), registerReplies()));
        return Hold.ACCOUNT;
    }

    private Behavior<Command> onRegistered(Registered r) {
        send(r.response());
        resume();
        return afterWork();
    }

    private Hold onLogin(ClientFrame.Login l) {
        if (user != null) {
            send(ServerFrame.LoginResponse.error("already_logged_in", "this connection is already logged in as " + user));
            return Hold.NONE;
        }
        level = l.version() != null && l.version() >= 2 ? 2 : 1;
        phase = Phase.LOGGING_IN;
        services.accounts().tell(new Accounts.Login(l, remoteAddress, loginReplies()));
        return Hold.ACCOUNT;
    }

    private Behavior<Command> onLoginAnswered(LoginAnswered a) {
        if (phase != Phase.LOGGING_IN) {
            return this;
        }
        if (a.result() instanceof Accounts.LoggedIn in) {
            user = in.username();
            token = in.token();
            presence = services.presence().apply(user);
            presence.tell(new Presence.Connect(notices(), level));
            connectAttempts = 1;
            retryIn(Retry.CONNECT, RETRY);
            return this; // the answer goes out once Presence has taken the session
        }
        phase = Phase.OPEN;
        send(((Accounts.LoginRefused) a.result()).response());
        resume();
        return afterWork();
    }

    private Behavior<Command> onPresenceConnected() {
        cancelRetry();
        if (phase != Phase.LOGGING_IN) {
            return this;
        }
        getContext().getLog().debug("user [{}] logged in from {} (level {})", user, remoteAddress, level);
        send(ServerFrame.LoginResponse.success(user, level >= 2 ? token : null));
        beforeLogin.forEach(p -> write(p.frame(), p.droppable(), 0, false));
        beforeLogin.clear();
        phase = Phase.REPLAYING;
        fetchPage();
        resume();
        return afterWork();
    }

    private Hold onMessage(ClientFrame.Message m) {
        String receiver = Usernames.fold(m.receiver());
        if (receiver == null) {
            send(new ServerFrame.MessageError(m.receiver(), "user '" + m.receiver() + "' does not exist", m.id(),
                    ServerFrame.MessageError.UNKNOWN_USER));
            return Hold.NONE;
        }
        if (utf8Length(m.content()) > settings.limits().maxContentBytes()) {
            send(new ServerFrame.MessageError(receiver, "a message may be at most " + settings.limits().maxContentBytes()
                    + " bytes", m.id(), ServerFrame.MessageError.CONTENT_TOO_LARGE));
            return Hold.NONE;
        }
        if (!sendBucket.tryTake(System.nanoTime())) {
            send(new ServerFrame.MessageError(receiver, "too many messages; slow down and send this again", m.id(),
                    ServerFrame.MessageError.RATE_LIMITED));
            return Hold.NONE;
        }
        if (typingTo.remove(receiver)) {
            presence.tell(new Presence.Sent(receiver));
        }
        services.mailboxes().of(receiver).tell(new Mailbox.Send(user, receiver, m.id(), m.content(), sendReplies()));
        inFlightSends++;
        return inFlightSends >= settings.limits().maxInFlightSends() ? Hold.SENDS : Hold.NONE;
    }

    private Behavior<Command> onSendAnswered(SendAnswered a) {
        inFlightSends--;
        if (a.outcome() instanceof Mailbox.Stored s) {
            if (level >= 2) {
                send(s.ack());
            }
        } else {
            send(((Mailbox.Refused) a.outcome()).error());
        }
        if (hold == Hold.SENDS && inFlightSends < settings.limits().maxInFlightSends()) {
            resume();
        }
        return afterWork();
    }

    private void onTyping(ClientFrame.Typing t) {
        String to = Usernames.fold(t.recipient());
        if (to == null || !typingBucket.tryTake(System.nanoTime())) {
            return;
        }
        if (typingTo.size() >= MAX_TYPING_TRACKED) {
            typingTo.clear(); // only an optimisation for Sent: Presence keeps the real state
        }
        typingTo.add(to);
        presence.tell(new Presence.Typing(to));
    }

    private void onStopTyping(ClientFrame.StopTyping s) {
        String to = s.recipient() == null ? null : Usernames.fold(s.recipient());
        if (s.recipient() != null && to == null) {
            return;
        }
        if (to != null) {
            typingTo.remove(to);
        }
        presence.tell(new Presence.StopTyping(to));
    }

    private void changeContact(String name, boolean listed, String ref) {
        String contact = peer(name, ref);
        if (contact == null) {
            return;
        }
        if (contact.equals(user)) {
            answer(ref, () -> services.directory().contacts(user));
            return;
        }
        ActorRef<Written> replyTo = getContext().messageAdapter(Written.class, w -> new ContactUpdated(w, ref));
        services.mailboxes().of(user).tell(new Mailbox.ChangeContact(user, contact, listed, settings.limits().maxContacts(), replyTo));
    }

    private Behavior<Command> onContactUpdated(ContactUpdated c) {
        if (c.outcome() instanceof Written.Refused r) {
            send(new ServerFrame.Error(r.code(), r.reason(), c.ref()));
        } else {
            answer(c.ref(), () -> services.directory().contacts(user));
        }
        return this;
    }

    /** Contacts see "offline" at once; the connection closes once the token is revoked for good. */
    private Hold onLogout() {
        presence.tell(new Presence.Disconnect(notices()));
        if (token == null) {
            closeGracefully();
            return Hold.NONE;
        }
        ActorRef<Done> revoked = getContext().messageAdapter(Done.class, d -> new Revoked());
        services.accounts().tell(new Accounts.Revoke(token, revoked));
        return Hold.ACCOUNT;
    }

    /** A valid, folded username from a peer field, or null after answering bad_frame. */
    private String peer(String name, String ref) {
        String folded = Usernames.fold(name);
        if (folded == null) {
            send(ProtocolError.badFrame("'" + name + "' is not a valid username", ref).toFrame());
        }
        return folded;
    }

    /**
     * Runs a query once the Mailbox has committed everything this session asked it to write before
     * (a read mark, a new contact), so the answer never contradicts the user's own last action.
     */
    private void answer(String ref, Supplier<CompletionStage<ServerFrame>> query) {
        CompletionStage<ServerFrame> reply = AskPattern.<Mailbox.Command, Done>ask(services.mailboxes().of(user), Mailbox.Flush::new,
                QUERY_TIMEOUT, getContext().getSystem().scheduler()).thenCompose(done -> query.get());
        queriesInFlight++;
        getContext().pipeToSelf(reply, (frame, error) -> error != null ? new AnswerFailed(ref, error) : new Answer(frame));
    }

    private Behavior<Command> onAnswer(Answer a) {
        send(a.frame());
        return queryAnswered();
    }

    private Behavior<Command> onAnswerFailed(AnswerFailed f) {
        getContext().getLog().warn("'{}' of [{}] failed: {}", f.ref(), user, f.error().getMessage());
        send(new ServerFrame.Error(ProtocolError.INTERNAL, "the server could not answer this; try again", f.ref()));
        return queryAnswered();
    }

    private Behavior<Command> queryAnswered() {
        queriesInFlight--;
        if (hold == Hold.QUERIES && queriesInFlight < MAX_QUERIES_IN_FLIGHT) {
            resume();
        }
        return this;
    }

    // ---- replay at login ------------------------------------------------------------------------

    private void fetchPage() {
        services.mailboxes().of(user).tell(new Mailbox.FetchPending(user, replayCursor, pageSize, pageReplies()));
        retryIn(Retry.PAGE, RETRY.multipliedBy(2));
    }

    private Behavior<Command> onRetry(Retry r) {
        if (r == Retry.CONNECT && phase == Phase.LOGGING_IN && presence != null) {
            if (++connectAttempts > CONNECT_ATTEMPTS) {
                cancelRetry();
                getContext().getLog().warn("login of [{}] could not register with its presence; refusing it", user);
                send(ServerFrame.LoginResponse.error("internal", "the server could not complete the login; try again"));
                return closeGracefully();
            }
            presence.tell(new Presence.Connect(notices(), level));
            retryIn(Retry.CONNECT, RETRY);
        } else if (r == Retry.PAGE && phase == Phase.REPLAYING) {
            fetchPage();
        } else if (r == Retry.RECEIPTS && phase == Phase.REPLAYING) {
            fetchReceipts();
        }
        return this;
    }

    private Behavior<Command> onPageRead(PageRead p) {
        if (phase != Phase.REPLAYING || p.page().after() != replayCursor || afterMark == Next.PAGE) {
            return this; // a late answer to a question asked again
        }
        cancelRetry();
        if (p.page().failed()) {
            return failReplay();
        }
        List<ServerFrame.Message> messages = p.page().messages();
        boolean more = messages.size() == pageSize;
        int mark = more ? messages.size() / 2 : -1; // read on while the second half is still being written
        for (int i = 0; i < messages.size(); i++) {
            ServerFrame.Message m = messages.get(i);
            if (!write(m, false, level == 1 ? m.msgId() : 0, i == mark)) {
                return this;
            }
            replayCursor = m.msgId();
        }
        replayed += messages.size();
        if (more) {
            afterMark = Next.PAGE; // paced by the socket: a slow reader never gets a backlog queued at once
            return this;
        }
        if (rereadNeeded) { // live messages were dropped from a full stash: they are in the store
            rereadNeeded = false;
            fetchPage();
            return this;
        }
        if (level >= 2) {
            fetchReceipts();
            return this;
        }
        return replayDone();
    }

    private void fetchReceipts() {
        services.mailboxes().of(user).tell(new Mailbox.FetchReceipts(user, receiptCursor, RECEIPT_PAGE, receiptReplies()));
        retryIn(Retry.RECEIPTS, RETRY.multipliedBy(2));
    }

    private Behavior<Command> onReceiptsRead(ReceiptsRead r) {
        if (phase != Phase.REPLAYING || r.page().after() != receiptCursor || afterMark == Next.RECEIPTS) {
            return this; // a late answer to a question asked again
        }
        cancelRetry();
        if (r.page().failed()) {
            getContext().getLog().warn("stored receipts of [{}] could not be read; they stay for the next login", user);
            return replayDone();
        }
        List<MessageQueries.StoredReceipt> receipts = r.page().receipts();
        boolean more = receipts.size() == RECEIPT_PAGE;
        for (int i = 0; i < receipts.size(); i++) {
            if (!write(receipts.get(i).receipt(), false, 0, more && i == receipts.size() - 1)) {
                return this;
            }
            receiptCursor = receipts.get(i).receiptId();
        }
        if (!receipts.isEmpty()) {
            services.mailboxes().of(user).tell(new Mailbox.ReceiptsSent(user, receiptCursor));
        }
        if (more) {
            afterMark = Next.RECEIPTS;
            return this;
        }
        return replayDone();
    }

    /** The backlog is out: then what arrived live meanwhile, minus what the backlog already held. */
    private Behavior<Command> replayDone() {
        if (level >= 2) {
            send(new ServerFrame.ReplayDone(replayed));
        }
        phase = Phase.ONLINE;
        for (ServerFrame.Message m : stash) {
            if (m.msgId() > replayCursor && !write(m, false, level == 1 ? m.msgId() : 0, false)) {
                break;
            }
        }
        stash.clear();
        return this;
    }

    private Behavior<Command> failReplay() {
        getContext().getLog().error("pending messages of [{}] could not be read; closing the connection", user);
        send(new ServerFrame.Error(ProtocolError.INTERNAL, "pending messages could not be loaded; reconnect later", "login"));
        return closeGracefully();
    }

    private Behavior<Command> onWired(Wired w) {
        if (w.probe() && hold == Hold.BACKLOG) {
            resume();
        }
        if (w.msgId() != 0 && user != null) {
            // level 1 has no acks: a message counts as delivered once it is on its way to the socket (the seed's rule)
            if (wired.isEmpty()) {
                getContext().getSelf().tell(FlushWired.INSTANCE); // after the OnWires already queued here
            }
            wired.add(w.msgId());
            if (recentWrites == null) {
                recentWrites = new RecentWrites();
            }
            recentWrites.add(w.msgId(), w.bytes());
        }
        if (w.mark() && phase == Phase.REPLAYING) {
            if (afterMark == Next.PAGE) {
                fetchPage();
            } else if (afterMark == Next.RECEIPTS) {
                fetchReceipts();
            }
            afterMark = Next.NONE;
        }
        return this;
    }

    private Behavior<Command> flushWired() {
        if (!wired.isEmpty()) {
            services.mailboxes().of(user).tell(new Mailbox.Delivered(user, wired));
            wired.clear();
        }
        return this;
    }

    // ---- outbound -------------------------------------------------------------------------------

    private Behavior<Command> onDeliver(ServerFrame.Message m) {
        if (phase == Phase.LOGGING_IN || phase == Phase.REPLAYING) {
            if (stash.size() < STASH_LIMIT) {
                stash.add(m);
            } else {
                rereadNeeded = true;
            }
        } else if (phase == Phase.ONLINE && m.msgId() > replayCursor) {
            write(m, false, level == 1 ? m.msgId() : 0, false);
        }
        return this;
    }

    private Behavior<Command> onPush(SessionNotice.Push p) {
        if (phase == Phase.LOGGING_IN) {
            if (beforeLogin.size() < STASH_LIMIT) {
                beforeLogin.add(p);
            }
        } else if (phase == Phase.REPLAYING || phase == Phase.ONLINE) {
            write(p.frame(), p.droppable(), 0, false);
        }
        return this;
    }

    private void send(ServerFrame frame) {
        write(frame, false, 0, false);
    }

    /**
     * Queues a frame for the socket. A full queue drops a droppable frame; for any other it means the
     * peer is not reading: the connection is closed (messages stay pending). False if that happened.
     */
    private boolean write(ServerFrame frame, boolean droppable, long writtenId, boolean mark) {
        if (level < 2 && !frame.level1()) {
            return true; // never a level 2 frame to a level 1 client
        }
        if (out.isCompleted()) {
            return false; // the connection is closing: a message stays pending for the next login
        }
        QueueOfferResult result = out.offer(frame, writtenId, mark);
        if (result.isEnqueued()) {
            metrics.framesOut.increment();
            return true;
        }
        if (droppable) {
            return true;
        }
        if (result == QueueOfferResult.dropped() && phase != Phase.CLOSING) {
            getContext().getLog().info("closing the connection of [{}] from {}: it is not reading ({} frames waiting)",
                    user, remoteAddress, settings.limits().outboundFrames());
            phase = Phase.CLOSING;
            broken = true;
            endOutbound(new IllegalStateException("outbound buffer overflow"));
        }
        return false;
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    private void endOutbound(Throwable failure) {
        out.end(failure);
    }

    private Behavior<Command> onReplaced() {
        if (phase == Phase.CLOSING) {
            return this;
        }
        if (level >= 2) {
            send(new ServerFrame.SessionReplaced("you signed in from another connection"));
        }
        return closeGracefully();
    }

    private Behavior<Command> closeGracefully() {
        if (phase != Phase.CLOSING) {
            phase = Phase.CLOSING;
            endOutbound(null); // the TCP stage closes the socket once everything queued is written
            closeTimer = getContext().scheduleOnce(CLOSE_GRACE, getContext().getSelf(), CloseTimedOut.INSTANCE);
        }
        resume();
        return inboundDone ? Behaviors.stopped() : this;
    }

    private Behavior<Command> onInboundDone() {
        inboundDone = true;
        if (phase == Phase.CLOSING) {
            return Behaviors.stopped();
        }
        return afterWork();
    }

    /** After the peer stopped sending, the session ends once the work it asked for is answered. */
    private Behavior<Command> afterWork() {
        if (inboundDone && hold == Hold.NONE && inFlightSends == 0 && phase != Phase.LOGGING_IN) {
            if (phase != Phase.CLOSING) {
                phase = Phase.CLOSING;
                endOutbound(null);
            }
            return Behaviors.stopped();
        }
        return this;
    }

    private ActorRef<ServerFrame.RegisterResponse> registerReplies() {
        if (registerReplies == null) {
            registerReplies = getContext().messageAdapter(ServerFrame.RegisterResponse.class, Registered::new);
        }
        return registerReplies;
    }

    private ActorRef<Accounts.LoginResult> loginReplies() {
        if (loginReplies == null) {
            loginReplies = getContext().messageAdapter(Accounts.LoginResult.class, LoginAnswered::new);
        }
        return loginReplies;
    }

    private ActorRef<Mailbox.SendOutcome> sendReplies() {
        if (sendReplies == null) {
            sendReplies = getContext().messageAdapter(Mailbox.SendOutcome.class, SendAnswered::new);
        }
        return sendReplies;
    }

    private ActorRef<Done> marksReplies() {
        if (marksReplies == null) {
            marksReplies = getContext().messageAdapter(Done.class, d -> MarksCommitted.INSTANCE);
        }
        return marksReplies;
    }

    private Behavior<Command> onMarksCommitted() {
        marksInFlight--;
        if (hold == Hold.MARKS && marksInFlight < MAX_MARKS_IN_FLIGHT) {
            resume();
        }
        return afterWork();
    }

    /** The session as Presence and the Roster see it: it takes their notices and nothing else. */
    private ActorRef<SessionNotice> notices() {
        if (notices == null) {
            notices = getContext().messageAdapter(SessionNotice.class, Noticed::new);
        }
        return notices;
    }

    private ActorRef<Mailbox.PendingPage> pageReplies() {
        if (pageReplies == null) {
            pageReplies = getContext().messageAdapter(Mailbox.PendingPage.class, PageRead::new);
        }
        return pageReplies;
    }

    private ActorRef<Mailbox.ReceiptPage> receiptReplies() {
        if (receiptReplies == null) {
            receiptReplies = getContext().messageAdapter(Mailbox.ReceiptPage.class, ReceiptsRead::new);
        }
        return receiptReplies;
    }

    private void retryIn(Retry what, Duration after) {
        cancelRetry();
        retryTimer = getContext().scheduleOnce(after, getContext().getSelf(), what);
    }

    private void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
    }

    private Behavior<Command> onHeartbeat() {
        if (out == null) {
            return this;
        }
        long idle = System.nanoTime() - lastInboundNanos;
        boolean answersPings = level >= 2 || user == null;
        // a login waiting for its password hash is the server's delay, not the peer's silence
        boolean waitingForUs = phase == Phase.LOGGING_IN || hold == Hold.ACCOUNT;
        if (answersPings && !waitingForUs && idle > settings.heartbeatTimeout().toNanos() && phase != Phase.CLOSING) {
            getContext().getLog().info("closing the connection of [{}] from {}: nothing received for {} s",
                    user, remoteAddress, idle / 1_000_000_000L);
            phase = Phase.CLOSING;
            endOutbound(new IllegalStateException("peer idle"));
            return Behaviors.stopped();
        }
        if (phase == Phase.REPLAYING || phase == Phase.ONLINE) {
            write(new ServerFrame.Ping(), true, 0, false);
        }
        return this;
    }

    private Behavior<Command> onStopped() {
        flushWired();
        cancelRetry();
        if (closeTimer != null) {
            closeTimer.cancel();
        }
        if (presence != null) {
            presence.tell(new Presence.Disconnect(notices()));
        }
        if (broken && recentWrites != null && !recentWrites.isEmpty()) {
            // what the kernel still held for a level 1 client is pending again, for its next login
            services.mailboxes().of(user).tell(new Mailbox.Undelivered(user, recentWrites.drain()));
        }
        if (out != null) {
            endOutbound(new IllegalStateException("session stopped"));
        }
        return this;
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
