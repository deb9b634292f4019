package chat.bench.relay;

import chat.bench.net.Conn;
import chat.bench.net.Fields;
import chat.bench.net.Loop;
import chat.bench.net.Net;
import chat.protocol.FrameCodec;
import chat.protocol.ServerFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floor to compare the node with: a bare JSON-lines relay on the generator's own java.nio
 * loops. It finds `type` and `receiver` with a string scan (no JSON tree), forwards a message line
 * unchanged to the receiver's connection, and answers register and login with success at once: no
 * store, no passwords, no acks, no ids. Whatever the node does beyond this is what its features cost.
 */
public final class RelayServer implements AutoCloseable {

    private static final byte[] TYPE = Fields.key("type");
    private static final byte[] RECEIVER = Fields.key("receiver");
    private static final byte[] USERNAME = Fields.key("username");
    private static final byte[] REGISTERED = FrameCodec.encode(ServerFrame.RegisterResponse.success());
    private static final byte[] REPLAY_DONE = FrameCodec.encode(new ServerFrame.ReplayDone(0));
    private static final byte[] PONG = FrameCodec.encode(new ServerFrame.Pong());

    private final ServerSocketChannel server;
    private final Net net;
    private final Map<String, Conn> users = new ConcurrentHashMap<>();
    private final LongAdder relayed = new LongAdder();
    private final LongAdder unrouted = new LongAdder();
    private final LongAdder connections = new LongAdder();

    private RelayServer(ServerSocketChannel server, Net net) {
        this.server = server;
        this.net = net;
    }

    /** Listens on host:port (0: any free port) with `threads` selector threads. */
    public static RelayServer start(String host, int port, int threads) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(host, port), 4096);
            Net net = new Net(threads, "relay");
            RelayServer relay = new RelayServer(server, net);
            net.loops().get(0).listen(server, channel -> {
                relay.connections.increment();
                net.next().adopt(channel, relay.new Connection());
            });
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    public long relayed() {
        return relayed.sum();
    }

    /** Messages whose receiver was not connected: dropped, as a relay without a store must. */
    public long unrouted() {
        return unrouted.sum();
    }

    public int online() {
        return users.size();
    }

    public long connectionsAccepted() {
        return connections.sum();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        net.close();
    }

    /** What the relay needs to route: the `type` of a line, and `receiver` of a message. Visible for tests. */
    static String type(byte[] buf, int off, int len) {
        return Fields.string(buf, off, len, TYPE);
    }

    static String receiver(byte[] buf, int off, int len) {
        return Fields.string(buf, off, len, RECEIVER);
    }

    private final class Connection implements Conn.Handler {
        private String user;

        @Override
        public void line(Conn conn, byte[] buf, int off, int len) {
            String type = type(buf, off, len);
            if (type == null) {
                return;
            }
            switch (type) {
                case "message" -> forward(buf, off, len);
                case "login" -> {
                    String name = Fields.string(buf, off, len, USERNAME);
                    if (name == null) {
                        return;
                    }
                    user = name;
                    users.put(name, conn); // a second login takes the name over, as on the node
                    conn.send(FrameCodec.encode(ServerFrame.LoginResponse.success(name, null)));
                    conn.send(REPLAY_DONE);
                }
                case "register" -> conn.send(REGISTERED);
                case "ping" -> conn.send(PONG);
                default -> {
                    // acks, typing, pongs: nothing to relay
                }
            }
        }

        private void forward(byte[] buf, int off, int len) {
            String to = receiver(buf, off, len);
            Conn target = to == null ? null : users.get(to);
            if (target == null) {
                unrouted.increment();
                return;
            }
            byte[] line = new byte[len + 1];
            System.arraycopy(buf, off, line, 0, len);
            line[len] = '\n';
            relayed.increment();
            Loop loop = target.loop();
            if (loop.inLoop()) {
                target.send(line);
            } else {
                loop.execute(() -> target.send(line));
            }
        }

        @Override
        public void closed(Conn conn, String reason) {
            if (user != null) {
                users.remove(user, conn);
            }
        }
    }
}
