package chat.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * When to try again after the connection is lost or the server refuses the login: a full-jitter
 * delay that grows with every failed attempt, and never sooner than a busy server asked
 * (`retry_after_ms`). Used on the client's thread only.
 */
final class Reconnect {

    private final ScheduledExecutorService thread;
    private final Backoff backoff;
    private final LongSupplier clock;
    private final Runnable tryAgain;
    private int failures; // attempts that failed since the last successful login
    private ScheduledFuture<?> next;

    Reconnect(ScheduledExecutorService thread, Backoff backoff, LongSupplier clock, Runnable tryAgain) {
        this.thread = thread;
        this.backoff = backoff;
        this.clock = clock;
        this.tryAgain = tryAgain;
    }

    /** Schedules the next attempt, at least `retryAfterMillis` from now (0: as the backoff says); returns the state to show. */
    ConnectionState.Reconnecting schedule(ConnectionState.Cause cause, String reason, long retryAfterMillis) {
        cancel();
        long delay = retryAfterMillis > 0 ? backoff.delayMillis(failures, retryAfterMillis) : backoff.delayMillis(failures);
        failures++;
        next = thread.schedule(this::due, delay, TimeUnit.MILLISECONDS);
        return new ConnectionState.Reconnecting(clock.getAsLong() + delay, failures, cause, reason);
    }

    /** Logged in again: the next loss starts from the shortest delay. */
    void succeeded() {
        failures = 0;
    }

    void cancel() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private void due() {
        next = null;
        tryAgain.run();
    }
}
