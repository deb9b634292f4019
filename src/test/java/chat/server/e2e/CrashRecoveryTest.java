package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.NodeProcess;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node as a separate process: what was acknowledged survives kill -9; SIGTERM stops it cleanly. */
class CrashRecoveryTest {

    private static final String PASSWORD = "correct horse";
    /** The sender here is a burst on purpose: no rate limit in the way. */
    private static final Map<String, Object> UNLIMITED = Map.of("chat.limits.messages-per-second", 100_000);

    @TempDir
    Path dataDir;

    @Test
    void everyAckedMessageSurvivesKillMinus9AndArrivesOnceInOrder() throws Exception {
        Map<Long, String> acked = new LinkedHashMap<>();
        try (NodeProcess node = NodeProcess.start(dataDir, UNLIMITED)) {
            WireClient bob = node.connect();
            assertThat(bob.register("bob", PASSWORD).path("status").asText()).isEqualTo("success");
            bob.close();
            WireClient alice = node.connect();
            alice.register("alice", PASSWORD);
            alice.login2("alice", PASSWORD);
            alice.expect("replay_done");
            for (int i = 0; i < 300; i++) { // pipelined: more are in flight when the node dies
                alice.send("message", "id", "c" + i, "receiver", "bob", "content", "message " + i);
            }
            while (acked.size() < 200) {
                JsonNode ack = alice.expect("message_ack");
                acked.put(ack.path("msg_id").asLong(), ack.path("id").asText());
            }
            node.kill9();
        }

        try (NodeProcess node = NodeProcess.start(dataDir, UNLIMITED)) {
            WireClient bob = node.connect();
            bob.login2("bob", PASSWORD);
            List<Long> ids = new ArrayList<>();
            List<Integer> sentOrder = new ArrayList<>();
            Set<String> clientIds = new HashSet<>();
            JsonNode f;
            while (!(f = bob.next()).path("type").asText().equals("replay_done")) {
                assertThat(f.path("type").asText()).isEqualTo("message");
                ids.add(f.path("msg_id").asLong());
                assertThat(clientIds.add(f.path("id").asText())).as("no message twice").isTrue();
                int n = Integer.parseInt(f.path("id").asText().substring(1));
                assertThat(f.path("content").asText()).isEqualTo("message " + n);
                sentOrder.add(n);
            }
            assertThat(f.path("count").asLong()).isEqualTo(ids.size());
            assertThat(ids).as("in msg_id order").isSorted().doesNotHaveDuplicates();
            assertThat(ids).as("every acknowledged message").containsAll(acked.keySet());
            assertThat(sentOrder).as("in the order alice sent them").isSorted();
        }
    }

