package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Messages, acks, idempotency, replay, receipts, history and conversations over real TCP. */
class MessagingEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.limits.messages-per-second", 20, "chat.limits.max-content-bytes", 100));
    }

    @Test
    void aMessageIsAckedAfterStorageAndDeliveredLiveWithTheServersSender() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        a.send("message", "id", "a-1", "receiver", bob.toUpperCase(), "content", "oi", "sender", "mallory");
        JsonNode ack = a.expect("message_ack");
        assertThat(ack.path("id").asText()).isEqualTo("a-1");
        assertThat(ack.path("receiver").asText()).isEqualTo(bob);
        assertThat(msgId(ack)).isPositive();
        assertThat(ack.path("ts").asLong()).isPositive();
        assertThat(ack.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

        JsonNode m = b.expect("message");
        assertThat(m.path("sender").asText()).isEqualTo(alice); // never the client's claim
        assertThat(m.path("receiver").asText()).isEqualTo(bob);
        assertThat(m.path("content").asText()).isEqualTo("oi");
        assertThat(msgId(m)).isEqualTo(msgId(ack));
        assertThat(m.path("id").asText()).isEqualTo("a-1");
        assertThat(m.path("ts").asLong()).isEqualTo(ack.path("ts").asLong());
        assertThat(m.path("timestamp").asText()).isEqualTo(ack.path("timestamp").asText());
    }

    @Test
    void resendingTheSameIdCreatesNothingAndGetsTheSameAck() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        a.send("message", "id", "same", "receiver", bob, "content", "once");
        JsonNode first = a.expect("message_ack");
        b.expect("message");
        a.send("message", "id", "same", "receiver", bob, "content", "once");
        JsonNode second = a.expect("message_ack");
        assertThat(second).isEqualTo(first);
        b.expectNothing(Duration.ofMillis(500));
        b.send("history", "peer", alice);
        assertThat(b.expect("history_response").path("messages")).hasSize(1);
    }

    @Test
    void refusalsNameTheirReasonAndStoreNothing() {
        String alice = name("alice");
        WireClient a = online(alice);
        a.send("message", "id", "x1", "receiver", name("nobody"), "content", "hello?");
        JsonNode unknown = a.expect("message_error");
        assertThat(unknown.path("code").asText()).isEqualTo("unknown_user");
        assertThat(unknown.path("id").asText()).isEqualTo("x1");
        assertThat(unknown.path("recipient").asText()).startsWith("nobody");
        assertThat(unknown.path("message").asText()).isNotBlank();

        a.send("message", "receiver", "not a name!", "content", "x");
        assertThat(a.expect("message_error").path("code").asText()).isEqualTo("unknown_user");

        String bob = name("bob");
        online(bob);
        a.send("message", "id", "big", "receiver", bob, "content", "é".repeat(51)); // 102 bytes > 100
        JsonNode big = a.expect("message_error");
        assertThat(big.path("code").asText()).isEqualTo("content_too_large");
        a.send("message", "id", "fits", "receiver", bob, "content", "é".repeat(50));
        assertThat(a.expect("message_ack").path("id").asText()).isEqualTo("fits");
    }

    @Test
    void aFloodIsRateLimitedPerSession() {
        String bob = name("bob");
        online(bob);
        WireClient a = online(name("flood"));
        int n = 120;
        for (int i = 0; i < n; i++) {
            a.send("message", "id", "f" + i, "receiver", bob, "content", "spam " + i);
        }
        int acked = 0;
        int limited = 0;
        for (int i = 0; i < n; i++) {
            JsonNode f = a.next();
            if (f.path("type").asText().equals("message_ack")) {
                acked++;
            } else {
                assertThat(f.path("type").asText()).isEqualTo("message_error");
                assertThat(f.path("code").asText()).isEqualTo("rate_limited");
                limited++;
            }
        }
        assertThat(limited).isPositive();
        assertThat(acked).isGreaterThanOrEqualTo(40); // the burst (2 x 20/s) always passes
        assertThat(acked + limited).isEqualTo(n);
    }

    @Test
    void offlineMessagesAreReplayedInOrderThenReplayDoneAndStayUntilAcked() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        connect().register(bob, PASSWORD);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            a.send("message", "id", "o" + i, "receiver", bob, "content", "offline " + i);
            ids.add(msgId(a.expect("message_ack")));
        }
        WireClient b = connect();
        b.login2(bob, PASSWORD);
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            JsonNode m = b.expect("message");
            assertThat(m.path("content").asText()).isEqualTo("offline " + i);
            got.add(msgId(m));
        }
        assertThat(got).isEqualTo(ids);
        assertThat(b.expect("replay_done").path("count").asLong()).isEqualTo(12);

        // not acked: a new login gets them again, with the same ids
        b.close();
        WireClient again = connect();
        again.login2(bob, PASSWORD);
        for (long id : ids) {
            assertThat(msgId(again.expect("message"))).isEqualTo(id);
        }
        again.expect("replay_done");
        again.send("ack", "msg_ids", ids);
        for (int i = 0; i < ids.size(); i++) { // every ack turns into a delivered receipt for alice
            JsonNode r = a.await("receipt"); // (after bob's user_status: they are contacts now)
            assertThat(r.path("status").asText()).isEqualTo("delivered");
            assertThat(r.path("peer").asText()).isEqualTo(bob);
            assertThat(r.path("msg_id").asLong()).isEqualTo(ids.get(i));
            assertThat(r.path("id").asText()).isEqualTo("o" + i);
        }
        again.close();
        WireClient third = connect();
        third.login2(bob, PASSWORD);
        assertThat(third.expect("replay_done").path("count").asLong()).isZero();
    }

    @Test
    void readReceiptsAndReceiptsKeptForAnOfflineSender() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        a.send("message", "id", "r1", "receiver", bob, "content", "one");
        long first = msgId(a.expect("message_ack"));
        a.send("message", "id", "r2", "receiver", bob, "content", "two");
        long second = msgId(a.expect("message_ack"));
        b.expect("message");
        b.expect("message");

        b.send("read", "peer", alice, "up_to", first);
        JsonNode read = a.expect("receipt");
        assertThat(read.path("status").asText()).isEqualTo("read");
        assertThat(read.path("peer").asText()).isEqualTo(bob);
        assertThat(read.path("up_to").asLong()).isEqualTo(first);

        a.send("logout");
        a.expectClosed();
        b.send("ack", "msg_ids", List.of(second));
        b.send("read", "peer", alice, "up_to", second);
        b.send("history", "peer", alice); // history answers only after the marks above are committed
        b.await("history_response");

        WireClient back = connect();
        back.login2(alice, PASSWORD);
        JsonNode delivered = back.expect("receipt");
        assertThat(delivered.path("status").asText()).isEqualTo("delivered");
        assertThat(delivered.path("msg_id").asLong()).isEqualTo(second);
        JsonNode readLater = back.expect("receipt");
        assertThat(readLater.path("status").asText()).isEqualTo("read");
        assertThat(readLater.path("up_to").asLong()).isEqualTo(second);
        back.expect("replay_done");
        back.close();
        WireClient once = connect(); // receipts are given once
        once.login2(alice, PASSWORD);
        once.expect("replay_done");
    }

    @Test
    void historyPagesNewestFirstWithStatuses() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WireClient from = i % 2 == 0 ? a : b;
            from.send("message", "id", "h" + i, "receiver", i % 2 == 0 ? bob : alice, "content", "h" + i);
            ids.add(msgId(from.expect("message_ack")));
            (i % 2 == 0 ? b : a).expect("message");
        }
        b.send("ack", "msg_ids", List.of(ids.get(0)));
        a.expect("receipt");
        a.send("history", "peer", bob, "limit", 2);
        JsonNode page = a.expect("history_response");
        assertThat(page.path("peer").asText()).isEqualTo(bob);
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(page.path("messages")).extracting(n -> n.path("content").asText()).containsExactly("h3", "h4");
        assertThat(page.path("messages").get(0).path("type").asText()).isEqualTo("message");
        a.send("history", "peer", bob, "before", ids.get(3), "limit", 200);
        JsonNode older = a.expect("history_response");
        assertThat(older.path("has_more").asBoolean()).isFalse();
        assertThat(older.path("messages")).extracting(n -> n.path("content").asText()).containsExactly("h0", "h1", "h2");
        assertThat(older.path("messages").get(0).path("status").asText()).isEqualTo("delivered");
        assertThat(older.path("messages").get(1).path("status").asText()).isEqualTo("sent");
    }

    @Test
    void conversationsShowTheLastMessageAndUnreadKeptOnTheServer() {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        WireClient a = online(alice);
        WireClient b = online(bob);
        WireClient c = online(carol);
        b.send("message", "receiver", alice, "content", "b1");
        long b1 = msgId(b.expect("message_ack"));
        b.send("message", "receiver", alice, "content", "b2");
        b.expect("message_ack");
        c.send("message", "receiver", alice, "content", "c1");
        c.expect("message_ack");
        a.send("read", "peer", bob, "up_to", b1);
        a.send("conversations");
        JsonNode list = a.await("conversations_response").path("conversations");
        assertThat(list).extracting(n -> n.path("peer").asText()).containsExactly(carol, bob);
        assertThat(list.get(0).path("unread").asLong()).isEqualTo(1);
        assertThat(list.get(1).path("unread").asLong()).isEqualTo(1);
        assertThat(list.get(1).path("last").path("content").asText()).isEqualTo("b2");
        assertThat(list.get(1).path("status").asText()).isEqualTo("online");
        // another device of alice sees the same counts
        WireClient other = relogin(alice);
        other.send("conversations", "limit", 1);
        JsonNode one = other.await("conversations_response").path("conversations");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).path("peer").asText()).isEqualTo(carol);
    }
}
