package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.ServerFrame;
import chat.server.presence.SessionNotice;
import chat.server.session.Intake.Hold;
import chat.server.session.Session.Command;
import org.apache.pekko.actor.typed.Behavior;

/** A logged-in session past its replay: live deliveries go straight to the socket. */
final class Online extends Phase {

    private final long replayCursor; // highest msg_id the replay sent: live copies up to it are duplicates

    Online(Peer peer, long replayCursor) {
        super(peer);
        this.replayCursor = replayCursor;
    }

    @Override
    Behavior<Command> receive(Command c) {
        if (c instanceof Session.Noticed n) {
            if (n.notice() instanceof SessionNotice.Deliver d) {
                ServerFrame.Message m = d.message();
                if (m.msgId() > replayCursor) {
                    peer.deliver(m, false);
                }
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
