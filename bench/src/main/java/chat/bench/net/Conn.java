package chat.bench.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One non-blocking TCP connection owned by one {@link Loop}. Everything about it (sending, reading,
 * closing) happens on that loop's thread; other threads hand work over with {@link Loop#execute}.
 * Frames sent during one turn of the loop go out in one write, so a burst of small frames (acks,
 * messages) costs one system call, not one each.
 */
public final class Conn {

    /** What a connection reports, always on its loop's thread. */
    public interface Handler {
        default void connected(Conn conn) {
        }

        /** One line without its '\n'; the bytes are only valid during the call. */
        void line(Conn conn, byte[] buf, int off, int len);

        /**
         * The connection is gone: `reason` is null when this side closed it. `conn` is null when
         * no socket could be opened at all (out of file descriptors).
         */
        default void closed(Conn conn, String reason) {
        }
    }

    /** Longest line a peer may send before the connection is dropped (the node's own limit is 64 KiB). */
    static final int MAX_LINE = 1 << 20;
    private static final int INITIAL_OUT = 512;
    private static final int SHRINK_OUT_ABOVE = 256 * 1024;

    final Loop loop;
    final SocketChannel channel;
    final LineReader reader = new LineReader(MAX_LINE);
    Handler handler;
    SelectionKey key;
    private ByteBuffer out; // write mode: data is [0, position)
    private boolean flushQueued;
    private boolean connected;
    private boolean closed;
    private long bytesOut;
    final LineReader.Sink lines = (buf, off, len) -> {
        if (isOpen()) {
            handler.line(this, buf, off, len);
        }
    };

    Conn(Loop loop, SocketChannel channel, Handler handler) {
        this.loop = loop;
        this.channel = channel;
        this.handler = handler;
    }

    public Loop loop() {
        return loop;
    }

    public boolean isOpen() {
        return !closed;
    }

    public boolean isConnected() {
        return connected && !closed;
    }

    /** Replaces the handler, e.g. when a logged-in user moves from the login phase to a workload. */
    public void handler(Handler handler) {
        this.handler = handler;
    }

    /** Queues bytes (a whole line, '\n' included) for this turn's write. Loop thread only. */
    public void send(byte[] bytes) {
        send(bytes, 0, bytes.length);
    }

    public void send(byte[] bytes, int off, int len) {
        if (closed) {
            return;
        }
        if (out == null) {
            out = ByteBuffer.allocate(Math.max(INITIAL_OUT, len));
        } else if (out.remaining() < len) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + len));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
        out.put(bytes, off, len);
        if (!flushQueued && connected) {
            flushQueued = true;
            loop.flushLater(this);
        }
    }

    /** Bytes queued but not yet accepted by the kernel: a peer that stops reading makes this grow. */
    public int queuedBytes() {
        return out == null ? 0 : out.position();
    }

    public long bytesOut() {
        return bytesOut;
    }

    /** Closes the connection; the handler hears closed(conn, null). Loop thread only. */
    public void close() {
        fail(null);
    }

    void markConnected() {
        connected = true;
        if (queuedBytes() > 0 && !flushQueued) {
            flushQueued = true;
            loop.flushLater(this);
        }
    }

    void flush() {
        flushQueued = false;
        if (closed || out == null || out.position() == 0) {
            return;
        }
        out.flip();
        try {
            bytesOut += channel.write(out);
        } catch (IOException e) {
            out.compact();
            fail("write failed: " + e.getMessage());
            return;
        }
        out.compact();
        if (out.position() == 0 && out.capacity() > SHRINK_OUT_ABOVE) {
            out = null; // a burst is over: do not keep its buffer for the rest of the run
        }
        boolean pending = out != null && out.position() > 0;
        if (key != null && key.isValid()) {
            int ops = key.interestOps();
            int wanted = pending ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
            if (wanted != ops) {
                key.interestOps(wanted);
            }
        }
    }

    void fail(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        out = null;
        handler.closed(this, reason);
    }
}
