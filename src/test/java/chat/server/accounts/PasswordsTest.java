package chat.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    @Test
    void hashesAreSaltedAndVerifiable() {
        Passwords p = new Passwords(1000);
        String h1 = p.hash("correct horse");
        String h2 = p.hash("correct horse");
        assertThat(h1).startsWith("pbkdf2-sha256$1000$").isNotEqualTo(h2).doesNotContain("correct horse");
        assertThat(p.verify("correct horse", h1)).isTrue();
        assertThat(p.verify("correct horse", h2)).isTrue();
        assertThat(p.verify("Correct horse", h1)).isFalse();
        assertThat(p.verify("anything", null)).as("no such user: checked against a decoy, never true").isFalse();
        assertThat(p.verify("x", "sha256-of-something")).isFalse();
    }

    @Test
    void aChangedCostIsNoticedAndOldHashesStillVerify() {
        String old = new Passwords(1000).hash("pw-12345");
        Passwords stronger = new Passwords(2000);
        assertThat(stronger.outdated(old)).isTrue();
        assertThat(stronger.verify("pw-12345", old)).isTrue();
        assertThat(stronger.outdated(stronger.hash("pw-12345"))).isFalse();
    }

    @Test
    void tokensAreLongRandomAndStoredOnlyAsDigests() {
        String t = Passwords.newToken();
        assertThat(t).hasSize(43).isNotEqualTo(Passwords.newToken());
        assertThat(Passwords.tokenHash(t)).hasSize(64).isEqualTo(Passwords.tokenHash(t)).doesNotContain(t);
    }

    @Test
    void theThrottleCountsPerNameAndPerAddressWithinTheWindow() {
        LoginThrottle t = new LoginThrottle(3, Duration.ofSeconds(60));
        long now = 1_000_000;
        for (int i = 0; i < 3; i++) {
            assertThat(t.blocked("eve", now)).isZero();
            assertThat(t.failed("eve", "10.0.0.1", now)).isZero();
        }
        assertThat(t.blocked("eve", now)).isPositive();
        assertThat(t.blocked("eve", now + 61_000)).as("the window slides").isZero();
        assertThat(t.failed("bob", "10.0.0.1", now)).as("the address is past its limit").isPositive();
        assertThat(t.blocked("carol", now)).isZero();
        Duration first = t.failed("dan", "10.0.0.1", now);
        Duration second = t.failed("dan2", "10.0.0.1", now);
        assertThat(second).isGreaterThan(first);
        t.succeeded("eve");
        assertThat(t.blocked("eve", now)).isZero();
    }
}
