package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesOfAKnownDistribution() {
        Latencies l = new Latencies();
        for (int micros = 1; micros <= 10_000; micros++) {
            l.recordMicros(micros); // 1 us .. 10 ms, evenly
        }
        assertThat(l.count()).isEqualTo(10_000);
        assertThat(l.percentileMillis(50)).isCloseTo(5.0, within(0.01));
        assertThat(l.percentileMillis(99)).isCloseTo(9.9, within(0.01));
        assertThat(l.percentileMillis(99.9)).isCloseTo(9.99, within(0.01));
        assertThat(l.maxMillis()).isCloseTo(10.0, within(0.01));
    }

    @Test
    void nanosAreRecordedAsMicrosAndNegativeIntervalsAsZero() {
        Latencies l = new Latencies();
        l.recordNanos(2_500_000);
        l.recordNanos(-5);
        assertThat(l.maxMillis()).isCloseTo(2.5, within(0.01));
        assertThat(l.percentileMillis(0)).isZero();
    }

    @Test
    void emptyMeansUnknownNotZero() {
        assertThat(new Latencies().percentileMillis(99)).isNaN();
        assertThat(Table.millis(new Latencies().percentileMillis(99))).isEqualTo("-");
    }

    @Test
    void travelsAsTextAndMerges() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 1000; i++) {
            a.recordMicros(100);
            b.recordMicros(10_000);
        }
        Latencies copy = Latencies.decode(a.encode());
        assertThat(copy.count()).isEqualTo(1000);
        copy.add(Latencies.decode(b.encode()));
        assertThat(copy.count()).isEqualTo(2000);
        assertThat(copy.percentileMillis(25)).isCloseTo(0.1, within(0.001));
        assertThat(copy.percentileMillis(75)).isCloseTo(10.0, within(0.01));
        assertThat(copy.encode()).doesNotContain(" ", "=");
    }
}
