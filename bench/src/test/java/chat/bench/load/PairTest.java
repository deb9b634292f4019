package chat.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

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
}