    @Test
    void manySendersKilledMidFlightLoseNothingAcknowledged() throws Exception {
        int senders = 4;
        int each = 300;
        List<Map<Long, String>> acked = new ArrayList<>();
        try (NodeProcess node = NodeProcess.start(dataDir, UNLIMITED)) {
            List<WireClient> clients = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                WireClient c = node.connect();
                c.register("to" + s, PASSWORD);
                c.register("from" + s, PASSWORD);
                c.login2("from" + s, PASSWORD);
                c.expect("replay_done");
                clients.add(c);
                acked.add(new LinkedHashMap<>());
            }
            for (int i = 0; i < each; i++) { // interleaved: all senders are mid-flight when the node dies
                for (int s = 0; s < senders; s++) {
                    clients.get(s).send("message", "id", "s" + s + "-" + i, "receiver", "to" + s, "content", "n" + i);
                }
            }
            int total = 0;
            while (total < senders * each / 2) {
                for (int s = 0; s < senders; s++) {
                    JsonNode ack = clients.get(s).expect("message_ack");
                    acked.get(s).put(ack.path("msg_id").asLong(), ack.path("id").asText());
                    total++;
                }
            }
            node.kill9();
        }
        try (NodeProcess node = NodeProcess.start(dataDir, UNLIMITED)) {
            for (int s = 0; s < senders; s++) {
                WireClient r = node.connect();
                r.login2("to" + s, PASSWORD);
                List<Long> ids = new ArrayList<>();
                List<Integer> order = new ArrayList<>();
                JsonNode f;
                while (!(f = r.next()).path("type").asText().equals("replay_done")) {
                    ids.add(f.path("msg_id").asLong());
                    order.add(Integer.parseInt(f.path("content").asText().substring(1)));
                }
                assertThat(ids).as("receiver %d", s).doesNotHaveDuplicates().isSorted().containsAll(acked.get(s).keySet());
                assertThat(order).as("sender %d's order", s).isSorted();
            }
        }
    }

    @Test
    void sigtermShutsDownGracefullyWithStatusZero() throws Exception {
        NodeProcess node = NodeProcess.start(dataDir, Map.of());
        WireClient c = node.connect();
        c.register("carol", PASSWORD);
        c.login2("carol", PASSWORD);
        c.expect("replay_done");
        assertThat(node.terminate()).isZero();
        c.expectClosed();
        assertThat(node.output()).anyMatch(line -> line.contains("stopped"));
    }

    @Test
    void everyAckedGroupMessageReachesEveryMemberOnceAfterKillMinus9MidFanOut() throws Exception {
        Map<Long, String> acked = new LinkedHashMap<>();
        try (NodeProcess node = NodeProcess.start(dataDir, UNLIMITED)) {
            for (String member : List.of("bob", "carol")) {
                WireClient c = node.connect();
                c.register(member, PASSWORD);
                assertThat(c.login3(member, PASSWORD, "pc").path("status").asText()).isEqualTo("success");
                c.await("replay_done");
                if (member.equals("carol")) {
                    c.close(); // carol away, bob online and reading, never acking
                }
            }
            WireClient alice = node.connect();
            alice.register("alice", PASSWORD);
            alice.login3("alice", PASSWORD, "laptop");
            alice.await("replay_done");
            alice.send("create_group", "name", "Crash", "members", List.of("bob", "carol"), "id", "crash");
            String group = alice.await("group").path("group_id").asText();
            for (int i = 0; i < 300; i++) { // pipelined: more are being fanned out when the node dies
                alice.send("message", "group_id", group, "id", "g" + i, "content", "group " + i);
            }
            while (acked.size() < 150) {
                JsonNode ack = alice.await("message_ack");
                acked.put(ack.path("msg_id").asLong(), ack.path("id").asText());
            }
            node.kill9();
        }
        try (NodeProcess node = NodeProcess.start(dataDir, UNLIMITED)) {
            for (String member : List.of("bob", "carol")) {
                WireClient c = node.connect();
                assertThat(c.login3(member, PASSWORD, "pc").path("status").asText()).isEqualTo("success");
                List<Long> ids = new ArrayList<>();
                List<Integer> order = new ArrayList<>();
                JsonNode f;
                while (!(f = c.next()).path("type").asText().equals("replay_done")) {
                    if (f.path("type").asText().equals("message")) {
                        ids.add(f.path("msg_id").asLong());
                        order.add(Integer.parseInt(f.path("id").asText().substring(1)));
                    }
                }
                assertThat(ids).as("%s: once each, in msg_id order, every acked one", member)
                        .doesNotHaveDuplicates().isSorted().containsAll(acked.keySet());
                assertThat(order).as("%s: in the order alice sent them", member).isSorted();
            }
        }
    }

    @Test
    void twoDevicesKilledMidReplayEachGetWhatItHadNotAckedInOrder() throws Exception {
        List<Long> sent = new ArrayList<>();
        List<Set<Long>> ackedBefore = List.of(new HashSet<>(), new HashSet<>());
        List<String> devices = List.of("laptop", "desk");
        try (NodeProcess node = NodeProcess.start(dataDir, UNLIMITED)) {
            WireClient reg = node.connect();
            reg.register("alice", PASSWORD);
            for (String device : devices) { // both known to the node, then away
                WireClient c = node.connect();
                c.login3("alice", PASSWORD, device);
                c.await("replay_done");
                c.close();
            }
            WireClient bob = node.connect();
            bob.register("bob", PASSWORD);
            bob.login2("bob", PASSWORD);
            bob.expect("replay_done");
            for (int i = 0; i < 400; i++) {
                bob.send("message", "id", "b" + i, "receiver", "alice", "content", "n" + i);
            }
            while (sent.size() < 400) {
                sent.add(bob.await("message_ack").path("msg_id").asLong());
            }
            List<WireClient> online = new ArrayList<>();
            for (String device : devices) {
                WireClient c = node.connect();
                c.login3("alice", PASSWORD, device);
                online.add(c);
            }
            for (int d = 0; d < 2; d++) { // each device reads and acks part of its replay: the laptop more than the desk
                int take = d == 0 ? 250 : 100;
                while (ackedBefore.get(d).size() < take) {
                    JsonNode f = online.get(d).await("message");
                    online.get(d).send("ack", "msg_ids", List.of(f.path("msg_id").asLong()));
                    ackedBefore.get(d).add(f.path("msg_id").asLong());
                }
            }
            node.kill9();
        }
        try (NodeProcess node = NodeProcess.start(dataDir, UNLIMITED)) {
            for (int d = 0; d < 2; d++) {
                WireClient c = node.connect();
                assertThat(c.login3("alice", PASSWORD, devices.get(d)).path("status").asText()).isEqualTo("success");
                List<Long> ids = new ArrayList<>();
                JsonNode f;
                while (!(f = c.next()).path("type").asText().equals("replay_done")) {
                    if (f.path("type").asText().equals("message")) {
                        ids.add(f.path("msg_id").asLong());
                    }
                }
                List<Long> notAcked = new ArrayList<>(sent);
                notAcked.removeAll(ackedBefore.get(d));
                assertThat(ids).as("%s: in order, once each", devices.get(d)).isSorted().doesNotHaveDuplicates();
                assertThat(ids).as("%s: everything it had not acked", devices.get(d)).containsAll(notAcked);
            }
        }
    }
}
