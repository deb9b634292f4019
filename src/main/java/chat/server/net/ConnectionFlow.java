package chat.server.net;

import chat.protocol.ClientFrame;
import chat.protocol.FrameCodec;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.server.Settings;
import chat.server.session.Incoming;
import chat.server.session.Session;
import chat.server.session.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * One TCP connection as a Pekko Streams flow, and the session's {@link Wire} to it.
 *
 * In: bytes → {@link LineFraming} (the frame limit) → decode (here, so it costs the session actor
 * nothing) → batched while the session is busy → into the session with backpressure (it
 * acknowledges each batch, and holds the acknowledgement while a login or too many sends are in
 * flight, so a fast client is slowed at its socket, not buffered here).
 *
 * A `pong` (the answer to the node's ping, asking nothing) stops here: the flow notes its time
 * for the session's dead-peer check and hands the session nothing, so an idle connection's ping
 * round trip costs no session message and no acknowledgement.
 *
 * Out: a bounded queue of encoded frames whose overflow the session answers by closing the
 * connection (a reader that stops reading cannot grow the heap), and a wire tap that tells the
 * session when a tracked frame reaches the TCP stage.
 *
 * No batching stage sits in front of the TCP stage: Pekko's own already coalesces writes. It pulls
 * frames into a buffer (up to `pekko.stream.materializer.io.tcp.write-buffer-size`, 16 KiB) while
 * a write is in flight, and `coalesce-writes` lets the stream run a little before a write goes out.
 * Measured with strace at 100 pairs, 3,000 msg/s for 10 s (30,000 messages, ~3 frames out each):
 * 18,575 socket write() calls by default, 35,827 with coalesce-writes = 0, so a batch stage here would
 * only copy a buffer that is already there. Neither 0 nor 30 lowered node CPU per message measurably
 * (30 cut writes further but put p99 over a second): the defaults stay.
 */
public final class ConnectionFlow implements Wire {

    private static final int INBOUND_BATCH = 64;

    private final String remoteAddress;
    private final BoundedSourceQueue<Outbound> out;
    private final Pongs pongs;

    private ConnectionFlow(String remoteAddress, BoundedSourceQueue<Outbound> out, Pongs pongs) {
        this.remoteAddress = remoteAddress;
        this.out = out;
        this.pongs = pongs;
    }

    /** What the session opens once it is attached (the connection itself is not kept for the session's life). */
    public static Wire.Opener opener(Tcp.IncomingConnection connection, Settings.Limits limits, LongAdder framesIn,
                                     Materializer materializer) {
        return session -> {
            Pongs pongs = new Pongs(framesIn);
            return new ConnectionFlow(connection.remoteAddress().getAddress().getHostAddress(),
                    connection.handleWith(flow(session, limits, pongs), materializer), pongs);
        };
    }

    /** Framed, decoded lines into the session (pongs noted in `pongs`); a bounded queue of encoded frames out. */
    static Flow<ByteString, ByteString, BoundedSourceQueue<Outbound>> flow(ActorRef<Session.FromWire> session,
                                                                         Settings.Limits limits, Pongs pongs) {
        Sink<ByteString, NotUsed> inbound = Flow.fromGraph(new LineFraming<>(limits.maxFrameBytes(),
                        pongs::decode, (Incoming) Incoming.TooLarge.INSTANCE))
                // while the session is busy, frames gather (up to a bound) and go to it together
                .batch(INBOUND_BATCH, ConnectionFlow::firstOf, ConnectionFlow::plus)
                .to(ActorSink.<List<Incoming>, Session.FromWire, Session.Ack>actorRefWithBackpressure(session,
                                Session.Received::new, Session.InboundStarted::new, Session.Ack.INSTANCE,
                                Session.InboundEnded.INSTANCE, Session.InboundFailed::new)
                        .withAttributes(Attributes.inputBuffer(1, 1))); // nothing else piles up here
        Source<ByteString, BoundedSourceQueue<Outbound>> outbound = Source.<Outbound>queue(limits.outboundFrames())
                .map(o -> {
                    if (o.tracked()) { // the wire tap
                        session.tell(new Session.Wired(o.writtenId(), o.bytes().size(), o.mark(), o.probe()));
                    }
                    return o.bytes();
                });
        return Flow.fromSinkAndSourceMat(inbound, outbound, Keep.right());
    }

    static Incoming decode(ByteString line) {
        byte[] bytes = line.toArrayUnsafe();
        try {
            return new Incoming.Frame(FrameCodec.decodeClient(bytes, 0, bytes.length));
        } catch (ProtocolError e) {
            return new Incoming.Invalid(e);
        }
    }

    /** A connection's pongs: when the last one came (read by the session's heartbeat, on another thread). */
    static final class Pongs {

        private final LongAdder framesIn;
        private volatile long lastNanos;

        Pongs(LongAdder framesIn) {
            this.framesIn = framesIn;
        }

        /** The line as the session gets it, or null for a pong, which goes no further. */
        Incoming decode(ByteString line) {
            Incoming in = ConnectionFlow.decode(line);
            if (in instanceof Incoming.Frame f && f.frame() instanceof ClientFrame.Pong) {
                lastNanos = System.nanoTime();
                framesIn.increment();
                return null;
            }
            return in;
        }

        long lastNanos() {
            return lastNanos;
        }
    }

    @Override
    public long lastPongNanos() {
        return pongs.lastNanos();
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public QueueOfferResult offer(ServerFrame frame, long writtenId, boolean mark) {
        return out.offer(new Outbound(ByteString.fromArrayUnsafe(FrameCodec.encode(frame)), writtenId, mark, false));
    }

    @Override
    public void probe() {
        out.offer(Outbound.flowProbe());
    }

    @Override
    public int queued() {
        return out.size();
    }

    @Override
    public boolean isCompleted() {
        return out.isCompleted();
    }

    /** The stream may have ended first on its own thread, the peer having gone. */
    @Override
    public void end(Throwable failure) {
        if (out.isCompleted()) {
            return;
        }
        try {
            if (failure == null) {
                out.complete();
            } else {
                out.fail(failure);
            }
        } catch (IllegalStateException endedMeanwhile) {
            // the connection closed between the check and the call: nothing left to end
        }
    }

    private static List<Incoming> firstOf(Incoming in) {
        List<Incoming> batch = new ArrayList<>(4);
        batch.add(in);
        return batch;
    }

    private static List<Incoming> plus(List<Incoming> batch, Incoming in) {
        batch.add(in);
        return batch;
    }
}
