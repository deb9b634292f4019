package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.ErrorCode;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.server.accounts.Accounts;
import chat.server.presence.Presence;
import chat.server.presence.SessionNotice;
import chat.server.session.Intake.Hold;
import chat.server.session.Session.Command;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A login in flight: Accounts checks the password (or token), then the user's Presence registers
 * this session as its live one; only then does the client hear login_response. The client's next
 * frames wait unread; live deliveries wait in the stash for the replay, other pushes (a contact's
 * status) until the login is answered.
 */
final class LoggingIn extends Phase {

    private static final int CONNECT_ATTEMPTS = 20;

    private List<SessionNotice.Push> beforeLogin; // made when first needed
    private int connectAttempts;
    private boolean newDevice; // this login made the device's row: a refusal for too many devices takes it back
    private boolean rereadNeeded; // deliveries dropped from a full stash: they are in the store

    LoggingIn(Peer peer) {
        super(peer);
    }

    @Override
    Behavior<Command> receive(Command c) {
        if (c instanceof Session.LoginAnswered a) {
            return onLoginAnswered(a.result());
        } else if (c instanceof Session.Noticed n) {
            if (n.notice() instanceof SessionNotice.Connected) {
                return onConnected();
            } else if (n.notice() instanceof SessionNotice.TooManyDevices t) {
                peer.cancelRetry();
                if (newDevice) { // a device never admitted is not one of the user's devices
                    peer.services.accounts().tell(new Accounts.ForgetDevice(peer.user, peer.device, peer.ctx.getSystem().ignoreRef()));
                }
                peer.send(ServerFrame.LoginResponse.error(ErrorCode.TOO_MANY_DEVICES, "you are signed in on "
                        + t.max() + " devices already; sign out of one (revoke_device) and try again"));
                return peer.closeGracefully();
            } else if (n.notice() instanceof SessionNotice.Deliver) {
                stashDelivery(c);
                return this;
            } else if (n.notice() instanceof SessionNotice.Push p) {
                if (beforeLogin == null) {
                    beforeLogin = new ArrayList<>();
                }
                if (beforeLogin.size() < Session.STASH_LIMIT) {
                    beforeLogin.add(p);
                }
                return this;
            }
        } else if (c == Session.Retry.CONNECT && peer.presence != null) {
            return retryConnect();
        }
        return super.receive(c);
    }

    private Behavior<Command> onLoginAnswered(Accounts.LoginResult result) {
        if (result instanceof Accounts.LoggedIn in) {
            peer.user = in.username();
            peer.token = in.token();
            newDevice = in.newDevice();
            peer.frames = new UserFrames(peer);
            // every device keeps its place; `default` (levels 1/2) for what level 3 devices ack while it is away
            peer.position = new DevicePosition();
            peer.presence = peer.services.presence().apply(peer.user);
            peer.presence.tell(new Presence.Connect(peer.notices(), peer.level, peer.device));
            connectAttempts = 1;
            peer.retryIn(Session.Retry.CONNECT, Peer.RETRY);
            return this; // the answer goes out once Presence has taken the session
        }
        if (result instanceof Accounts.LoginShed shed) { // past the node's capacity: say when to come back, and close
            peer.send(ServerFrame.LoginResponse.shed(shed.retryAfterMs()));
            return peer.closeGracefully();
        }
        peer.become(new Unauthenticated(peer));
        peer.send(((Accounts.LoginRefused) result).response());
        peer.intake.resume();
        return peer.afterWork();
    }

    private Behavior<Command> onConnected() {
        peer.cancelRetry();
        peer.ctx.getLog().debug("user [{}] logged in from {} (level {})", peer.user, peer.remoteAddress, peer.level);
        peer.send(ServerFrame.LoginResponse.success(peer.user, peer.level >= 2 ? peer.token : null));
        if (beforeLogin != null) {
            beforeLogin.forEach(p -> peer.write(p.frame(), p.droppable(), 0, false));
        }
        Replaying replaying = new Replaying(peer, rereadNeeded);
        peer.become(replaying);
        replaying.start();
        peer.intake.resume();
        return peer.afterWork();
    }

    private Behavior<Command> retryConnect() {
        if (++connectAttempts > CONNECT_ATTEMPTS) {
            peer.cancelRetry();
            peer.ctx.getLog().warn("login of [{}] could not register with its presence; refusing it", peer.user);
            peer.send(ServerFrame.LoginResponse.error(ProtocolError.INTERNAL, "the server could not complete the login; try again"));
            return peer.closeGracefully();
        }
        peer.presence.tell(new Presence.Connect(peer.notices(), peer.level, peer.device));
        peer.retryIn(Session.Retry.CONNECT, Peer.RETRY);
        return this;
    }

    /** A live delivery waits for the end of the replay; past the stash's capacity it is read from the store again. */
    private void stashDelivery(Command c) {
        if (peer.stash.isFull()) {
            rereadNeeded = true;
        } else {
            peer.stash.stash(c);
        }
    }

    /** Frames wait unread while the login is in flight (the intake holds); one that comes anyway waits too. */
    @Override
    Hold onFrame(ClientFrame frame) {
        peer.intake.putBack(new Incoming.Frame(frame));
        return Hold.ACCOUNT;
    }
}
