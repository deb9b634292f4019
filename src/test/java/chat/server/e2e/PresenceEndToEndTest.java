package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.presence.Presence;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence to contacts only, typing with its TTL, contacts, user lists and takeover over real TCP. */
class PresenceEndToEndTest extends EndToEnd {

    private static final Duration QUIET = Duration.ofMillis(600);

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.typing.ttl", "1s"));
    }

    @Test
    void statusGoesToContactsOnlyWithLastSeen() {
        String alice = name("alice");
        String bob = name("bob");
        String stranger = name("stranger");
        WireClient a = online(alice);
        WireClient b = connect();
        b.register(bob, PASSWORD);
        a.send("add_contact", "username", bob.toUpperCase());
        JsonNode contacts = a.expect("contacts");
        assertThat(contacts.path("users")).hasSize(1);
        assertThat(contacts.path("users").get(0).path("username").asText()).isEqualTo(bob);
        assertThat(contacts.path("users").get(0).path("status").asText()).isEqualTo("offline");
        WireClient s = online(stranger);

        login(b, bob);
        JsonNode online = a.expect("user_status");
        assertThat(online.path("username").asText()).isEqualTo(bob);
        assertThat(online.path("status").asText()).isEqualTo("online");

        long before = System.currentTimeMillis();
        b.close(); // a closed connection counts as going offline
        JsonNode offline = a.expect("user_status");
        assertThat(offline.path("status").asText()).isEqualTo("offline");
        assertThat(offline.path("last_seen").asLong()).isBetween(before - 1000, System.currentTimeMillis());
        s.expectNothing(QUIET); // not a contact: hears nothing

        a.send("get_users", "query", bob);
        JsonNode listed = a.expect("user_list").path("users").get(0);
        assertThat(listed.path("status").asText()).isEqualTo("offline");
        assertThat(listed.path("last_seen").asLong()).isEqualTo(offline.path("last_seen").asLong());
    }

    @Test
    void aUserWhosePresencePassivatedLogsInAgain() {
        String alice = name("alice");
        WireClient a = online(alice);
        a.close();
        // offline and idle, the entity passivates itself; it must really stop, or every message to
        // it (the next login's Connect included) waits in the shard's buffer for ever
        until("the presence of " + alice + " passivated", () -> !presenceEntities().contains(alice));
        WireClient again = connect();
        JsonNode answer = again.login2(alice, PASSWORD);
        assertThat(answer.path("status").asText()).isEqualTo("success");
        again.await("replay_done");
        assertThat(presenceEntities()).contains(alice);
    }

    /** The users whose Presence entity lives on the node now (asked of Cluster Sharding). */
    private static Set<String> presenceEntities() {
        ActorSystem<?> system = node.node().system();
        ShardRegion.CurrentShardRegionState state = AskPattern.<ClusterShardingQuery,
                        ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(system).shardState(),
                        replyTo -> new GetShardRegionState(Presence.TYPE_KEY, replyTo), Duration.ofSeconds(5), system.scheduler())
                .toCompletableFuture().join();
        Set<String> ids = new HashSet<>();
        state.getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
        return ids;
    }

    @Test
    void removingAContactStopsItsStatusAndUnknownNamesAreRefused() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        connect().register(bob, PASSWORD);
        a.send("add_contact", "username", bob);
        a.expect("contacts");
        a.send("get_contacts");
        assertThat(a.expect("contacts").path("users")).hasSize(1);
        a.send("remove_contact", "username", bob);
        assertThat(a.expect("contacts").path("users")).isEmpty();
        relogin(bob);
        a.expectNothing(QUIET);

        a.send("add_contact", "username", name("ghost"));
        JsonNode refused = a.expect("error");
        assertThat(refused.path("code").asText()).isEqualTo("unknown_user");
        assertThat(refused.path("ref").asText()).isEqualTo("add_contact");
    }

    @Test
    void typingStartsOnceRefreshesSilentlyAndExpires() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        a.send("typing", "recipient", bob, "username", "mallory");
        JsonNode typing = b.expect("typing_notification");
        assertThat(typing.path("from").asText()).isEqualTo(alice);
        assertThat(typing.path("status").asText()).isEqualTo("typing");
        a.send("typing", "recipient", bob);
        // the refresh notifies nobody; without more refreshes the TTL (1 s here) ends it
        JsonNode stopped = b.next(Duration.ofSeconds(3));
        assertThat(stopped.path("type").asText()).isEqualTo("typing_notification");
        assertThat(stopped.path("status").asText()).isEqualTo("stopped");
        b.expectNothing(QUIET);
    }

    @Test
    void stopTypingAndSendingEndTypingAndAStopWhenNotTypingIsSilent() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        a.send("stop_typing", "recipient", bob);
        b.expectNothing(QUIET);

        a.send("typing", "recipient", bob);
        b.expect("typing_notification");
        a.send("stop_typing"); // no recipient: whoever alice was typing to
        assertThat(b.expect("typing_notification").path("status").asText()).isEqualTo("stopped");

        a.send("typing", "recipient", bob);
        b.expect("typing_notification");
        a.send("message", "receiver", bob, "content", "done typing");
        List<String> seen = List.of(b.next().path("type").asText() + ":" + b.next().path("type").asText());
        assertThat(seen.get(0)).contains("typing_notification").contains("message");
    }

    @Test
    void disconnectingEndsTyping() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        a.send("typing", "recipient", bob);
        b.expect("typing_notification");
        a.close();
        JsonNode stopped = b.expect("typing_notification");
        assertThat(stopped.path("status").asText()).isEqualTo("stopped");
    }

    @Test
    void aSecondLoginTakesOverAndGetsThePendingMessages() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient first = online(alice);
        WireClient b = online(bob);
        b.send("message", "receiver", alice, "content", "to the first connection");
        first.expect("message"); // not acked: still pending
        WireClient second = connect();
        second.login2(alice, PASSWORD);
        assertThat(second.expect("message").path("content").asText()).isEqualTo("to the first connection");
        second.expect("replay_done");
        first.await("session_replaced");
        first.expectClosed();
        b.send("message", "receiver", alice, "content", "to the second");
        assertThat(second.await("message").path("content").asText()).isEqualTo("to the second");
    }

    @Test
    void userListPutsContactsFirstThenOnlineThenTheRestAndHonoursQueryAndLimit() {
        String tag = name("ul");
        String me = tag + "_me";
        WireClient c = online(me);
        connect().register(tag + "_a_offline", PASSWORD);
        online(tag + "_b_online");
        connect().register(tag + "_z_contact", PASSWORD);
        c.send("add_contact", "username", tag + "_z_contact");
        c.expect("contacts");
        c.send("get_users", "query", tag.toUpperCase());
        JsonNode users = c.expect("user_list").path("users");
        assertThat(users).extracting(u -> u.path("username").asText())
                .containsExactly(tag + "_z_contact", tag + "_b_online", tag + "_me", tag + "_a_offline");
        assertThat(users.get(1).path("status").asText()).isEqualTo("online");
        c.send("get_users", "query", tag, "limit", 2);
        assertThat(c.expect("user_list").path("users")).hasSize(2);
        c.send("get_users", "query", "no-such-prefix-" + tag);
        assertThat(c.expect("user_list").path("users")).isEmpty();
    }
}
