package chat.server.session;

import chat.protocol.ClientFrame;
import chat.server.session.Intake.Hold;
import chat.server.session.Session.Command;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The outbound stream has been ended (what is queued is still written) or failed: the session
 * waits for the peer's side to end, or for the grace to run out. What the client still sends is
 * read and dropped; notices and heartbeats have nothing left to do.
 */
final class Closing extends Phase {

    Closing(Peer peer) {
        super(peer);
    }

    @Override
    Behavior<Command> receive(Command c) {
        if (c instanceof Session.Noticed || c instanceof Session.Heartbeat) {
            return this;
        }
        return super.receive(c);
    }

    /** Never asked: the intake drops what arrives once the session is closing. */
    @Override
    Hold onFrame(ClientFrame frame) {
        return Hold.NONE;
    }
}
