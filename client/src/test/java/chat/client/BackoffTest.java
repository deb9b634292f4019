package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Reconnect delays: full jitter under a growing, capped ceiling, and never sooner than a busy server asked. */
class BackoffTest {

    /** A random source that always draws the same end of the range. */
    private static RandomGenerator always(boolean highest) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("Backoff draws bounded values only");
            }

            @Override
            public long nextLong(long bound) {
                return highest ? bound - 1 : 0;
            }
        };
    }

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCapWithoutOverflowing() {
        Backoff b = new Backoff(500, 30_000, new Random(7));
        List<Long> ceilings = new ArrayList<>();
        for (int attempt = 0; attempt < 8; attempt++) {
            ceilings.add(b.ceilingMillis(attempt));
        }
        assertThat(ceilings).containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L);
        assertThat(b.ceilingMillis(61)).isEqualTo(30_000);
        assertThat(b.ceilingMillis(1_000)).isEqualTo(30_000);
        assertThat(new Backoff(1, Long.MAX_VALUE, new Random(7)).ceilingMillis(70)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void delaysSpanTheWholeRangeFromZeroToTheCeiling() {
        assertThat(new Backoff(500, 30_000, always(false)).delayMillis(3)).isZero();
        assertThat(new Backoff(500, 30_000, always(true)).delayMillis(3)).isEqualTo(4_000);
        assertThat(new Backoff(500, 30_000, always(true)).delayMillis(40)).isEqualTo(30_000);

        Backoff b = new Backoff(500, 30_000, new Random(7));
        long below = 0;
        long above = 0;
        for (int i = 0; i < 1_000; i++) {
            long d = b.delayMillis(3);
            assertThat(d).isBetween(0L, 4_000L);
            below += d < 1_000 ? 1 : 0; // full jitter: the first quarter is as likely as any other
            above += d > 3_000 ? 1 : 0;
        }
        assertThat(below).isBetween(200L, 300L);
        assertThat(above).isBetween(200L, 300L);
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        Backoff one = new Backoff(100, 400, new Random(42));
        Backoff two = new Backoff(100, 400, new Random(42));
        for (int attempt = 0; attempt < 20; attempt++) {
            assertThat(one.delayMillis(attempt)).isEqualTo(two.delayMillis(attempt));
        }
    }

    @Test
    void aBusyServersWaitComesFirstAndTheJitterOnTop() {
        assertThat(new Backoff(500, 30_000, always(false)).delayMillis(0, 7_000)).isEqualTo(7_000);
        assertThat(new Backoff(500, 30_000, always(true)).delayMillis(0, 7_000)).isEqualTo(7_500);
        assertThat(new Backoff(500, 30_000, always(true)).delayMillis(2, 7_000)).isEqualTo(9_000);
        Backoff b = new Backoff(500, 30_000, new Random(3));
        for (int i = 0; i < 100; i++) {
            assertThat(b.delayMillis(1, 7_000)).isBetween(7_000L, 8_000L);
        }
    }
}
