package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.testing.TestNode;
import chat.server.testing.WireClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions live exactly as long as their connections: none is left behind a closed socket. */
class ConnectionLifecycleEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.limits.connections-per-address", 40, "chat.server.acceptors", 4));
    }

    private static void awaitSessions(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + WireClient.WAIT.toNanos();
        while (node.node().sessionCount() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling a condition, with a deadline
        }
        assertThat(node.node().sessionCount()).isEqualTo(expected);
    }

    @Test
    void sessionsGoToZeroWhenTheirConnectionsCloseHoweverTheyClose() throws Exception {
        awaitSessions(0);
        List<WireClient> clients = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            clients.add(i % 3 == 0 ? connect() : online(name("life")));
        }
        awaitSessions(30);
        for (int i = 0; i < clients.size(); i++) {
            WireClient c = clients.get(i);
            switch (i % 3) {
                case 0 -> c.close();                    // never logged in
                case 1 -> c.send("logout");             // logged out
                default -> c.shutdownOutput();          // half-closed by the peer
            }
        }
        awaitSessions(0);
    }

    @Test
    void everyAcceptorOnThePortServesItsConnectionsAndASecondNodeCannotTakeThePort(@TempDir Path other) throws Exception {
        awaitSessions(0);
        List<WireClient> clients = new ArrayList<>();
        for (int i = 0; i < 32; i++) { // the kernel spreads them over the 4 listening sockets
            WireClient c = connect();
            assertThat(c.register(name("acc"), PASSWORD).path("status").asText()).isEqualTo("success");
            clients.add(c);
        }
        clients.forEach(WireClient::close);
        assertThatThrownBy(() -> TestNode.start(other, Map.of("chat.server.port", node.port())).close())
                .as("sockets that share a port let any other sharer in: the port is checked free first")
                .hasStackTraceContaining("Address already in use");
        WireClient still = connect();
        assertThat(still.register(name("still"), PASSWORD).path("status").asText()).isEqualTo("success");
        still.close();
        awaitSessions(0);
    }

    @Test
    void connectionsPastThePerAddressLimitAreRefusedWithAReason() throws Exception {
        awaitSessions(0);
        List<WireClient> held = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            held.add(connect());
        }
        awaitSessions(40);
        WireClient extra = connect();
        assertThat(extra.expect("error").path("code").asText()).isEqualTo("rate_limited");
        extra.expectClosed();
        held.forEach(WireClient::close);
        awaitSessions(0);
        connect().register(name("after"), PASSWORD);
    }
}
