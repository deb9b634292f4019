package chat.bench.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldsTest {

    private static final String ACK = "{\"type\":\"message_ack\",\"id\":\"r1.3.17\",\"msg_id\":42,\"receiver\":\"bob\","
            + "\"ts\":1764036000000,\"timestamp\":\"2026-11-25 02:00:00\"}";

    @Test
    void readsStringsAndNumbersOfAFlatFrame() {
        assertThat(Fields.string(ACK, "type")).isEqualTo("message_ack");
        assertThat(Fields.string(ACK, "id")).isEqualTo("r1.3.17");
        assertThat(Fields.number(ACK, "msg_id", -1)).isEqualTo(42);
        assertThat(Fields.number(ACK, "ts", -1)).isEqualTo(1_764_036_000_000L);
        assertThat(Fields.number(ACK, "missing", -1)).isEqualTo(-1);
        assertThat(Fields.string(ACK, "msg_id")).isNull(); // a number is not a string
        assertThat(Fields.number(ACK, "receiver", -1)).isEqualTo(-1);
    }

    @Test
    void aKeyInsideContentIsNotAKey() {
        String line = "{\"type\":\"message\",\"content\":\"\\\"receiver\\\":\\\"mallory\\\" receiver\","
                + "\"receiver\":\"bob\"}";
        assertThat(Fields.string(line, "receiver")).isEqualTo("bob");
        assertThat(Fields.string(line, "content")).isEqualTo("\"receiver\":\"mallory\" receiver");
    }

    @Test
    void aValueEqualToTheNameIsSkipped() {
        String line = "{\"content\":\"receiver\" , \"receiver\" : \"bob\"}";
        assertThat(Fields.string(line, "receiver")).isEqualTo("bob");
    }

    @Test
    void unescapes() {
        String line = "{\"content\":\"a\\\\b\\n\\u00e9\\/\"}";
        assertThat(Fields.string(line, "content")).isEqualTo("a\\b\n\u00e9/");
    }

    @Test
    void scansRawBytesTheSameWay() {
        byte[] line = ("xx{\"type\":\"message\",\"id\":\"c-1\",\"content\":\"\\\"receiver\\\":\\\"eve\\\"\","
                + "\"receiver\":\"b\u00f6b\"}yy").getBytes(StandardCharsets.UTF_8);
        int off = 2;
        int len = line.length - 4;
        assertThat(Fields.string(line, off, len, Fields.key("type"))).isEqualTo("message");
        assertThat(Fields.string(line, off, len, Fields.key("receiver"))).isEqualTo("b\u00f6b");
        assertThat(Fields.string(line, off, len, Fields.key("username"))).isNull();
        // the slice ends before "yy": a field cut off by it is absent, not read past the end
        assertThat(Fields.string(line, off, 10, Fields.key("type"))).isNull();
    }
}
