package chat.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One selector on one thread, serving any number of connections: the generator runs two of these
 * instead of a thread per connection, so twenty thousand sessions cost twenty thousand sockets and
 * two threads. Each turn runs handed-over tasks, the tickers (send schedules, ack batches),
 * ready sockets, and then one write per connection that has something queued.
 */
public final class Loop {

    private static final int READ_BUFFER = 64 * 1024;
    private static final int READS_PER_TURN = 4; // then other sockets get their turn

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final List<Conn> toFlush = new ArrayList<>();
    private final List<Runnable> tickers = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);
    private volatile boolean running = true;

    public Loop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs `task` on this loop's thread, soon. A burst of tasks wakes the selector once. */
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Runs `task` on this loop's thread and hands back its result: a safe look at loop-owned state. */
    public <T> CompletableFuture<T> call(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Runs `ticker` every turn (at least every millisecond) until removed. Loop thread only. */
    public void addTicker(Runnable ticker) {
        tickers.add(ticker);
    }

    public void removeTicker(Runnable ticker) {
        tickers.remove(ticker);
    }

    /**
     * Opens a connection to `target` from `source` (null: let the kernel choose). The handler hears
     * connected(conn) or closed(conn, reason), on this loop's thread.
     */
    public void connect(InetSocketAddress target, InetAddress source, Conn.Handler handler) {
        execute(() -> {
            SocketChannel channel;
            try {
                channel = SocketChannel.open();
            } catch (IOException e) { // out of file descriptors: there is no Conn to report
                handler.closed(null, "cannot open a socket: " + e.getMessage());
                return;
            }
            Conn conn = new Conn(this, channel, handler);
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (source != null) {
                    channel.bind(new InetSocketAddress(source, 0));
                }
                boolean done = channel.connect(target);
                conn.key = channel.register(selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, conn);
                if (done) {
                    conn.markConnected();
                    handler.connected(conn);
                }
            } catch (IOException e) {
                conn.fail("cannot connect from " + (source == null ? "any address" : source.getHostAddress())
                        + ": " + e.getMessage());
            }
        });
    }

    /** Serves an accepted connection on this loop. */
    public void adopt(SocketChannel channel, Conn.Handler handler) {
        execute(() -> {
            Conn conn = new Conn(this, channel, handler);
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                conn.key = channel.register(selector, SelectionKey.OP_READ, conn);
                conn.markConnected();
                handler.connected(conn);
            } catch (IOException e) {
                conn.fail("cannot register: " + e.getMessage());
            }
        });
    }

    /** Accepts connections of `server` on this loop and hands each to `onAccept`. */
    public void listen(ServerSocketChannel server, Consumer<SocketChannel> onAccept) {
        execute(() -> {
            try {
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT, onAccept);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen", e);
            }
        });
    }

    /** Stops the thread and closes every connection it serves, without telling their handlers. */
    public void shutdown() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void flushLater(Conn conn) {
        toFlush.add(conn);
    }

    private void run() {
        try {
            while (running) {
                turn();
            }
        } catch (IOException e) {
            System.err.println(thread.getName() + ": selector failed: " + e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // shutting down
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }

    private void turn() throws IOException {
        wakeupPending.set(false); // before draining: a task added after the drain wakes the next select
        Runnable task;
        while ((task = tasks.poll()) != null) {
            guarded(task);
        }
        for (int i = 0; i < tickers.size(); i++) {
            guarded(tickers.get(i));
        }
        flushAll();
        if (tasks.isEmpty()) {
            selector.select(tickers.isEmpty() ? 100 : 1);
        } else {
            selector.selectNow();
        }
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.attachment() instanceof Conn conn) {
                ready(key, conn);
            } else {
                accept(key);
            }
        }
        flushAll();
    }

    private void ready(SelectionKey key, Conn conn) {
        try {
            if (key.isConnectable()) {
                if (!conn.channel.finishConnect()) {
                    return; // not yet: the selector will say when
                }
                key.interestOps(SelectionKey.OP_READ);
                conn.markConnected();
                conn.handler.connected(conn);
            }
            if (key.isValid() && key.isReadable()) {
                read(conn);
            }
            if (key.isValid() && key.isWritable()) {
                conn.flush();
            }
        } catch (IOException e) {
            conn.fail(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (RuntimeException e) {
            e.printStackTrace();
            conn.fail("handler failed: " + e);
        }
    }

    private void read(Conn conn) throws IOException {
        for (int i = 0; i < READS_PER_TURN && conn.isOpen(); i++) {
            readBuffer.clear();
            int n = conn.channel.read(readBuffer);
            if (n < 0) {
                conn.fail("closed by the peer");
                return;
            }
            if (n == 0) {
                return;
            }
            boolean ok = conn.reader.feed(readBuffer.array(), 0, n, conn.lines);
            if (!ok) {
                conn.fail("a line longer than " + Conn.MAX_LINE + " bytes");
                return;
            }
            if (n < READ_BUFFER) {
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void accept(SelectionKey key) {
        ServerSocketChannel server = (ServerSocketChannel) key.channel();
        Consumer<SocketChannel> onAccept = (Consumer<SocketChannel>) key.attachment();
        try {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
                onAccept.accept(channel);
            }
        } catch (IOException e) { // out of file descriptors, typically: the others keep being served
            System.err.println(thread.getName() + ": accept failed: " + e.getMessage());
        }
    }

    private void flushAll() {
        // a flush may fail a connection, whose handler may send on others: index, not iterator
        for (int i = 0; i < toFlush.size(); i++) {
            toFlush.get(i).flush();
        }
        toFlush.clear();
    }

    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }
}
