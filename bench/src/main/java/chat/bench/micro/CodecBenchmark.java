package chat.bench.micro;

import chat.protocol.ClientFrame;
import chat.protocol.FrameCodec;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
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
 *
 * <p>Frames are encoded by Jackson databind from their annotations; client frames are decoded by the
 * codec's hand-checked streaming reader. `decodeClientDatabind` reads the same line with databind
 * (no field checks at all), to show what that reader is worth; `encodeMessageByHand` writes the
 * message field by field with the streaming generator, as the codec did before databind, for a
 * ratio within one run.
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

    private final ObjectReader databind = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build()
            .readerFor(ClientFrame.class);
    private final String delivered = FrameCodec.encodeToString(message).trim();

    @Benchmark
    public byte[] encodeMessage() {
        return FrameCodec.encode(message);
    }

    private final JsonFactory json = JsonFactory.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    /** The baseline: the same line written by hand, field by field, into a reused buffer. */
    @Benchmark
    public byte[] encodeMessageByHand() throws IOException {
        buffer.reset();
        try (JsonGenerator out = json.createGenerator(buffer)) {
            out.writeStartObject();
            out.writeStringField("type", "message");
            out.writeNumberField("msg_id", message.msgId());
            out.writeStringField("id", message.id());
            out.writeStringField("sender", message.sender());
            out.writeStringField("receiver", message.receiver());
            out.writeStringField("content", message.content());
            out.writeStringField("timestamp", message.timestamp());
            out.writeNumberField("ts", message.ts());
            out.writeEndObject();
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    /** The same line as decodeClientBytes, bound by databind from ClientFrame's annotations. */
    @Benchmark
    public ClientFrame decodeClientDatabind() throws IOException {
        return databind.readValue(bytes, 0, bytes.length);
    }

    /** What a client does with each delivery. */
    @Benchmark
    public ServerFrame decodeServerMessage() throws ProtocolError {
        return FrameCodec.decodeServer(delivered);
    }
}
