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
