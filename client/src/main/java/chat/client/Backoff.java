package chat.client;

import java.util.Random;

/**
 * Reconnect delays: exponential from `base` up to `max`, with "equal jitter" (between half and all
 * of the step) so that many clients cut off at once do not all come back in the same instant.
 */
public final class Backoff {

    private final long baseMillis;
    private final long maxMillis;
    private final Random random;

    public Backoff(long baseMillis, long maxMillis, Random random) {
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The delay before attempt `attempt` (1 = the first retry). */
    public long delayMillis(int attempt) {
        long step = Math.min(maxMillis, baseMillis << Math.min(Math.max(attempt - 1, 0), 20));
        return step / 2 + (long) (random.nextDouble() * (step - step / 2));
    }
}
