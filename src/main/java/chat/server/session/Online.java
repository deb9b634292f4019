package chat.server.session;

import chat.protocol.ServerFrame;
import chat.server.presence.SessionNotice;

/** A logged-in session past its replay: live deliveries go straight to the socket. */
final class Online extends LoggedIn {

    private final long replayCursor; // highest msg_id the replay sent: live copies up to it are duplicates

    Online(Peer peer, long replayCursor) {
        super(peer);
        this.replayCursor = replayCursor;
    }

    @Override
    void onDeliver(SessionNotice.Deliver deliver, Session.Noticed noticed) {
        ServerFrame.Delivery m = deliver.delivery();
        if (m.msgId() > replayCursor) {
            peer.deliver(m, false);
        }
    }
}
