package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot be written: senders hear so, nobody gets a false ack, and the node recovers. */
class StoreFaultEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.store.busy-timeout", "300ms"));
    }

    @Test
    void aLockedDatabaseRefusesMessagesUntilItIsFreeAgain() throws Exception {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        try (Connection intruder = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("chat.db"))) {
            try (Statement st = intruder.createStatement()) {
                st.execute("BEGIN EXCLUSIVE"); // another process holds the write lock
                a.send("message", "id", "blocked", "receiver", bob, "content", "will this be stored?");
                JsonNode refused = a.expect("message_error");
                assertThat(refused.path("code").asText()).isEqualTo("store_unavailable");
                assertThat(refused.path("id").asText()).isEqualTo("blocked");
                st.execute("ROLLBACK");
            }
        }
        b.expectNothing(java.time.Duration.ofMillis(300));
        a.send("message", "id", "blocked", "receiver", bob, "content", "will this be stored?"); // the client's retry
        assertThat(a.expect("message_ack").path("id").asText()).isEqualTo("blocked");
        assertThat(b.expect("message").path("content").asText()).isEqualTo("will this be stored?");
        b.send("history", "peer", alice);
        assertThat(b.expect("history_response").path("messages")).hasSize(1);
    }

    @Test
    void aNodeThatCannotOpenItsStoreSaysWhyAndExitsNonZero(@TempDir Path dir) throws Exception {
        Path notADirectory = dir.resolve("occupied");
        Files.writeString(notADirectory, "a file where the data directory should be");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "chat.server.Main", "--port", "0",
                "--data-dir", notADirectory.toString()).redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isNotZero();
        assertThat(output).contains("cannot start").contains(notADirectory.toString());
    }

}
