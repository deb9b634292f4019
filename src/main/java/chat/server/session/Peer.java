package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.DeviceIds;
import chat.protocol.ServerFrame;
import chat.server.Settings;
import chat.server.accounts.Accounts;
import chat.server.mailbox.Mailbox;
import chat.server.ops.Metrics;
import chat.server.presence.Presence;
import chat.server.presence.SessionNotice;
import chat.server.session.Intake.Hold;
import chat.server.session.Session.Command;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * What every phase of a session shares: the client at the other end of one connection as the
 * session knows it — its wire, protocol level and identity, the work it has in flight — and the
 * handling every phase has in common (the wire's events, heartbeats, closing, the end).
 *
 * `phase` is the behavior the session is in; a phase that hands over to another sets it with
 * {@link #become} and the change takes effect when the message at hand is handled.
 */
final class Peer {

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    static final Duration RETRY = Duration.ofSeconds(3);

    final ActorContext<Command> ctx;
    final Services services;
    final Settings settings;
    final Metrics metrics;
    final StashBuffer<Command> stash;
    final Intake intake;
    final int pageSize;

    private Phase phase;
    Wire wire;
    String remoteAddress;
    int level = 1;
    /** The device of this connection: level 3 names its own, levels 1 and 2 are the device `default`. */
    String device = DeviceIds.DEFAULT;
    String user;
    String token;
    DevicePosition position; // once logged in
    RecipientRef<Presence.Command> presence;
    UserFrames frames; // once logged in
    int inFlightSends;
    boolean inboundDone;
    long lastInboundNanos;
    boolean broken; // the connection ended without everything written reaching the peer
    private Level1Deliveries level1; // level 1 only, once it has had a message
    private Cancellable retryTimer; // at most one question is being re-asked at a time
    private Cancellable closeTimer;

    // reply adapters, made when first needed: a connection that never logs in costs none of them
    private ActorRef<ServerFrame.RegisterResponse> registerReplies;
    private ActorRef<Accounts.LoginResult> loginReplies;
    private ActorRef<SessionNotice> notices;

    Peer(ActorContext<Command> ctx, Services services, StashBuffer<Command> stash) {
        this.ctx = ctx;
        this.services = services;
        this.settings = services.settings();
        this.metrics = Metrics.get(ctx.getSystem());
        this.stash = stash;
        this.intake = new Intake(this);
        this.lastInboundNanos = System.nanoTime();
        this.pageSize = Math.max(1, Math.min(settings.replayPageSize(), settings.limits().outboundFrames() / 4));
        this.phase = new Unauthenticated(this);
    }

    /** The behavior to go on with: the phase, or stopped once a closing session's peer has stopped sending. */
    Behavior<Command> current() {
        return phase instanceof Closing && inboundDone ? Behaviors.stopped() : phase;
    }

    Phase phase() {
        return phase;
    }

    void become(Phase next) {
        phase = next;
    }

    boolean closing() {
        return phase instanceof Closing;
    }

    void attach(Session.Attach a) {
        wire = a.connection().open(ctx.getSelf().narrow());
        remoteAddress = wire.remoteAddress();
    }

    // ---- what every phase handles alike ---------------------------------------------------------

    Behavior<Command> common(Command c) {
        if (c instanceof Session.Received r) {
            intake.received(r);
            return current();
        } else if (c instanceof Session.Wired w) {
            onWired(w);
            return current();
        } else if (c instanceof Session.InboundStarted started) {
            started.ackTo().tell(Session.Ack.INSTANCE);
            return current();
        } else if (c instanceof Session.InboundEnded) {
            inboundDone = true;
            return afterWork();
        } else if (c instanceof Session.InboundFailed) {
            broken = true; // a reset: whatever the peer had not read yet is gone
            return Behaviors.stopped();
        } else if (c instanceof Session.Heartbeat) {
            return heartbeat();
        } else if (c instanceof Session.Close || c instanceof Session.Revoked) {
            return closeGracefully();
        } else if (c instanceof Session.Noticed n && n.notice() instanceof SessionNotice.Revoked) {
            send(new ServerFrame.SessionRevoked("this device was signed out from another of your devices"));
            return closeGracefully();
        } else if (c instanceof Session.Noticed n && n.notice() instanceof SessionNotice.Replaced) {
            if (level >= 2) {
                send(new ServerFrame.SessionReplaced("you signed in from another connection"));
            }
            return closeGracefully();
        } else if (c instanceof Session.Registered r) {
            send(r.response());
            intake.resume();
            return afterWork();
        } else if (c instanceof Session.FlushWired) {
            flushWired();
            return current();
        } else if (c instanceof Session.CloseTimedOut) {
            broken = true; // the peer did not read what was left before the grace ran out
            return Behaviors.stopped();
        } else if (frames != null && frames.answers(c)) {
            return afterWork();
        } else if (c instanceof Session.Noticed || c instanceof Session.PageRead || c instanceof Session.StreamRead
                || c instanceof Session.ReceiptsRead
                || c instanceof Session.Retry || c instanceof Session.LoginAnswered) {
            return current(); // not for this phase (a late answer to a question asked again, a notice it has no use for)
        }
        return Behaviors.unhandled();
    }

    /** Register is answered in every phase but closing; the level is the first frame's. */
    Hold register(ClientFrame.Register r) {
        if (user == null) {
            level = r.version() != null && r.version() >= 2 ? 2 : 1;
        }
        services.accounts().tell(new Accounts.Register(r.username(), r.password(), registerReplies()));
        return Hold.ACCOUNT;
    }

    void ping() {
        if (level >= 2) {
            send(new ServerFrame.Pong());
        }
    }

    private void onWired(Session.Wired w) {
        if (w.probe() && intake.hold() == Hold.BACKLOG) {
            intake.resume();
        }
        if (w.msgId() != 0 && user != null) {
            // level 1 has no acks: a message counts as delivered once it is on its way to the socket (the seed's rule)
            if (level1 == null) {
                level1 = new Level1Deliveries();
            }
            if (level1.add(w.msgId(), w.bytes())) {
                ctx.getSelf().tell(Session.FlushWired.INSTANCE); // after the Wired already queued here
            }
        }
    }

    private void flushWired() {
        if (level1 != null && level1.hasWired()) {
            List<Long> wired = level1.takeWired();
            services.mailboxes().of(user).tell(new Mailbox.MarkDelivered(user, wired));
            if (position != null && position.acked(wired)) { // a level 1 client's "ack" is the write
                storePosition(true);
            }
        }
    }

    private Behavior<Command> heartbeat() {
        if (wire == null || closing()) {
            return current();
        }
        long now = System.nanoTime();
        long pong = wire.lastPongNanos();
        long idle = Math.min(now - lastInboundNanos, pong == 0 ? Long.MAX_VALUE : now - pong);
        boolean answersPings = level >= 2 || user == null;
        // a login waiting for its password hash is the server's delay, not the peer's silence
        boolean waitingForUs = phase instanceof LoggingIn || intake.hold() == Hold.ACCOUNT;
        if (answersPings && !waitingForUs && idle > settings.heartbeatTimeout().toNanos()) {
            ctx.getLog().info("closing the connection of [{}] from {}: nothing received for {} s",
                    user, remoteAddress, idle / 1_000_000_000L);
            become(new Closing(this));
            wire.end(new IllegalStateException("peer idle"));
            return Behaviors.stopped();
        }
        if (phase.pings()) {
            write(new ServerFrame.Ping(), true, 0, false);
        }
        storePosition(true);
        return current();
    }

    // ---- outbound -------------------------------------------------------------------------------

    void send(ServerFrame frame) {
        write(frame, false, 0, false);
    }

    /**
     * A message for the client: a level 1 client's is tracked to the socket (see
     * {@link Level1Deliveries}), a level 3 device's until it acks (see {@link DevicePosition}).
     */
    boolean deliver(ServerFrame.Delivery m, boolean mark) {
        boolean queued = write(m, false, level == 1 ? m.msgId() : 0, mark);
        if (queued && position != null) {
            position.sent(m.msgId(), m instanceof ServerFrame.Message msg && msg.groupId() == null && user.equals(msg.receiver()));
            if (level >= 3) {
                frames.groups().delivered(m);
            }
        }
        return queued;
    }

    /**
     * The device's position goes to the store when it moved (through the user's own partition).
     * `deferrable`: a periodic store, which may wait a moment to share a commit; the last one, as the
     * session ends, does not (see {@link Mailbox.MovePosition}).
     */
    void storePosition(boolean deferrable) {
        long upTo = position == null ? -1 : position.toStore();
        if (upTo > 0) {
            services.mailboxes().of(user).tell(new Mailbox.MovePosition(user, device, upTo, services.clock().millis(),
                    deferrable));
        }
    }

    /**
     * Queues a frame for the socket. A full queue drops a droppable frame; for any other it means the
     * peer is not reading: the connection is closed (messages stay pending). False if that happened.
     */
    boolean write(ServerFrame frame, boolean droppable, long writtenId, boolean mark) {
        if (level < 2 && !frame.level1()) {
            return true; // never a level 2 frame to a level 1 client
        }
        if (level < 3 && frame.level3()) {
            return true; // nor a level 3 one (a group's message, event or typing) to a level 1 or 2 client
        }
        if (wire.isCompleted()) {
            return false; // the connection is closing: a message stays pending for the next login
        }
        QueueOfferResult result = wire.offer(frame, writtenId, mark);
        if (result.isEnqueued()) {
            metrics.framesOut.increment();
            return true;
        }
        if (droppable) {
            return true;
        }
        if (result == QueueOfferResult.dropped() && !closing()) {
            ctx.getLog().info("closing the connection of [{}] from {}: it is not reading ({} frames waiting)",
                    user, remoteAddress, settings.limits().outboundFrames());
            become(new Closing(this));
            broken = true;
            wire.end(new IllegalStateException("outbound buffer overflow"));
        }
        return false;
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    Behavior<Command> closeGracefully() {
        if (!closing()) {
            become(new Closing(this));
            wire.end(null); // the TCP stage closes the socket once everything queued is written
            closeTimer = ctx.scheduleOnce(CLOSE_GRACE, ctx.getSelf(), Session.CloseTimedOut.INSTANCE);
        }
        intake.resume();
        return current();
    }

    /** After the peer stopped sending, the session ends once the work it asked for is answered. */
    Behavior<Command> afterWork() {
        if (inboundDone && intake.hold() == Hold.NONE && inFlightSends == 0 && !(phase instanceof LoggingIn)) {
            if (!closing()) {
                become(new Closing(this));
                wire.end(null);
            }
            return Behaviors.stopped();
        }
        return current();
    }

    void retryIn(Session.Retry what, Duration after) {
        cancelRetry();
        retryTimer = ctx.scheduleOnce(after, ctx.getSelf(), what);
    }

    void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
    }

    void stopped() {
        flushWired();
        storePosition(false);
        if (frames != null && level >= 3) {
            frames.groups().stopped();
        }
        cancelRetry();
        if (closeTimer != null) {
            closeTimer.cancel();
        }
        if (presence != null) {
            presence.tell(new Presence.Disconnect(notices()));
        }
        if (broken && level1 != null && level1.hasUnconfirmed()) {
            // what the kernel still held for a level 1 client is pending again, for its next login
            services.mailboxes().of(user).tell(new Mailbox.MarkPending(user, level1.drainUnconfirmed()));
        }
        if (wire != null) {
            wire.end(new IllegalStateException("session stopped"));
        }
    }

    // ---- reply adapters -------------------------------------------------------------------------

    /** The session as Presence and the Roster see it: it takes their notices and nothing else. */
    ActorRef<SessionNotice> notices() {
        if (notices == null) {
            notices = ctx.messageAdapter(SessionNotice.class, Session.Noticed::new);
        }
        return notices;
    }

    ActorRef<Accounts.LoginResult> loginReplies() {
        if (loginReplies == null) {
            loginReplies = ctx.messageAdapter(Accounts.LoginResult.class, Session.LoginAnswered::new);
        }
        return loginReplies;
    }

    private ActorRef<ServerFrame.RegisterResponse> registerReplies() {
        if (registerReplies == null) {
            registerReplies = ctx.messageAdapter(ServerFrame.RegisterResponse.class, Session.Registered::new);
        }
        return registerReplies;
    }

    ActorRef<Done> revokeReplies() {
        return ctx.messageAdapter(Done.class, d -> new Session.Revoked());
    }
}
