package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.DeviceIds;
import chat.protocol.ErrorCode;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.server.accounts.Accounts;
import chat.server.session.Intake.Hold;
import chat.server.session.Session.Command;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A connection that has not logged in: it may register, log in and ping; every other frame is
 * answered not_authenticated.
 */
final class Unauthenticated extends Phase {

    Unauthenticated(Peer peer) {
        super(peer);
    }

    @Override
    Behavior<Command> receive(Command c) {
        if (c instanceof Session.Attach a && peer.wire == null) {
            peer.attach(a);
            return this;
        }
        return super.receive(c);
    }

    @Override
    Hold onFrame(ClientFrame frame) {
        if (frame instanceof ClientFrame.Register r) {
            return peer.register(r);
        } else if (frame instanceof ClientFrame.Login l) {
            peer.level = l.version() == null ? 1 : Math.max(1, Math.min(3, l.version()));
            if (peer.level == 3) {
                if (!DeviceIds.valid(l.device())) {
                    peer.send(ServerFrame.LoginResponse.error(ErrorCode.BAD_FRAME,
                            "a level 3 login names its device: 1-64 characters of letters, digits, '_', '.' and '-'"));
                    return Hold.NONE;
                }
                peer.device = l.device();
            }
            peer.become(new LoggingIn(peer));
            peer.services.accounts().tell(new Accounts.Login(l, peer.remoteAddress, peer.loginReplies()));
            return Hold.ACCOUNT;
        } else if (frame instanceof ClientFrame.Ping) {
            peer.ping();
            return Hold.NONE;
        }
        peer.send(new ServerFrame.Error(ProtocolError.NOT_AUTHENTICATED, "log in first", frame.type()));
        return Hold.NONE;
    }

    /**
     * A malformed frame of a type that needs a login is refused for that reason: its fields do not
     * matter yet. Lines that are not frames at all stay bad_frame.
     */
    @Override
    ServerFrame answerTo(ProtocolError error) {
        String type = error.ref();
        if (ProtocolError.BAD_FRAME.equals(error.code()) && type != null
                && !type.equals("register") && !type.equals("login") && !type.equals("ping")) {
            return new ServerFrame.Error(ProtocolError.NOT_AUTHENTICATED, "log in first", type);
        }
        return error.toFrame();
    }
}
