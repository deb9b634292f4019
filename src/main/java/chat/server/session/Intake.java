package chat.server.session;

import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import java.util.ArrayDeque;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The session's inbound frames: handed over by the connection's stream in batches, each batch
 * acknowledged once its frames are handled. A frame that has to wait for an answer (a login, too
 * many sends, queries or acks in flight, a backlog of answers the client is not reading) holds the
 * acknowledgement, so the stream stops reading the socket: a fast client is slowed at its socket,
 * not buffered here.
 */
final class Intake {

    /** Why the current inbound frame's acknowledgement is held back. */
    enum Hold { NONE, ACCOUNT, SENDS, QUERIES, MARKS, BACKLOG }

    private final Peer peer;
    private final ArrayDeque<Incoming> inbox = new ArrayDeque<>();
    private ActorRef<Session.Ack> pendingAck;
    private Hold hold = Hold.NONE;
    private boolean draining;

    Intake(Peer peer) {
        this.peer = peer;
    }

    Hold hold() {
        return hold;
    }

    void received(Session.Received r) {
        peer.lastInboundNanos = System.nanoTime();
        pendingAck = r.ackTo();
        inbox.addAll(r.frames());
        peer.metrics.framesIn.add(r.frames().size());
        drain();
    }

    /** What held the frames back is answered: go on with the rest. */
    void resume() {
        hold = Hold.NONE;
        drain();
    }

    void resumeIf(Hold answered) {
        if (hold == answered) {
            resume();
        }
    }

    /** A frame the phase cannot take yet goes back to the head of the line. */
    void putBack(Incoming in) {
        inbox.addFirst(in);
    }

    /**
     * Handles the frames received so far, in order, each by the phase the session is in when its
     * turn comes, until one has to wait; once all are handled the stream may bring the next ones.
     */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (hold == Hold.NONE && !inbox.isEmpty()) {
                Incoming in = inbox.poll();
                if (peer.closing()) {
                    inbox.clear(); // what the peer still sends: the connection is on its way out
                } else if (in instanceof Incoming.Frame f) {
                    hold = peer.phase().onFrame(f.frame());
                } else if (in instanceof Incoming.Invalid bad) {
                    peer.send(peer.phase().answerTo(bad.error()));
                } else {
                    peer.send(new ServerFrame.Error(ProtocolError.FRAME_TOO_LARGE, "a frame may be at most "
                            + peer.settings.limits().maxFrameBytes() + " bytes; closing the connection", null));
                    peer.closeGracefully();
                }
            }
            if (hold != Hold.NONE || !inbox.isEmpty()) {
                return;
            }
            if (!peer.closing() && peer.wire.queued() >= peer.settings.limits().outboundFrames() / 2) {
                // the client sends faster than it reads our answers: stop reading it until they drain,
                // rather than let the answers pile up until the connection has to be closed
                hold = Hold.BACKLOG;
                peer.wire.probe();
            } else if (pendingAck != null) {
                pendingAck.tell(Session.Ack.INSTANCE);
                pendingAck = null;
            }
        } finally {
            draining = false;
        }
    }
}
