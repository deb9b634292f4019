package chat.bench.net;

/**
 * Splits a byte stream into JSON lines. Complete lines are handed out as slices of the read
 * buffer, with no copy; only a line cut by the end of a read is carried over, so an idle
 * connection keeps no buffer at all (twenty thousand of them must fit in a small heap).
 */
public final class LineReader {

    /** Receives one line without its '\n' (and without a '\r' before it); never an empty line. */
    @FunctionalInterface
    public interface Sink {
        void line(byte[] buf, int off, int len);
    }

    private static final int SHRINK_ABOVE = 64 * 1024;

    private final int maxLine;
    private byte[] carry;
    private int carryLen;

    public LineReader(int maxLine) {
        this.maxLine = maxLine;
    }

    /** Feeds bytes just read. False when a line grew past the limit: the peer is not speaking JSON lines. */
    public boolean feed(byte[] buf, int off, int len, Sink sink) {
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            if (carryLen > 0) {
                append(buf, start, i - start);
                int n = carryLen;
                carryLen = 0; // before the sink runs: it may feed this reader again
                emit(carry, 0, n, sink);
                if (carry.length > SHRINK_ABOVE) {
                    carry = null;
                }
            } else {
                emit(buf, start, i - start, sink);
            }
            start = i + 1;
        }
        if (start < end) {
            append(buf, start, end - start);
        }
        return carryLen <= maxLine;
    }

    /** Bytes of an unfinished line held over to the next read. */
    public int carried() {
        return carryLen;
    }

    private static void emit(byte[] buf, int off, int len, Sink sink) {
        if (len > 0 && buf[off + len - 1] == '\r') {
            len--;
        }
        if (len > 0) {
            sink.line(buf, off, len);
        }
    }

    private void append(byte[] buf, int off, int len) {
        if (carry == null || carry.length < carryLen + len) {
            byte[] bigger = new byte[Math.max(256, Math.max(carryLen + len, carry == null ? 0 : carry.length * 2))];
            if (carryLen > 0) {
                System.arraycopy(carry, 0, bigger, 0, carryLen);
            }
            carry = bigger;
        }
        System.arraycopy(buf, off, carry, carryLen, len);
        carryLen += len;
    }
}
