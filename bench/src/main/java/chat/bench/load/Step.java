package chat.bench.load;

import chat.bench.Latencies;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one step of a throughput run (one target rate for one duration). Messages carry
 * their step in their content, so a late delivery still counts for the step that sent it.
 */
final class Step {

    final int index;
    final String label;
    final double rate;
    final double seconds;

    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder misrouted = new LongAdder();
    final LongAdder receipts = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Latencies latency = new Latencies();
    final AtomicLong lastReceiveNanos = new AtomicLong();

    /** Filled in when the step is over. */
    long lost;
    long unacked;
    long startNanos;
    long genCpuNanos = -1;
    long nodeCpuNanos = -1;

    Step(int index, String label, double rate, double seconds) {
        this.index = index;
        this.label = label;
        this.rate = rate;
        this.seconds = seconds;
    }

    void error(String code) {
        errors.computeIfAbsent(code == null ? "?" : code, k -> new LongAdder()).increment();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errorsByCode() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    void receivedAt(long nanos) {
        lastReceiveNanos.accumulateAndGet(nanos, Math::max);
    }

    /** Messages per second actually sent over the step's duration. */
    double achievedRate() {
        return sent.sum() / seconds;
    }

    /** Messages per second received, from the step's start to its last delivery. */
    double receiveRate() {
        long last = lastReceiveNanos.get();
        return last <= startNanos ? 0 : received.sum() / ((last - startNanos) / 1e9);
    }
}
