package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ops.Metrics;
import chat.server.testing.TestNode;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A real node on a free port shared by a test class; each test makes its own users. */
abstract class EndToEnd {

    static final String PASSWORD = "correct horse";
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    static Path dataDir;
    static TestNode node;

    private final List<WireClient> clients = new ArrayList<>();

    static void startNode(Map<String, Object> settings) {
        node = TestNode.start(dataDir, settings);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WireClient::close);
    }

    /** A unique username for this run. */
    static String name(String base) {
        return base + SEQ.incrementAndGet();
    }

    WireClient connect() {
        WireClient c = node.connect();
        clients.add(c);
        return c;
    }

    /** Registers `user` and logs it in at level 2; the client has read everything up to replay_done. */
    WireClient online(String user) {
        WireClient c = connect();
        assertThat(c.register(user, PASSWORD).path("status").asText()).isEqualTo("success");
        return login(c, user);
    }

    WireClient login(WireClient c, String user) {
        c.login2(user, PASSWORD);
        c.await("replay_done");
        return c;
    }

    /** Logs an existing user in at level 3 from `device` on a new connection, reading through replay_done. */
    WireClient device(String user, String device) {
        WireClient c = connect();
        assertThat(c.login3(user, PASSWORD, device).path("status").asText()).isEqualTo("success");
        c.await("replay_done");
        return c;
    }

    /** Registers `user` and logs it in at level 3 from `device`. */
    WireClient onlineOn(String user, String device) {
        WireClient c = connect();
        assertThat(c.register(user, PASSWORD).path("status").asText()).isEqualTo("success");
        c.close();
        return device(user, device);
    }

    /** Logs an existing user in on a new level 2 connection, reading (and skipping) through replay_done. */
    WireClient relogin(String user) {
        return login(connect(), user);
    }

    /** Polls `condition` (a fact the node reports) until it holds; fails after `WireClient.WAIT` × 3. */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 3 * WireClient.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The node's count of logins its accounts actor has taken in. */
    static long loginsReceived() {
        return Metrics.get(node.node().system()).loginsReceived.sum();
    }

    static long msgId(JsonNode frame) {
        return frame.path("msg_id").asLong();
    }

    /** Waits until no session of `device` of `user` is left on the node (asked from a device of its own). */
    void awaitGone(String user, String device) {
        WireClient asker = device(user, "asker-" + device);
        awaitOffline(asker, device);
        asker.close();
    }

    /** Waits until `device` of this connection's user is offline (its session has ended on the node). */
    static void awaitOffline(WireClient other, String device) {
        until(device + " offline", () -> {
            other.send("devices");
            JsonNode list = other.await("devices_response").path("devices");
            for (JsonNode d : list) {
                if (d.path("device").asText().equals(device)) {
                    return !d.path("online").asBoolean();
                }
            }
            return true;
        });
    }
}
