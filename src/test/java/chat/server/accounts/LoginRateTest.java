package chat.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginRateTest {

    private static final long MS = 1_000_000;

    @Test
    void unknownUntilEnoughChecksHaveFinished() {
        LoginRate rate = new LoginRate(Duration.ofSeconds(5), 0);
        for (int i = 0; i < 5; i++) {
            rate.started(0);
        }
        for (int i = 1; i <= 5; i++) {
            rate.finished(i * 10 * MS);
        }
        assertThat(rate.perSecond(50 * MS)).isNaN();
        assertThat(rate.drainMillis(100, 50 * MS, 1234)).isEqualTo(1234);
    }

    @Test
    void aQueueDrainsAtTheRateChecksFinishWhileBusy() {
        LoginRate rate = new LoginRate(Duration.ofSeconds(5), 0);
        for (int i = 0; i < 200; i++) {
            rate.started(0);
        }
        long t = 0;
        for (int i = 0; i < 100; i++) { // one every 10 ms: 100 per second
            t += 10 * MS;
            rate.finished(t);
        }
        assertThat(rate.inFlight()).isEqualTo(100);
        assertThat(rate.perSecond(t)).isBetween(99.0, 101.0);
        assertThat(rate.drainMillis(rate.inFlight(), t, 0)).isBetween(990L, 1010L);
    }

    @Test
    void idleTimeDoesNotMakeTheNodeLookSlow() {
        LoginRate rate = new LoginRate(Duration.ofSeconds(5), 0);
        for (int i = 0; i < 50; i++) {
            rate.started(0);
        }
        for (int i = 1; i <= 50; i++) { // 50 in 100 ms: 500 per second, then nothing for 2 s
            rate.finished(i * 2 * MS);
        }
        assertThat(rate.inFlight()).isZero();
        assertThat(rate.perSecond(2_100 * MS)).isBetween(490.0, 510.0);
    }
}
