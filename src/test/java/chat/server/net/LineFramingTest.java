package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.session.Incoming;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The framing stage alone, fed chunks as TCP might cut them. */
class LineFramingTest {

    private static final ActorTestKit kit = ActorTestKit.create();
    private static final String TOO_LONG = "<too long>";

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static List<String> frame(int max, String... chunks) throws Exception {
        List<ByteString> in = new ArrayList<>();
        for (String c : chunks) {
            in.add(ByteString.fromString(c));
        }
        return Source.from(in)
                .via(new LineFraming<>(max, ByteString::utf8String, TOO_LONG))
                .runWith(Sink.seq(), Materializer.matFromSystem(kit.system()))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void nothingComesOutUntilTheDelimiter() throws Exception {
        assertThat(frame(100, "{\"a\"", ":1", "}")).isEmpty();
        assertThat(frame(100, "{\"a\"", ":1", "}\n")).containsExactly("{\"a\":1}");
    }

    @Test
    void manyLinesInOneChunkAndOneLineAcrossManyChunks() throws Exception {
        assertThat(frame(100, "a\nb\nc\nd", "e\n")).containsExactly("a", "b", "c", "de");
        List<String> bytes = new ArrayList<>();
        for (char ch : "hello\n".toCharArray()) {
            bytes.add(String.valueOf(ch));
        }
        assertThat(frame(100, bytes.toArray(String[]::new))).containsExactly("hello");
    }

    @Test
    void carriageReturnsAndBlankLinesAreDropped() throws Exception {
        assertThat(frame(100, "a\r\n\r\n  \n\nb\n")).containsExactly("a", "b");
    }

    @Test
    void aLineThatDecodesToNothingIsTakenInAndTheNextStillComes() throws Exception {
        List<String> out = Source.from(List.of(ByteString.fromString("a\nskip\nskip\nb\n")))
                .via(new LineFraming<>(100, line -> line.utf8String().equals("skip") ? null : line.utf8String(), TOO_LONG))
                .runWith(Sink.seq(), Materializer.matFromSystem(kit.system()))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(out).containsExactly("a", "b");
    }

    @Test
    void aPongStopsInTheConnectionsFlowWithItsTime() {
        ConnectionFlow.Pongs pongs = new ConnectionFlow.Pongs(new LongAdder());
        long before = System.nanoTime();
        assertThat(pongs.decode(ByteString.fromString("{\"type\":\"pong\"}"))).isNull();
        assertThat(pongs.lastNanos()).isGreaterThanOrEqualTo(before);
        assertThat(pongs.decode(ByteString.fromString("{\"type\":\"ping\"}"))).isInstanceOf(Incoming.Frame.class);
    }

    @Test
    void aLineAtTheLimitPassesAndOnePastItEndsTheStream() throws Exception {
        assertThat(frame(5, "12345\n")).containsExactly("12345");
        assertThat(frame(5, "ok\n123456\nnever\n")).containsExactly("ok", TOO_LONG);
    }

    @Test
    void aLongestLineMayHaveItsCarriageReturnAndNewlineInSeparateChunks() throws Exception {
        assertThat(frame(5, "12345\r", "\n")).containsExactly("12345");
        assertThat(frame(5, "123456", "\n")).containsExactly(TOO_LONG);
    }

    @Test
    void theLimitHoldsBeforeAnyDelimiterArrives() throws Exception {
        assertThat(frame(5, "ok\n", "123", "456", "789", "more without end")).containsExactly("ok", TOO_LONG);
    }
}
