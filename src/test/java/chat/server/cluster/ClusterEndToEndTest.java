package chat.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.NodeProcess;
import chat.server.testing.Postgres;
import chat.server.testing.ReservedPorts;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes on loopback sharing one PostgreSQL: users on different nodes chat, get receipts, see
 * typing and presence; a node is killed with kill -9, its users move to another node and get what
 * was acknowledged while it went down, once; the node comes back and rejoins.
 */
class ClusterEndToEndTest {

    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;

    private final List<NodeProcess> nodes = new ArrayList<>(List.of());
    private final List<WireClient> clients = new ArrayList<>();
    private int[] remoting;
    private String url;

    @AfterEach
    void stop() throws Exception {
        clients.forEach(WireClient::close);
        for (NodeProcess n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }

    private NodeProcess start(int i) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("chat.store.kind", "postgres");
        settings.put("chat.store.postgres.url", url);
        settings.put("chat.store.postgres.user", "postgres");
        settings.put("chat.store.partitions", 6);
        settings.put("chat.limits.messages-per-second", 10_000);
        settings.put("pekko.remote.artery.canonical.port", remoting[i]);
        for (int s = 0; s < 3; s++) {
            settings.put("pekko.cluster.seed-nodes." + s, "pekko://chat@127.0.0.1:" + remoting[s]);
        }
        settings.put("pekko.cluster.split-brain-resolver.stable-after", "3s");
        settings.put("pekko.cluster.down-removal-margin", "1s");
        settings.put("chat.presence.roster-resync", "2s");
        return NodeProcess.start(dir.resolve("node" + i), settings);
    }

    private WireClient connect(NodeProcess node) {
        WireClient c = node.connect().autoPong();
        clients.add(c);
        return c;
    }

    private WireClient online(NodeProcess node, String user) {
        WireClient c = connect(node);
        c.login2(user, PASSWORD);
        c.await("replay_done");
        return c;
    }

    @Test
    void usersOnDifferentNodesChatAndSurviveANodeDying() throws Exception {
        url = Postgres.newDatabase();
        remoting = new int[] {ReservedPorts.next(), ReservedPorts.next(), ReservedPorts.next()};
        nodes.add(start(0));
        nodes.add(start(1));
        nodes.add(start(2));

        WireClient setup = connect(nodes.get(0));
        for (String u : List.of("alice", "bob", "carol")) {
            assertThat(setup.register(u, PASSWORD).path("status").asText()).isEqualTo("success");
        }
        WireClient alice = online(nodes.get(0), "alice");
        alice.send("add_contact", "username", "bob");
        alice.await("contacts");
        alice.send("add_contact", "username", "carol");
        alice.await("contacts");

        // presence crosses nodes: bob logs in on node 2, carol on node 3
        WireClient bob = online(nodes.get(1), "bob");
        assertThat(alice.await("user_status").path("username").asText()).isIn("bob");
        WireClient carol = online(nodes.get(2), "carol");
        JsonNode carolOnline = alice.await("user_status");
        assertThat(carolOnline.path("username").asText()).isEqualTo("carol");
        assertThat(carolOnline.path("status").asText()).isEqualTo("online");

        // a message, its delivery and read receipts, typing: node 1 <-> node 2
        alice.send("message", "id", "a1", "receiver", "bob", "content", "hello from node 1");
        long a1 = alice.await("message_ack").path("msg_id").asLong();
        JsonNode got = bob.await("message");
        assertThat(got.path("content").asText()).isEqualTo("hello from node 1");
        assertThat(got.path("sender").asText()).isEqualTo("alice");
        bob.send("ack", "msg_ids", List.of(a1));
        assertThat(alice.await("receipt").path("status").asText()).isEqualTo("delivered");
        bob.send("read", "peer", "alice", "up_to", a1);
        JsonNode read = alice.await("receipt");
        assertThat(read.path("status").asText()).isEqualTo("read");
        bob.send("typing", "recipient", "alice");
        assertThat(alice.await("typing_notification").path("from").asText()).isEqualTo("bob");

        // the user list is cluster-wide: carol (node 3) sees alice and bob online (within a resync)
        Map<String, String> status = new HashMap<>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!(status.containsValue("offline") == false && status.size() == 3) && System.nanoTime() < deadline) {
            carol.send("get_users");
            status.clear();
            carol.await("user_list").path("users").forEach(u -> status.put(u.path("username").asText(),
                    u.path("status").asText()));
            if (status.containsValue("offline")) {
                Thread.sleep(200); // polling the condition, with a deadline
            }
        }
        assertThat(status).containsEntry("alice", "online").containsEntry("bob", "online").containsEntry("carol", "online");

