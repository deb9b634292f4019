package chat.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution in microseconds, 3 significant digits, any range: an HdrHistogram, so
 * p99.9 of millions of samples costs a few kilobytes. Recording is safe from any thread (the
 * generator's two selector threads record into one). It travels between generator processes as
 * base64 text.
 */
public final class Latencies {

    private final ConcurrentHistogram histogram;

    public Latencies() {
        this(new ConcurrentHistogram(3));
    }

    private Latencies(ConcurrentHistogram histogram) {
        this.histogram = histogram;
    }

    /** Records an interval given in nanoseconds; a negative one (clock skew between threads) counts as zero. */
    public void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, nanos / 1_000));
    }

    public void recordMicros(long micros) {
        histogram.recordValue(Math.max(0, micros));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The value at `percentile` (0-100) in milliseconds; NaN when nothing was recorded. */
    public double percentileMillis(double percentile) {
        if (histogram.getTotalCount() == 0) {
            return Double.NaN;
        }
        return histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    public double maxMillis() {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1_000.0;
    }

    public double meanMillis() {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMean() / 1_000.0;
    }

    /** Adds every sample of `other` to this one. */
    public void add(Latencies other) {
        histogram.add(other.histogram);
    }

    public String encode() {
        Histogram copy = new Histogram(3);
        copy.add(histogram);
        ByteBuffer buffer = ByteBuffer.allocate(copy.getNeededByteBufferCapacity());
        int length = copy.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static Latencies decode(String text) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text));
            Histogram h = Histogram.decodeFromCompressedByteBuffer(buffer, 0);
            ConcurrentHistogram c = new ConcurrentHistogram(3);
            c.add(h);
            return new Latencies(c);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an encoded latency histogram: " + e.getMessage(), e);
        }
    }

    /** "p50 0.412 ms, p99 1.20 ms" and so on, for progress lines. */
    public String summary() {
        return "p50 " + Table.millis(percentileMillis(50)) + ", p99 " + Table.millis(percentileMillis(99));
    }
}
