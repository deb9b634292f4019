package chat.bench.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private final List<String> lines = new ArrayList<>();
    private final LineReader.Sink sink = (buf, off, len) -> lines.add(new String(buf, off, len, StandardCharsets.UTF_8));

    private boolean feed(LineReader r, String s) {
        byte[] b = ("##" + s).getBytes(StandardCharsets.UTF_8); // an offset, as in a shared read buffer
        return r.feed(b, 2, b.length - 2, sink);
    }

    @Test
    void splitsLinesAndDropsCarriageReturnsAndBlankLines() {
        LineReader r = new LineReader(1000);
        feed(r, "{\"a\":1}\n\r\n{\"b\":2}\r\n\n");
        assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(r.carried()).isZero();
    }

    @Test
    void joinsALineCutAcrossReads() {
        LineReader r = new LineReader(1000);
        feed(r, "{\"type\":\"mes");
        feed(r, "sage\",\"content\":\"h\u00e9\"}\n{\"x\"");
        assertThat(lines).containsExactly("{\"type\":\"message\",\"content\":\"h\u00e9\"}");
        assertThat(r.carried()).isEqualTo(4);
        feed(r, ":1}\r");
        feed(r, "\n");
        assertThat(lines).containsExactly("{\"type\":\"message\",\"content\":\"h\u00e9\"}", "{\"x\":1}");
    }

    @Test
    void aMultiByteCharacterCutBetweenReadsSurvives() {
        LineReader r = new LineReader(1000);
        byte[] b = "\"\uD83D\uDE42\"\n".getBytes(StandardCharsets.UTF_8);
        r.feed(b, 0, 3, sink);
        r.feed(b, 3, b.length - 3, sink);
        assertThat(lines).containsExactly("\"\uD83D\uDE42\"");
    }

    @Test
    void refusesAnEndlessLine() {
        LineReader r = new LineReader(10);
        assertThat(feed(r, "0123456789")).isTrue();
        assertThat(feed(r, "X")).isFalse();
    }
}
