package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.NodeProcess;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that stops reading while 100,000 messages (about 60 MB) are sent to it, against a node
 * whose heap is capped at 160 MB: the node must close that connection instead of buffering, keep
 * serving the sender, and deliver every message, in order, when the reader comes back.
 */
class SlowReaderTest {

    private static final int MESSAGES = 100_000;
    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dataDir;

    @Test
    void aReaderThatStopsReadingIsDisconnectedAndLosesNothing() throws Exception {
        try (NodeProcess node = NodeProcess.start(dataDir, Map.of(
                "chat.limits.messages-per-second", 1_000_000,
                "chat.limits.max-pending-per-user", 200_000), "-Xmx160m")) {
            WireClient alice = node.connect();
            alice.register("alice", PASSWORD);
            alice.register("slow", PASSWORD);
            alice.login2("alice", PASSWORD);
            alice.expect("replay_done");
            alice.send("add_contact", "username", "slow");
            alice.expect("contacts");

            Socket slow = new Socket();
            slow.setReceiveBufferSize(4096); // and it never reads
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", node.port()));
            slow.getOutputStream().write(("{\"type\":\"login\",\"username\":\"slow\",\"password\":\"" + PASSWORD
                    + "\",\"version\":2}\n").getBytes(StandardCharsets.UTF_8));
            assertThat(alice.expect("user_status").path("status").asText()).isEqualTo("online");

            String filler = "x".repeat(600);
            Thread sender = new Thread(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    alice.send("message", "id", "s" + i, "receiver", "slow", "content", i + " " + filler);
                }
            }, "sender");
            sender.start();
            int acked = 0;
            boolean sawOffline = false;
            while (acked < MESSAGES) {
                JsonNode f = alice.next();
                switch (f.path("type").asText()) {
                    case "message_ack" -> acked++;
                    case "user_status" -> sawOffline |= f.path("status").asText().equals("offline");
                    default -> throw new AssertionError("unexpected " + f + " after " + acked + " acks; node said "
                            + node.output());
                }
            }
            sender.join();
            if (!sawOffline) {
                assertThat(alice.await("user_status").path("status").asText()).isEqualTo("offline");
            }
            assertThat(node.alive()).as("the node survived with its heap capped").isTrue();

            // bystanders chat as usual
            WireClient carol = node.connect();
            carol.register("carol", PASSWORD);
            carol.register("dave", PASSWORD);
            carol.login2("carol", PASSWORD);
            carol.expect("replay_done");
            WireClient dave = node.connect();
            dave.login2("dave", PASSWORD);
            dave.expect("replay_done");
            carol.send("message", "id", "c1", "receiver", "dave", "content", "are you there?");
            assertThat(carol.expect("message_ack").path("id").asText()).isEqualTo("c1");
            assertThat(dave.expect("message").path("content").asText()).isEqualTo("are you there?");

            long backlog = drain(slow.getInputStream());
            assertThat(backlog).as("bytes the node had queued for the closed connection")
                    .isLessThan((long) MESSAGES * filler.length() / 4);

            // back, reading this time: everything is there, in order, once
            WireClient back = node.connect();
            back.login2("slow", PASSWORD);
            for (int i = 0; i < MESSAGES; i++) {
                JsonNode m = back.expect("message");
                assertThat(m.path("id").asText()).isEqualTo("s" + i);
            }
            assertThat(back.expect("replay_done").path("count").asLong()).isEqualTo(MESSAGES);
        }
    }

    /**
     * The same for a client of the seed's protocol, which cannot acknowledge: a message counts as
     * delivered once written to its socket, so what the kernel still held when the node gave up on
     * the connection must come again at the next login. Duplicates are allowed (at least once), gaps not.
     */
    @Test
    void aLevel1ReaderThatStopsReadingGetsEveryMessageAtItsNextLogin() throws Exception {
        int messages = 20_000;
        try (NodeProcess node = NodeProcess.start(dataDir, Map.of(
                "chat.limits.messages-per-second", 1_000_000), "-Xmx160m")) {
            WireClient alice = node.connect();
            alice.register("alice", PASSWORD);
            alice.register("slow", PASSWORD);
            alice.login2("alice", PASSWORD);
            alice.expect("replay_done");
            alice.send("add_contact", "username", "slow");
            alice.expect("contacts");

            Socket slow = new Socket();
            slow.setReceiveBufferSize(4096); // and it stops reading after the login answer
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", node.port()));
            slow.getOutputStream().write(("{\"type\":\"login\",\"username\":\"slow\",\"password\":\"" + PASSWORD
                    + "\"}\n").getBytes(StandardCharsets.UTF_8));
            assertThat(alice.expect("user_status").path("status").asText()).isEqualTo("online");

            String filler = "x".repeat(600);
            Thread sender = new Thread(() -> {
                for (int i = 0; i < messages; i++) {
                    alice.send("message", "id", "s" + i, "receiver", "slow", "content", i + " " + filler);
                }
            }, "sender");
            sender.start();
            for (int acked = 0; acked < messages; ) {
                JsonNode f = alice.next();
                if (f.path("type").asText().equals("message_ack")) {
                    acked++;
                } else if (!f.path("type").asText().equals("user_status") && !f.path("type").asText().equals("receipt")) {
                    throw new AssertionError("unexpected " + f + " after " + acked + " acks; node said " + node.output());
                }
            }
            sender.join();
            java.util.BitSet seen = new java.util.BitSet(messages);
            drainMessages(slow.getInputStream(), seen);

            WireClient back = node.connect();
            back.login1("slow", PASSWORD);
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
            while (seen.cardinality() < messages && java.time.Instant.now().isBefore(deadline)) {
                JsonNode m = back.expect("message");
                seen.set(Integer.parseInt(m.path("content").asText().split(" ", 2)[0]));
            }
            assertThat(seen.cardinality()).as("messages that reached the level 1 client across both connections")
                    .isEqualTo(messages);
        }
    }

    /** Reads what the closed connection still delivers, noting the message numbers in it. */
    private static void drainMessages(InputStream in, java.util.BitSet seen) {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                int at = line.indexOf("\"content\":\"");
                if (line.contains("\"type\":\"message\"") && at >= 0) {
                    int start = at + "\"content\":\"".length();
                    seen.set(Integer.parseInt(line.substring(start, line.indexOf(' ', start))));
                }
            }
        } catch (java.io.IOException reset) {
            // the node aborted the connection
        }
    }

    private static long drain(InputStream in) {
        long n = 0;
        byte[] buf = new byte[65536];
        try {
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
            }
        } catch (java.io.IOException reset) {
            // the node aborted the connection: what it had queued was dropped, not flushed
        }
        return n;
    }
}
