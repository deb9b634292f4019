package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.server.session.Intake.Hold;
import chat.server.session.Session.Command;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.AbstractMatchingBehavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One phase of a session as a behavior: it takes the messages of its phase and leaves the rest to
 * what all phases share ({@link Peer#common}); anything else is unhandled.
 *
 * A plain match ({@link AbstractMatchingBehavior}), not a table built with newReceiveBuilder():
 * that would cost each of 19,000 sessions its own copy of its phase's table, and every phase
 * change a new one.
 */
abstract class Phase extends AbstractMatchingBehavior<Command> {

    final Peer peer;

    Phase(Peer peer) {
        super(peer.ctx);
        this.peer = peer;
    }

    @Override
    public final Behavior<Command> onMessage(Command c) {
        Behavior<Command> next = receive(c);
        if (!Behavior.isAlive(next) || Behavior.isUnhandled(next)) {
            return next;
        }
        return peer.current(); // this phase, or the one it handed over to
    }

    /** This phase's own messages; the rest go to {@link Peer#common}. */
    Behavior<Command> receive(Command c) {
        return peer.common(c);
    }

    /** Acts on one client frame; says whether to hold the intake (stop reading) until an answer comes. */
    abstract Hold onFrame(ClientFrame frame);

    /** The answer to a line that is not a valid frame. */
    ServerFrame answerTo(ProtocolError error) {
        return error.toFrame();
    }

    /** Whether the heartbeat pings the client in this phase. */
    boolean pings() {
        return false;
    }

    @Override
    public Behavior<Command> onSignal(Signal signal) {
        if (signal instanceof PostStop) {
            peer.stopped();
            return Behaviors.same();
        }
        return Behaviors.unhandled();
    }
}
