package chat.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import chat.bench.Common;
import chat.bench.Progress;
import chat.bench.net.Fields;
import chat.bench.net.Sources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The generator's level 1 dialect (`--target level1`) end to end, against a level 1 peer of the
 * bench's own that answers the way an old level 1 server does: thread per client, level 1, json.dumps spacing, no id forwarded, the `sender`
 * taken from the frame, user_status broadcasts (one sent ahead of the login answer, as the old server's
 * race allows) and pings that want no pong.
 */
class Level1TrafficTest {

    @Test
    void everyMessageSentArrivesOnceWithItsIdReadFromTheContent() throws IOException {
        try (Level1Peer peer = new Level1Peer()) {
            Common common = new Common("127.0.0.1", peer.port(), Sources.loopback(1), 1, "t2", Common.PASSWORD);
            for (int run = 0; run < 2; run++) { // the second time every register answers "already exists"
                try (Traffic traffic = new Traffic(common, 2, 64, Target.LEVEL1, new Progress("test "))) {
                    Step step = traffic.run("run", 200, 0.5, 10, new Progress("test "), null);
                    assertThat(step.sent.sum()).isEqualTo(100);
                    assertThat(step.received.sum()).isEqualTo(100);
                    assertThat(step.lost).isZero();
                    assertThat(step.duplicates.sum()).isZero();
                    assertThat(step.misrouted.sum()).isZero();
                    assertThat(step.errorCount()).isZero();
                    assertThat(step.latency.count()).isEqualTo(100);
                    assertThat(traffic.disconnects()).isZero();
                }
            }
            assertThat(peer.forwarded.get()).isEqualTo(200);
            assertThat(peer.unexpected).isEmpty(); // no pong, no version, every message names its sender
        }
    }

    /** Just enough of the old server's server: its frames, spelled as json.dumps spells them. */
    private static final class Level1Peer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Set<String> users = ConcurrentHashMap.newKeySet();
        final Map<String, OutputStream> online = new ConcurrentHashMap<>();
        final Set<String> unexpected = ConcurrentHashMap.newKeySet();
        final AtomicInteger forwarded = new AtomicInteger();

        Level1Peer() throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        Thread t = new Thread(() -> serve(s), "level1-peer-client");
                        t.setDaemon(true);
                        t.start();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "level1-peer");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket socket) {
            String me = null;
            OutputStream out = null;
            try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8))) {
                out = socket.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    String type = Fields.string(line, "type");
                    String name = Fields.string(line, "username");
                    if (line.contains("\"version\"")) {
                        unexpected.add("level 2 field: " + line);
                    }
                    switch (type) {
                        case "register" -> write(out, users.add(name)
                                ? "{\"type\": \"register_response\", \"status\": \"success\"}"
                                : "{\"type\": \"register_response\", \"status\": \"error\","
                                + " \"message\": \"Usu\\u00e1rio j\\u00e1 existe\"}");
                        case "login" -> {
                            me = name;
                            online.put(name, out);
                            // another login's broadcast overtaking this one's answer, then a ping
                            write(out, "{\"type\": \"user_status\", \"username\": \"someone\", \"status\": \"online\"}");
                            write(out, "{\"type\": \"ping\"}");
                            write(out, "{\"type\": \"login_response\", \"status\": \"success\", \"username\": \""
                                    + name + "\"}");
                            for (Map.Entry<String, OutputStream> e : online.entrySet()) {
                                if (!e.getKey().equals(name)) {
                                    write(e.getValue(), "{\"type\": \"user_status\", \"username\": \"" + name
                                            + "\", \"status\": \"online\"}");
                                }
                            }
                        }
                        case "message" -> {
                            String sender = Fields.string(line, "sender");
                            if (!me.equals(sender)) {
                                unexpected.add("sender " + sender + " on " + me + "'s connection");
                            }
                            OutputStream to = online.get(Fields.string(line, "receiver"));
                            write(to, "{\"type\": \"message\", \"sender\": \"" + sender + "\", \"content\": \""
                                    + Fields.string(line, "content") + "\", \"timestamp\": \"2026-11-25 17:45:27\"}");
                            forwarded.incrementAndGet();
                        }
                        default -> unexpected.add(type);
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the client closed
            } finally {
                if (me != null) {
                    // only this connection's entry: the same user's login of the next run may be in already
                    online.remove(me, out);
                }
            }
        }

        private static void write(OutputStream out, String line) throws IOException {
            synchronized (out) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
