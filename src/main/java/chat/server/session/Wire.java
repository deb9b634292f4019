package chat.server.session;

import chat.protocol.ServerFrame;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * The session's side of its connection, made by net/ (the flow, the framing and the wire tap live
 * there): encoded frames out through a bounded queue, and the end of it. Frames come in as
 * {@link Session.FromWire} messages.
 */
public interface Wire {

    String remoteAddress();

    /**
     * Encodes and queues a frame. A frame with a `writtenId` (a level 1 message's msg_id) or a
     * `mark` (a point in a replay) is reported back as {@link Session.Wired} once it reaches the
     * TCP stage.
     */
    QueueOfferResult offer(ServerFrame frame, long writtenId, boolean mark);

    /** Queues an empty element, reported back as a probe once everything before it reached the TCP stage. */
    void probe();

    /** Frames waiting for the socket. */
    int queued();

    boolean isCompleted();

    /**
     * System.nanoTime() of the last `pong` the peer sent, or 0 if none: the stream takes pongs in
     * itself (they ask nothing of the session), so the dead-peer check reads their time here.
     */
    default long lastPongNanos() {
        return 0;
    }

    /**
     * Ends the outbound stream: completes it (what is queued is still written) or, with a
     * `failure`, fails it (the socket is reset). Nothing happens if it has already ended.
     */
    void end(Throwable failure);

    /** Materializes the connection's flow into `session`: the session calls it when it is attached. */
    @FunctionalInterface
    interface Opener {
        Wire open(ActorRef<Session.FromWire> session);
    }
}
