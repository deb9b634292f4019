package chat.server.accounts;

/**
 * How fast the node has been finishing login checks while it had some in flight: completions per
 * second of busy time, older seconds weighing less (they decay with a time constant of `horizon`).
 * Idle time does not count, so a quiet node does not look slow to the first logins of a storm. A
 * shed login is told to come back once the checks ahead of it would have drained at this rate.
 * Confined to the Accounts actor; times are System.nanoTime().
 */
final class LoginRate {

    /** Fewer completions than this (decayed) and the rate is not known yet. */
    private static final double MIN_COMPLETIONS = 10;
    private static final double MIN_BUSY_NANOS = 50e6;

    private final double horizonNanos;
    private double completions;
    private double busyNanos;
    private long last;
    private int inFlight;

    LoginRate(java.time.Duration horizon, long now) {
        this.horizonNanos = horizon.toNanos();
        this.last = now;
    }

    void started(long now) {
        advance(now);
        inFlight++;
    }

    void finished(long now) {
        advance(now);
        inFlight--;
        completions++;
    }

    int inFlight() {
        return inFlight;
    }

    /** Checks finished per second of busy time, or NaN while too few have been seen. */
    double perSecond(long now) {
        advance(now);
        if (completions < MIN_COMPLETIONS || busyNanos < MIN_BUSY_NANOS) {
            return Double.NaN;
        }
        return completions / (busyNanos / 1e9);
    }

    /** Milliseconds until `ahead` checks are done at the measured rate; `unknown` before it is measured. */
    long drainMillis(int ahead, long now, long unknown) {
        double rate = perSecond(now);
        return Double.isNaN(rate) ? unknown : (long) Math.ceil(ahead * 1000.0 / rate);
    }

    private void advance(long now) {
        long dt = now - last;
        if (dt <= 0) {
            return;
        }
        double keep = Math.exp(-dt / horizonNanos);
        completions *= keep;
        busyNanos = busyNanos * keep + (inFlight > 0 ? dt : 0);
        last = now;
    }
}
