package chat.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a process to bind a while later (a cluster node's remoting port, named in every
 * node's seed list before any node starts). Taken below the kernel's ephemeral range: a port the
 * kernel picked for "port 0" is free again once closed, and the kernel may hand it to the very next
 * outgoing connection or listener on port 0 (a node's PostgreSQL pool, its chat listener) before
 * the node meant to have it binds it.
 */
public final class ReservedPorts {

    private static final Set<Integer> handedOut = new HashSet<>();

    private ReservedPorts() {
    }

    /** A port free now, below the ephemeral range, not handed out before in this JVM. */
    public static synchronized int next() throws IOException {
        int below = ephemeralStart();
        int from = 20_000;
        int start = from + ThreadLocalRandom.current().nextInt(below - from);
        for (int i = 0; i < below - from; i++) {
            int port = from + (start - from + i) % (below - from);
            if (handedOut.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                handedOut.add(port);
                return port;
            } catch (IOException inUse) {
                // taken: the next one
            }
        }
        throw new IOException("no free port between " + from + " and " + below);
    }

    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(21_000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException notLinux) {
            return 32_768; // Linux's default, and below the IANA dynamic range elsewhere
        }
    }
}
