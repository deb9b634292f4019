package chat.server.session;

import chat.protocol.ClientFrame;
import chat.server.presence.SessionNotice;
import chat.server.session.Intake.Hold;
import chat.server.session.Session.Command;
import org.apache.pekko.actor.typed.Behavior;

/**
 * What the two phases of a logged-in user share: the user's frames are handled, pushes from
 * Presence go to the socket, the heartbeat pings. Only a delivery's fate differs between them:
 * straight out when {@link Online}, held behind the backlog when {@link Replaying}.
 */
abstract class LoggedIn extends Phase {

    LoggedIn(Peer peer) {
        super(peer);
    }

    /** A committed message for the user, from its Presence (the notice is in {@code noticed}). */
    abstract void onDeliver(SessionNotice.Deliver deliver, Session.Noticed noticed);

    @Override
    Behavior<Command> receive(Command c) {
        if (c instanceof Session.Noticed n) {
            if (n.notice() instanceof SessionNotice.Deliver d) {
                onDeliver(d, n);
                return this;
            } else if (n.notice() instanceof SessionNotice.Push p) {
                peer.write(p.frame(), p.droppable(), 0, false);
                return this;
            }
        }
        return super.receive(c);
    }

    @Override
    Hold onFrame(ClientFrame frame) {
        return peer.frames.handle(frame);
    }

    @Override
    boolean pings() {
        return true;
    }
}
