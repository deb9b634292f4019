package chat.client;

import java.util.random.RandomGenerator;

/**
 * Reconnect delays with "full jitter": uniform in [0, min(max, base·2^attempt)]. Clients cut off
 * at once (a node restart) then come back spread over the whole window instead of in waves; the
 * random source is injected so that tests are deterministic.
 */
public final class Backoff {

    private final long baseMillis;
    private final long maxMillis;
    private final RandomGenerator random;

    public Backoff(long baseMillis, long maxMillis, RandomGenerator random) {
        if (baseMillis <= 0 || maxMillis < baseMillis) {
            throw new IllegalArgumentException("need 0 < base <= max, not " + baseMillis + " and " + maxMillis);
        }
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The longest delay before retry number `attempt` (0 = the first): min(max, base·2^attempt). */
    public long ceilingMillis(int attempt) {
        int doublings = Math.max(attempt, 0);
        // base·2^doublings without overflow: once it would pass the cap, it is the cap
        return doublings >= 62 || baseMillis > maxMillis >> doublings ? maxMillis : baseMillis << doublings;
    }

    /** The delay before retry number `attempt` (0 = the first): uniform in [0, {@link #ceilingMillis}]. */
    public long delayMillis(int attempt) {
        return random.nextLong(ceilingMillis(attempt) + 1);
    }

    /**
     * The delay when the server asked to wait `retryAfterMillis`: at least that, plus the jitter of
     * this attempt, so that clients told the same wait do not all come back at the same instant.
     */
    public long delayMillis(int attempt, long retryAfterMillis) {
        return Math.max(0, retryAfterMillis) + delayMillis(attempt);
    }
}
