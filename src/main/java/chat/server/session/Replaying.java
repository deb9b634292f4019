package chat.server.session;

import chat.server.presence.SessionNotice;
import chat.server.session.Session.Command;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A logged-in session sending its backlog ({@link Replay}): the client may already chat; live
 * deliveries wait in the stash and follow the backlog, minus what it already held, so order holds.
 */
final class Replaying extends LoggedIn {

    private final Replay replay;

    Replaying(Peer peer, boolean rereadNeeded) {
        super(peer);
        this.replay = new Replay(peer, rereadNeeded);
    }

    void start() {
        replay.fetchPage();
    }

    @Override
    Behavior<Command> receive(Command c) {
        if (c instanceof Session.PageRead p) {
            return replay.onPageRead(p.page());
        } else if (c instanceof Session.StreamRead p) {
            return replay.onStreamRead(p.page());
        } else if (c instanceof Session.ReceiptsRead r) {
            return replay.onReceiptsRead(r.page());
        } else if (c == Session.Retry.PAGE) {
            replay.fetchPage();
            return this;
        } else if (c == Session.Retry.RECEIPTS) {
            replay.fetchReceipts();
            return this;
        } else if (c instanceof Session.Wired w) {
            Behavior<Command> next = peer.common(c);
            if (w.mark()) {
                replay.onMark();
            }
            return next;
        }
        return super.receive(c);
    }

    @Override
    void onDeliver(SessionNotice.Deliver deliver, Session.Noticed noticed) {
        if (peer.stash.isFull()) {
            replay.rereadNeeded(); // they are in the store: the replay reads on
        } else {
            peer.stash.stash(noticed);
        }
    }
}