        // node 3 dies with carol on it; alice keeps writing to her
        nodes.get(2).kill9();
        Map<Long, String> acked = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            alice.send("message", "id", "c" + i, "receiver", "carol", "content", "while node 3 is gone " + i);
        }
        while (acked.size() < 20) {
            JsonNode f = alice.next(java.time.Duration.ofSeconds(60));
            if (f.path("type").asText().equals("message_ack")) {
                acked.put(f.path("msg_id").asLong(), f.path("id").asText());
            }
        }
        // carol reconnects to node 1 and gets all of them, in order, once (her presence may have
        // lived on node 3: the login completes once the cluster has downed it and moved its shards)
        WireClient carolAgain = connect(nodes.get(0));
        carolAgain.send("login", "username", "carol", "password", PASSWORD, "version", 2);
        JsonNode answer = carolAgain.next(java.time.Duration.ofSeconds(60));
        assertThat(answer.path("status").asText()).as("%s; node 1 said %s", answer, nodes.get(0).output()).isEqualTo("success");
        List<Long> ids = new ArrayList<>();
        JsonNode f;
        while (!(f = carolAgain.next(java.time.Duration.ofSeconds(60))).path("type").asText().equals("replay_done")) {
            if (f.path("type").asText().equals("message")) {
                ids.add(f.path("msg_id").asLong());
            }
        }
        assertThat(ids).containsAll(acked.keySet()).doesNotHaveDuplicates().isSorted();

        // node 3 comes back and rejoins: a user on it chats with bob on node 2
        nodes.set(2, start(2));
        WireClient carolOn3 = online(nodes.get(2), "carol");
        carolOn3.send("message", "id", "back", "receiver", "bob", "content", "node 3 is back");
        carolOn3.await("message_ack");
        assertThat(bob.await("message").path("content").asText()).isEqualTo("node 3 is back");
    }

    private WireClient onDevice(NodeProcess node, String user, String device) {
        WireClient c = connect(node);
        assertThat(c.login3(user, PASSWORD, device).path("status").asText()).isEqualTo("success");
        c.await("replay_done");
        return c;
    }

    @Test
    void aGroupsMembersAndOnePersonsDevicesOnDifferentNodes() throws Exception {
        url = Postgres.newDatabase();
        remoting = new int[] {ReservedPorts.next(), ReservedPorts.next(), ReservedPorts.next()};
        nodes.add(start(0));
        nodes.add(start(1));
        nodes.add(start(2));
        WireClient setup = connect(nodes.get(0));
        for (String u : List.of("alice", "bob", "carol")) {
            assertThat(setup.register(u, PASSWORD).path("status").asText()).isEqualTo("success");
        }
        // alice on two nodes at once (laptop on 1, desk on 2), bob on 2, carol on 3
        WireClient bob = onDevice(nodes.get(1), "bob", "phone");
        bob.send("add_contact", "username", "alice");
        bob.await("contacts");
        WireClient laptop = onDevice(nodes.get(0), "alice", "laptop");
        assertThat(bob.await("user_status").path("status").asText()).isEqualTo("online");
        WireClient desk = onDevice(nodes.get(1), "alice", "desk");
        WireClient carol = onDevice(nodes.get(2), "carol", "pc");

        laptop.send("create_group", "name", "Spread", "members", List.of("bob", "carol"), "id", "spread");
        String group = laptop.await("group").path("group_id").asText();
        for (WireClient member : List.of(desk, bob, carol)) {
            assertThat(member.await("group").path("group_id").asText()).isEqualTo(group);
        }
        laptop.send("message", "group_id", group, "id", "s1", "content", "across the cluster");
        long id = laptop.await("message_ack").path("msg_id").asLong();
        JsonNode copy = desk.await("message");
        assertThat(copy.path("msg_id").asLong()).as("the desk's copy of what the laptop sent").isEqualTo(id);
        assertThat(copy.path("sender").asText()).isEqualTo("alice");
        for (WireClient member : List.of(bob, carol)) {
            JsonNode m = member.await("message");
            assertThat(m.path("msg_id").asLong()).isEqualTo(id);
            member.send("ack", "msg_ids", List.of(id));
        }
        for (WireClient device : List.of(laptop, desk)) {
            JsonNode receipt = device.await("receipt");
            assertThat(receipt.path("group_id").asText()).isEqualTo(group);
            assertThat(receipt.path("status").asText()).isEqualTo("delivered");
        }
        carol.send("typing", "group_id", group);
        for (WireClient other : List.of(laptop, desk, bob)) {
            assertThat(other.await("typing_notification").path("from").asText()).isEqualTo("carol");
        }

        // alice is online while either device is, on whichever node
        laptop.close();
        long deadline = System.nanoTime() + 30_000_000_000L;
        boolean laptopGone = false;
        while (!laptopGone && System.nanoTime() < deadline) { // the node reports the laptop's session ended
            desk.send("devices");
            laptopGone = false;
            for (JsonNode d : desk.await("devices_response").path("devices")) {
                laptopGone |= d.path("device").asText().equals("laptop") && !d.path("online").asBoolean();
            }
        }
        assertThat(laptopGone).isTrue();
        bob.send("get_users");
        JsonNode users = bob.await("user_list").path("users");
        assertThat(users).filteredOn(u -> u.path("username").asText().equals("alice"))
                .extracting(u -> u.path("status").asText()).containsExactly("online");
        desk.close();
        JsonNode offline = bob.await("user_status");
        assertThat(offline.path("username").asText()).isEqualTo("alice");
        // the first status bob hears after "online" is this one: the laptop leaving changed nothing for him
        assertThat(offline.path("status").asText()).isEqualTo("offline");
    }

}
