package chat.bench.micro;

import chat.protocol.ClientFrame;
import chat.protocol.FrameCodec;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec on the node's hot path: every message a client sends is decoded once, and every
 * delivery is encoded once. A typical chat line, about 60 characters of content.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private static final String CONTENT = "Hello Bob, are we still on for lunch tomorrow at noon? \uD83D\uDE42";

    private final String line = "{\"type\":\"message\",\"id\":\"c-7f3a9e2b-0c1d-4e5f\",\"receiver\":\"bob\",\"content\":\""
            + CONTENT + "\"}";
    private final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    private final ServerFrame.Message message = new ServerFrame.Message(4_242_424L, "c-7f3a9e2b-0c1d-4e5f", "alice", "bob",
            CONTENT, "2026-11-25 02:00:00", 1_764_036_000_000L, null);

    /** FrameCodec.decodeClient(String), as named in the protocol module's API. */
    @Benchmark
    public ClientFrame decodeClient() throws ProtocolError {
        return FrameCodec.decodeClient(line);
    }

    /** The node's own call: bytes straight from the line framing, no String in between. */
    @Benchmark
    public ClientFrame decodeClientBytes() throws ProtocolError {
        return FrameCodec.decodeClient(bytes, 0, bytes.length);
    }

    @Benchmark
    public byte[] encodeMessage() {
        return FrameCodec.encode(message);
    }
}
