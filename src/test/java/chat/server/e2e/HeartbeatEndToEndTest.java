package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pings and dead-peer detection, with the heartbeat shortened from 15 s / 45 s to keep the test quick. */
class HeartbeatEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.heartbeat.interval", "200ms", "chat.heartbeat.timeout", "1s"));
    }

    @Test
    void aLevelTwoClientThatStopsAnsweringIsTakenOfflineAndOneThatAnswersStays() {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        WireClient watcher = online(alice).autoPong();
        connect().register(bob, PASSWORD);
        connect().register(carol, PASSWORD);
        watcher.send("add_contact", "username", bob);
        watcher.expect("contacts");
        watcher.send("add_contact", "username", carol);
        watcher.expect("contacts");

        WireClient silent = relogin(bob);
        WireClient lively = relogin(carol).keepPings().autoPong();
        watcher.await("user_status");
        watcher.await("user_status");
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int pings = 0;
        while (System.nanoTime() < deadline) { // carol answers every ping, bob never does
            JsonNode ping = lively.next();
            assertThat(ping.path("type").asText()).as("%s", ping).isEqualTo("ping");
            pings++;
        }
        assertThat(pings).isGreaterThanOrEqualTo(5);
        JsonNode gone = watcher.await("user_status");
        assertThat(gone.path("username").asText()).isEqualTo(bob);
        assertThat(gone.path("status").asText()).isEqualTo("offline");
        silent.expectClosed();
        watcher.expectNothing(Duration.ofMillis(300)); // carol is still online
    }

    @Test
    void aLevelOneClientIsPingedButNotExpectedToAnswer() {
        String user = name("seed");
        WireClient c = connect().keepPings();
        c.register(user, PASSWORD);
        c.send("login", "username", user, "password", PASSWORD);
        c.expect("login_response");
        for (int i = 0; i < 8; i++) { // 1.6 s of pings, past the 1 s timeout: still connected
            assertThat(c.expect("ping").size()).isEqualTo(1);
        }
    }
}
