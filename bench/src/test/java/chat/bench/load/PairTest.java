package chat.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import chat.bench.net.Fields;
import chat.protocol.FrameCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PairTest {

    @Test
    void aMessageCarriesItsSeqStepAndScheduledTime() {
        assertThat(Pair.seqOf("tp2e.12.345")).isEqualTo(345);
        assertThat(Pair.seqOf("garbage")).isEqualTo(-1);
        assertThat(Pair.seqOf(null)).isEqualTo(-1);
        assertThat(Pair.stepOfContent("s3 t123456789 xxxx")).isEqualTo(3);
        assertThat(Pair.stepOfContent("hello there")).isEqualTo(-1);
        assertThat(Pair.sentAt("s3 t123456789 xxxx")).isEqualTo(123_456_789L);
        assertThat(Pair.sentAt("s0 t42")).isEqualTo(42L);
    }

    @Test
    void theLevel1ContentCarriesTheIdToo() {
        String content = "s3 t123456789 itp2e.12.345 xxxx";
        assertThat(Pair.idOfContent(content)).isEqualTo("tp2e.12.345");
        assertThat(Pair.seqOf(Pair.idOfContent(content))).isEqualTo(345);
        assertThat(Pair.idOfContent("s0 t42 ir1.0.7")).isEqualTo("r1.0.7"); // no padding
        // the id token leaves the step and the scheduled time as they were
        assertThat(Pair.stepOfContent(content)).isEqualTo(3);
        assertThat(Pair.sentAt(content)).isEqualTo(123_456_789L);
        assertThat(Pair.sentAt("s0 t42 ir1.0.7")).isEqualTo(42L);
    }

    @Test
    void theNodesContentHasNoId() {
        assertThat(Pair.idOfContent("s3 t123456789 xxxx")).isNull();
        assertThat(Pair.idOfContent("s0 t42")).isNull();
        assertThat(Pair.idOfContent("s0 t42 i")).isNull();
    }

    @Test
    void theLevel1MessageFrameNamesItsSenderAndReadsBackAsAnOldServerForwardsIt() {
        String line = new String(FrameCodec.encode(new Pair.Level1Message("b-r1-s0", "b-r1-r0", "s0 t42 ir1.0.7 xx")),
                StandardCharsets.UTF_8);
        assertThat(line).isEqualTo("{\"type\":\"message\",\"sender\":\"b-r1-s0\",\"receiver\":\"b-r1-r0\","
                + "\"content\":\"s0 t42 ir1.0.7 xx\"}\n");
        // what the old server's json.dumps makes of it for the receiver: spaces after ':' and ',', no id
        String forwarded = "{\"type\": \"message\", \"sender\": \"b-r1-s0\", \"content\": \"s0 t42 ir1.0.7 xx\","
                + " \"timestamp\": \"2026-11-25 17:45:27\"}";
        assertThat(Fields.string(forwarded, "id")).isNull();
        assertThat(Pair.idOfContent(Fields.string(forwarded, "content"))).isEqualTo("r1.0.7");
    }
}
