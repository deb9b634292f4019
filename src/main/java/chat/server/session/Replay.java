package chat.server.session;

import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.server.mailbox.Mailbox;
import chat.server.session.Session.Command;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The replay at login: the user's pending messages in pages (keyset by msg_id), then the receipts
 * kept for this device while it was offline (level 2 and up), then replay_done and the live
 * deliveries stashed meanwhile. Paced by the socket: the next page is read when a marked frame of
 * this one reaches the TCP stage, so a slow reader never gets its backlog queued at once.
 */
final class Replay {

    private static final int RECEIPT_PAGE = 200;

    /** What the replay reads when its marked frame reaches the socket. */
    private enum Next { NONE, PAGE, RECEIPTS }

    private final Peer peer;
    private final ActorRef<Mailbox.PendingPage> pageReplies;
    private ActorRef<Mailbox.StreamPage> streamReplies; // level 3
    private boolean truncated;
    private ActorRef<Mailbox.ReceiptPage> receiptReplies;
    private long cursor; // highest msg_id sent: live copies up to it are duplicates
    private long replayed;
    private boolean rereadNeeded;
    private long receiptCursor;
    private Next afterMark = Next.NONE;

    Replay(Peer peer, boolean rereadNeeded) {
        this.peer = peer;
        this.rereadNeeded = rereadNeeded;
        this.pageReplies = peer.ctx.messageAdapter(Mailbox.PendingPage.class, Session.PageRead::new);
        if (peer.level >= 3) {
            this.streamReplies = peer.ctx.messageAdapter(Mailbox.StreamPage.class, Session.StreamRead::new);
        }
    }

    /** Live messages were dropped from a full stash: the store has them, it is read once more at the end. */
    void rereadNeeded() {
        rereadNeeded = true;
    }

    void fetchPage() {
        if (streamReplies != null) { // level 3: the device's own stream, from its own position
            peer.services.mailboxes().of(peer.user).tell(new Mailbox.FetchStream(peer.user, peer.device, cursor, peer.pageSize,
                    cursor == 0 ? peer.settings.limits().maxPendingPerUser() : 0, streamReplies));
            peer.retryIn(Session.Retry.PAGE, Peer.RETRY.multipliedBy(2));
            return;
        }
        peer.services.mailboxes().of(peer.user).tell(new Mailbox.FetchPending(peer.user, cursor, peer.pageSize, pageReplies));
        peer.retryIn(Session.Retry.PAGE, Peer.RETRY.multipliedBy(2));
    }

    void fetchReceipts() {
        if (receiptReplies == null) {
            receiptReplies = peer.ctx.messageAdapter(Mailbox.ReceiptPage.class, Session.ReceiptsRead::new);
        }
        peer.services.mailboxes().of(peer.user).tell(new Mailbox.FetchReceipts(peer.user, peer.device, receiptCursor, RECEIPT_PAGE,
                receiptReplies));
        peer.retryIn(Session.Retry.RECEIPTS, Peer.RETRY.multipliedBy(2));
    }

    Behavior<Command> onPageRead(Mailbox.PendingPage page) {
        if (page.after() != cursor || afterMark == Next.PAGE) {
            return peer.current(); // a late answer to a question asked again
        }
        peer.cancelRetry();
        if (page.failed()) {
            peer.ctx.getLog().error("pending messages of [{}] could not be read; closing the connection", peer.user);
            peer.send(new ServerFrame.Error(ProtocolError.INTERNAL, "pending messages could not be loaded; reconnect later", "login"));
            return peer.closeGracefully();
        }
        List<ServerFrame.Delivery> messages = page.messages();
        boolean more = messages.size() == peer.pageSize;
        int mark = more ? messages.size() / 2 : -1; // read on while the second half is still being written
        for (int i = 0; i < messages.size(); i++) {
            ServerFrame.Delivery m = messages.get(i);
            if (!peer.deliver(m, i == mark)) {
                return peer.current();
            }
            cursor = m.msgId();
        }
        replayed += messages.size();
        if (more) {
            afterMark = Next.PAGE; // paced by the socket: a slow reader never gets a backlog queued at once
            return peer.current();
        }
        if (rereadNeeded) {
            rereadNeeded = false;
            fetchPage();
            return peer.current();
        }
        if (peer.level >= 2) {
            fetchReceipts();
            return peer.current();
        }
        return done();
    }

    /** Level 3: as {@link #onPageRead}, with the stream's own cursor (a page may skip the device's own copies). */
    Behavior<Command> onStreamRead(Mailbox.StreamPage page) {
        if (page.after() != cursor || afterMark == Next.PAGE) {
            return peer.current(); // a late answer to a question asked again
        }
        peer.cancelRetry();
        if (page.failed()) {
            peer.ctx.getLog().error("the stream of [{}] on [{}] could not be read; closing the connection", peer.user, peer.device);
            peer.send(new ServerFrame.Error(ProtocolError.INTERNAL, "pending messages could not be loaded; reconnect later", "login"));
            return peer.closeGracefully();
        }
        truncated |= page.truncated();
        List<ServerFrame.Delivery> messages = page.deliveries();
        int mark = page.more() && !messages.isEmpty() ? messages.size() / 2 : -1;
        for (int i = 0; i < messages.size(); i++) {
            if (!peer.deliver(messages.get(i), i == mark)) {
                return peer.current();
            }
        }
        cursor = Math.max(cursor, page.next());
        replayed += messages.size();
        if (page.more()) {
            if (mark < 0) {
                fetchPage(); // nothing of this page was sent: nothing to wait for at the socket
            } else {
                afterMark = Next.PAGE;
            }
            return peer.current();
        }
        if (rereadNeeded) {
            rereadNeeded = false;
            fetchPage();
            return peer.current();
        }
        fetchReceipts();
        return peer.current();
    }

    Behavior<Command> onReceiptsRead(Mailbox.ReceiptPage page) {
        if (page.after() != receiptCursor || afterMark == Next.RECEIPTS) {
            return peer.current(); // a late answer to a question asked again
        }
        peer.cancelRetry();
        if (page.failed()) {
            peer.ctx.getLog().warn("stored receipts of [{}] could not be read; they stay for the next login", peer.user);
            return done();
        }
        List<Mailbox.KeptReceipt> receipts = page.receipts();
        boolean more = receipts.size() == RECEIPT_PAGE;
        for (int i = 0; i < receipts.size(); i++) {
            if (!peer.write(receipts.get(i).receipt(), false, 0, more && i == receipts.size() - 1)) {
                return peer.current();
            }
            receiptCursor = receipts.get(i).receiptId();
        }
        if (!receipts.isEmpty()) {
            peer.services.mailboxes().of(peer.user).tell(new Mailbox.DropReceipts(peer.user, peer.device, receiptCursor));
        }
        if (more) {
            afterMark = Next.RECEIPTS;
            return peer.current();
        }
        return done();
    }

    /** A marked frame reached the socket: read on. */
    void onMark() {
        if (afterMark == Next.PAGE) {
            fetchPage();
        } else if (afterMark == Next.RECEIPTS) {
            fetchReceipts();
        }
        afterMark = Next.NONE;
    }

    /** The backlog is out: then what arrived live meanwhile, minus what the backlog already held. */
    private Behavior<Command> done() {
        if (peer.level >= 2) {
            peer.send(new ServerFrame.ReplayDone(replayed, truncated ? Boolean.TRUE : null));
        }
        Online online = new Online(peer, cursor);
        peer.become(online);
        return peer.stash.unstashAll(online);
    }
}
