package chat.server.session;

import chat.protocol.ServerFrame;
import chat.server.accounts.Accounts;
import chat.server.groups.Group;
import chat.server.mailbox.Mailbox;
import chat.server.presence.SessionNotice;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One TCP connection and, once it logs in, one user's session: its protocol, and the behavior it
 * starts in. The connection's flow lives in net/ and reaches the session as {@link FromWire}
 * messages: decoded frames in with backpressure, and a {@link Wire} out whose bounded queue
 * overflowing closes the connection (a reader that stops reading cannot grow the heap; its
 * messages stay pending for its next login).
 *
 * A behavior per phase, each accepting only what its phase allows:
 * {@link Unauthenticated} (register, login, ping) → {@link LoggingIn} (Accounts, then Presence)
 * → {@link Replaying} (pending messages in pages paced by the socket, live deliveries in a
 * StashBuffer) → {@link Online} → {@link Closing}. What every phase shares — the wire, the user,
 * the work in flight — is the {@link Peer}; the inbound frames wait in its {@link Intake}. The
 * acting user is always the session's: a client's `sender` never reaches this package.
 *
 * Who may send it what: the Listener a {@link Control}, the connection's streams a
 * {@link FromWire}, Presence and the Roster a {@link SessionNotice} (through an adapter: that
 * protocol is theirs), the Mailbox and Accounts their own replies (through adapters). Only the
 * notices and the replies cross nodes, and they are the senders' types.
 */
public final class Session {

    private Session() {
    }

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

    // ---- the session's own messages: replies adapted, timers ---------------------------------

    /** A notice from Presence or the Roster, through the adapter handed to Presence. */
    record Noticed(SessionNotice notice) implements Command {
    }

    record Registered(ServerFrame.RegisterResponse response) implements Command {
    }

    record LoginAnswered(Accounts.LoginResult result) implements Command {
    }

    record SendAnswered(Mailbox.SendOutcome outcome) implements Command {
    }

    record PageRead(Mailbox.PendingPage page) implements Command {
    }

    record GroupAnswered(Group.Reply reply) implements Command {
    }

    record StreamRead(Mailbox.StreamPage page) implements Command {
    }

    record ReceiptsRead(Mailbox.ReceiptPage page) implements Command {
    }

    record ContactUpdated(Mailbox.ContactOutcome outcome, String ref) implements Command {
    }

    record Answered(ServerFrame frame) implements Command {
    }

    record AnswerFailed(String ref, Throwable error) implements Command {
    }

    record Revoked() implements Command {
    }

    enum CloseTimedOut implements Command {
        INSTANCE
    }

    enum MarksCommitted implements Command {
        INSTANCE
    }

    /** The level 1 messages written since the last one go to the Mailbox as one delivery mark. */
    enum FlushWired implements Command {
        INSTANCE
    }

    /**
     * A question to a sharded actor went unanswered: in a cluster, a message to an entity on a node
     * that just died is lost. Connect and the replay reads are idempotent, so they are asked again.
     */
    enum Retry implements Command {
        CONNECT, PAGE, RECEIPTS
    }

    /** Live deliveries held while a login replays its backlog; past this, they are read again from the store. */
    static final int STASH_LIMIT = 1_000;

    /** A session for the connection sent to it next with {@link Attach}. */
    public static Behavior<Command> create(Services services) {
        return Behaviors.withStash(STASH_LIMIT, stash -> Behaviors.setup(ctx -> new Peer(ctx, services, stash).current()));
    }
}
