package chat.client;

import chat.protocol.ClientFrame;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The client's current connection, seen from the client's thread: opened through the
 * {@link Connector}, written to, closed; its lines and its end are handed to the client's thread,
 * and those of a connection already replaced or closed are dropped. Used on the client's thread only.
 */
final class Link {

    private final String host;
    private final int port;
    private final Connector connector;
    private final Executor thread;
    private final LongSupplier clock;
    private final Consumer<String> onLine;
    private final BiConsumer<ConnectionState.Cause, String> onClosed;
    private Connection current;
    private long lastInbound;

    /** `onLine` and `onClosed` (the current connection ended by itself, not by {@link #close}) run on `thread`. */
    Link(String host, int port, Connector connector, Executor thread, LongSupplier clock,
            Consumer<String> onLine, BiConsumer<ConnectionState.Cause, String> onClosed) {
        this.host = host;
        this.port = port;
        this.connector = connector;
        this.thread = thread;
        this.clock = clock;
        this.onLine = onLine;
        this.onClosed = onClosed;
    }

    boolean isOpen() {
        return current != null;
    }

    /** Opens a connection unless one is open (blocking: this runs on the client's thread). */
    void open() throws IOException {
        if (current != null) {
            return;
        }
        current = connector.open(host, port, new Connection.Listener() {
            @Override
            public void onLine(Connection from, String line) {
                post(() -> {
                    if (from == current) {
                        lastInbound = clock.getAsLong();
                        Link.this.onLine.accept(line);
                    }
                });
            }

            @Override
            public void onClosed(Connection from, ConnectionState.Cause cause, String reason) {
                post(() -> {
                    if (from == current) {
                        current = null;
                        Link.this.onClosed.accept(cause, reason);
                    }
                });
            }
        });
        lastInbound = clock.getAsLong();
    }

    /** Writes a frame if a connection is open; a failed write closes it, and its end is reported. */
    void write(ClientFrame frame) {
        if (current == null) {
            return;
        }
        try {
            current.send(frame);
        } catch (IOException e) {
            current.close(); // the reader notices and reports the loss
        }
    }

    /** Closes the current connection; its end is not reported (the caller knows). */
    void close() {
        Connection c = current;
        current = null;
        if (c != null) {
            c.close();
        }
    }

    /** Closes a connection that has been silent for `limitMillis`: it is dead, and its end is reported. */
    void closeIfSilentFor(long limitMillis) {
        if (current != null && clock.getAsLong() - lastInbound > limitMillis) {
            current.close();
        }
    }

    /** From a reader thread: after the client was closed there is no thread left to care. */
    private void post(Runnable event) {
        try {
            thread.execute(event);
        } catch (RejectedExecutionException closed) {
            // the client was closed: nothing listens any more
        }
    }
}
