package chat.server.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's numbers, in Prometheus' text format at /metrics: counters and histograms updated from
 * the hot path (LongAdders: no locks, no allocation), gauges read when scraped. One per actor system.
 */
public final class Metrics implements Extension {

    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder framesOut = new LongAdder();
    public final LongAdder messagesAccepted = new LongAdder();
    public final LongAdder messagesDelivered = new LongAdder();
    public final LongAdder commitsFailed = new LongAdder();
    /** Logins the Accounts actor has taken in (checked, refused or shed), in the order it took them. */
    public final LongAdder loginsReceived = new LongAdder();
    public final LongAdder loginsShed = new LongAdder();
    public final Histogram commitBatch = new Histogram(new double[] {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000});
    public final Histogram commitSeconds = new Histogram(new double[] {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1});
    public final Histogram deliverySeconds = new Histogram(new double[] {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 60, 3600});
    private final Map<String, LongSupplier> gauges = new LinkedHashMap<>();
    private volatile BooleanSupplier storeReachable = () -> false;

    public static final ExtensionId<Metrics> ID = new ExtensionId<>() {
        @Override
        public Metrics createExtension(ActorSystem<?> system) {
            return new Metrics();
        }
    };

    public static Metrics get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public synchronized void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    /**
     * A gauge whose reading costs a query: read at most once per `maxAge`, the last value kept
     * meanwhile and when a reading fails (a scrape must not hammer, nor wait on, a busy store).
     */
    public static LongSupplier cached(Duration maxAge, LongSupplier read) {
        return new LongSupplier() {
            private long value;
            private long readAt = Long.MIN_VALUE;

            @Override
            public synchronized long getAsLong() {
                long now = System.nanoTime();
                if (readAt == Long.MIN_VALUE || now - readAt >= maxAge.toNanos()) {
                    readAt = now;
                    try {
                        value = read.getAsLong();
                    } catch (RuntimeException e) {
                        // keep the last value: /ready reports the store's health, not this gauge
                    }
                }
                return value;
            }
        };
    }

    /** What /ready asks of the store (set by the node once its store is open). */
    public void storeCheck(BooleanSupplier check) {
        storeReachable = check;
    }

    boolean storeReachable() {
        return storeReachable.getAsBoolean();
    }

    public String render() {
        StringBuilder out = new StringBuilder(2048);
        counter(out, "chat_connections_accepted_total", "TCP connections accepted", connectionsAccepted);
        counter(out, "chat_frames_in_total", "frames received from clients", framesIn);
        counter(out, "chat_frames_out_total", "frames queued for clients", framesOut);
        counter(out, "chat_messages_accepted_total", "messages committed to the store (acks sent)", messagesAccepted);
        counter(out, "chat_messages_delivered_total", "messages marked delivered", messagesDelivered);
        counter(out, "chat_commits_failed_total", "group commits that failed (their senders got store_unavailable)", commitsFailed);
        counter(out, "chat_logins_received_total", "logins taken in by the accounts actor", loginsReceived);
        counter(out, "chat_logins_shed_total", "logins answered rate_limited with retry_after_ms for load", loginsShed);
        synchronized (this) {
            gauges.forEach((name, value) -> {
                out.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ')
                        .append(value.getAsLong()).append('\n');
            });
        }
        commitBatch.render(out, "chat_commit_batch_size", "writes per group commit");
        commitSeconds.render(out, "chat_commit_seconds", "time of one group commit");
        deliverySeconds.render(out, "chat_delivery_seconds", "from acceptance to the receiver's ack");
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, LongAdder value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value.sum()).append('\n');
    }

    /** A fixed-bucket histogram, cumulative on output as Prometheus expects. */
    public static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        public void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(value);
        }

        void render(StringBuilder out, String name, String help) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                    .append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{le=\"").append(format(bounds[i])).append("\"} ").append(cumulative).append('\n');
            }
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n')
                    .append(name).append("_sum ").append(format(sum.sum())).append('\n')
                    .append(name).append("_count ").append(count.sum()).append('\n');
        }

        private static String format(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
        }
    }
}
