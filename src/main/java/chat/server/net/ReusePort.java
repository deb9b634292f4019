package chat.server.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import org.apache.pekko.io.Inet;

/**
 * SO_REUSEPORT on a listening socket, which Pekko's options do not have: several listeners on one
 * port, the kernel spreading new connections over their accept queues.
 */
final class ReusePort extends Inet.AbstractSocketOption {

    static final ReusePort ON = new ReusePort();

    private ReusePort() {
    }

    /** Whether this platform lets listening sockets share a port. */
    static boolean supported() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The port `host:port` resolves to (a free one for 0), checked free by binding it without
     * SO_REUSEPORT: sockets that all set it may share a port, so without this check a second node
     * started on the same port would silently take half of the first one's connections.
     */
    static int claim(String host, int port) {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(host, port));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("[" + host + ":" + port + "] " + e.getMessage(), e);
        }
    }

    @Override
    public void beforeServerSocketBind(ServerSocket socket) {
        try {
            socket.getChannel().setOption(StandardSocketOptions.SO_REUSEPORT, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
