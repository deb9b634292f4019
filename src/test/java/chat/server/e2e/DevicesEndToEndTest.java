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

/** Several devices per person (PROTOCOL.md, level 3 → devices) over real TCP. */
class DevicesEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.limits.max-devices", 3));
    }

    @Test
    void everyDeviceGetsEveryMessageAndCopiesOfWhatTheOthersSentAndTheFirstAckSendsTheReceipt() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient laptop = onlineOn(alice, "laptop");
        WireClient desk = device(alice, "desk");
        WireClient b = online(bob);

        b.send("message", "id", "b-1", "receiver", alice, "content", "to both");
        long id = msgId(b.expect("message_ack"));
        assertThat(msgId(laptop.expect("message"))).isEqualTo(id);
        assertThat(msgId(desk.expect("message"))).isEqualTo(id);
        laptop.send("ack", "msg_ids", List.of(id));
        JsonNode receipt = b.expect("receipt");
        assertThat(receipt.path("status").asText()).isEqualTo("delivered");
        assertThat(msgId(receipt)).isEqualTo(id);
        desk.send("ack", "msg_ids", List.of(id));
        b.expectNothing(Duration.ofMillis(500)); // the second device's ack is no news to the sender

        laptop.send("message", "id", "l-1", "receiver", bob, "content", "from the laptop");
        long sent = msgId(laptop.expect("message_ack"));
        JsonNode copy = desk.expect("message");
        assertThat(msgId(copy)).isEqualTo(sent);
        assertThat(copy.path("sender").asText()).isEqualTo(alice);
        assertThat(copy.path("receiver").asText()).isEqualTo(bob);
        assertThat(copy.path("id").asText()).isEqualTo("l-1");
        assertThat(msgId(b.expect("message"))).isEqualTo(sent);
        laptop.expectNothing(Duration.ofMillis(300)); // no copy for the device it came from
    }

    @Test
    void aDeviceThatWasOfflineGetsWhatItMissedInOrderWithTheCopiesAndOneThatAckedGetsNothingAgain() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient laptop = onlineOn(alice, "laptop");
        WireClient desk = device(alice, "desk");
        WireClient b = online(bob);
        laptop.close();
        awaitOffline(desk, "laptop");

        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            b.send("message", "id", "b-" + i, "receiver", alice, "content", "missed " + i);
            expected.add(msgId(b.await("message_ack"))); // past the receipt of the one before
            desk.send("ack", "msg_ids", List.of(msgId(desk.expect("message"))));
            desk.send("message", "id", "d-" + i, "receiver", bob, "content", "answer " + i);
            expected.add(msgId(desk.expect("message_ack")));
        }
        WireClient back = connect();
        assertThat(back.login3(alice, PASSWORD, "laptop").path("status").asText()).isEqualTo("success");
        List<Long> replayed = new ArrayList<>();
        JsonNode f = back.next();
        while (!f.path("type").asText().equals("replay_done")) {
            if (f.path("type").asText().equals("message")) {
                replayed.add(msgId(f));
                back.send("ack", "msg_ids", List.of(msgId(f)));
            }
            f = back.next();
        }
        assertThat(replayed).isEqualTo(expected);
        assertThat(f.path("count").asLong()).isEqualTo(6);

        back.close();
        awaitOffline(desk, "laptop");
        WireClient again = connect();
        again.login3(alice, PASSWORD, "laptop");
        assertThat(again.await("replay_done").path("count").asLong()).as("what it acked is not replayed").isZero();
    }

    @Test
    void aReceiptReachesEveryOnlineDeviceOfTheSenderAndWaitsOnceInTheStreamOfEachOfflineOne() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient laptop = onlineOn(alice, "laptop");
        WireClient desk = device(alice, "desk");
        WireClient b = online(bob);
        desk.close();
        awaitOffline(laptop, "desk");

        laptop.send("message", "id", "l-1", "receiver", bob, "content", "did you get it?");
        long sent = msgId(laptop.expect("message_ack"));
        b.send("ack", "msg_ids", List.of(msgId(b.expect("message"))));
        assertThat(laptop.expect("receipt").path("status").asText()).isEqualTo("delivered");
        b.send("read", "peer", alice, "up_to", sent);
        assertThat(laptop.expect("receipt").path("status").asText()).isEqualTo("read");

        WireClient deskBack = connect();
        deskBack.login3(alice, PASSWORD, "desk");
        List<String> frames = new ArrayList<>();
        for (JsonNode f = deskBack.next(); !f.path("type").asText().equals("replay_done"); f = deskBack.next()) {
            String type = f.path("type").asText();
            if (type.equals("message")) {
                assertThat(msgId(f)).as("the copy of what the laptop sent").isEqualTo(sent);
                deskBack.send("ack", "msg_ids", List.of(sent));
            }
            if (type.equals("message") || type.equals("receipt")) {
                frames.add(type + (type.equals("receipt") ? " " + f.path("status").asText() + " " + f.path("peer").asText() : ""));
            }
        }
        assertThat(frames).containsExactly("message", "receipt delivered " + bob, "receipt read " + bob);

        for (WireClient device : List.of(deskBack, laptop)) {
            device.close();
        }
        awaitGone(alice, "desk");
        awaitGone(alice, "laptop");
        for (String device : List.of("desk", "laptop")) {
            WireClient again = connect();
            again.login3(alice, PASSWORD, device);
            JsonNode f = again.next();
            while (f.path("type").asText().equals("user_status") || f.path("type").asText().equals("typing_notification")) {
                f = again.next();
            }
            assertThat(f.path("type").asText()).as(device + " had its receipts once").isEqualTo("replay_done");
            assertThat(f.path("count").asLong()).isZero();
            again.close();
        }
    }

    @Test
    void aReadOnOneDeviceMovesTheMarkerOnTheOtherAndTheirUnreadCountsAgree() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient laptop = onlineOn(alice, "laptop");
        WireClient desk = device(alice, "desk");
        WireClient b = online(bob);
        b.send("message", "id", "b-1", "receiver", alice, "content", "read me");
        long id = msgId(b.expect("message_ack"));
        laptop.expect("message");
        desk.expect("message");
        laptop.send("read", "peer", bob, "up_to", id);
        JsonNode marker = desk.expect("read_marker");
        assertThat(marker.path("peer").asText()).isEqualTo(bob);
        assertThat(marker.path("up_to").asLong()).isEqualTo(id);
        assertThat(b.expect("receipt").path("status").asText()).isEqualTo("read");
        for (WireClient d : List.of(laptop, desk)) {
            d.send("conversations");
            JsonNode row = d.expect("conversations_response").path("conversations").get(0);
            assertThat(row.path("peer").asText()).isEqualTo(bob);
            assertThat(row.path("unread").asLong()).isZero();
        }
    }

    @Test
    void aDeviceTakesOverOnlyItsOwnSessionAndPastTheLimitANewOneIsRefused() {
        String alice = name("alice");
        WireClient one = onlineOn(alice, "one");
        WireClient two = device(alice, "two");
        WireClient three = device(alice, "three");
        WireClient fourth = connect();
        JsonNode refused = fourth.login3(alice, PASSWORD, "four");
        assertThat(refused.path("status").asText()).isEqualTo("error");
        assertThat(refused.path("code").asText()).isEqualTo("too_many_devices");
        fourth.expectClosed();

        WireClient twoAgain = device(alice, "two");
        assertThat(two.await("session_replaced").path("type").asText()).isEqualTo("session_replaced");
        two.expectClosed();
        one.send("ping");
        assertThat(one.expect("pong").path("type").asText()).isEqualTo("pong");
        three.send("devices");
        JsonNode devices = three.expect("devices_response").path("devices");
        assertThat(devices).extracting(d -> d.path("device").asText()).containsExactlyInAnyOrder("one", "two", "three");
        assertThat(devices).allMatch(d -> d.path("online").asBoolean());
        assertThat(devices).filteredOn(d -> d.path("current").asBoolean()).extracting(d -> d.path("device").asText())
                .containsExactly("three");
        twoAgain.close();
    }

    @Test
    void revokingADeviceSignsItOutAndItsTokenNoLongerWorks() {
        String alice = name("alice");
        WireClient laptop = connect();
        laptop.register(alice, PASSWORD);
        String token = laptop.login3(alice, PASSWORD, "laptop").path("token").asText();
        laptop.await("replay_done");
        WireClient desk = device(alice, "desk");
        desk.send("revoke_device", "device", "laptop");
        JsonNode left = desk.expect("devices_response").path("devices");
        assertThat(left).extracting(d -> d.path("device").asText()).containsExactly("desk");
        assertThat(laptop.await("session_revoked").path("type").asText()).isEqualTo("session_revoked");
        laptop.expectClosed();

        WireClient retry = connect();
        retry.send("login", "username", alice, "token", token, "version", 3, "device", "laptop");
        assertThat(retry.expect("login_response").path("code").asText()).isEqualTo("bad_credentials");
    }

    @Test
    void aTokenBelongsToItsDeviceAndALevelThreeLoginMustNameOne() {
        String alice = name("alice");
        WireClient laptop = connect();
        laptop.register(alice, PASSWORD);
        String token = laptop.login3(alice, PASSWORD, "laptop").path("token").asText();
        WireClient other = connect();
        other.send("login", "username", alice, "token", token, "version", 3, "device", "desk");
        assertThat(other.expect("login_response").path("code").asText()).isEqualTo("bad_credentials");
        WireClient none = connect();
        none.send("login", "username", alice, "password", PASSWORD, "version", 3);
        JsonNode r = none.expect("login_response");
        assertThat(r.path("status").asText()).isEqualTo("error");
        assertThat(r.path("code").asText()).isEqualTo("bad_frame");
        WireClient same = connect();
        same.send("login", "username", alice, "token", token, "version", 3, "device", "laptop");
        assertThat(same.expect("login_response").path("status").asText()).isEqualTo("success");
    }

    @Test
    void aSeedClientOnTheSameAccountGetsItsMessagesButNeverTheCopiesOrLevelThreeFrames() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient laptop = onlineOn(alice, "laptop");
        WireClient seed = connect();
        seed.login1(alice, PASSWORD);
        WireClient b = online(bob);
        b.send("message", "id", "b-1", "receiver", alice, "content", "for both kinds");
        long id = msgId(b.expect("message_ack"));
        assertThat(msgId(laptop.expect("message"))).isEqualTo(id);
        assertThat(msgId(seed.expect("message"))).isEqualTo(id);
        laptop.send("message", "id", "l-1", "receiver", bob, "content", "from the laptop");
        laptop.expect("message_ack");
        b.await("message"); // past the receipt of b-1
        seed.expectNothing(Duration.ofMillis(500));
        laptop.send("devices");
        assertThat(laptop.expect("devices_response").path("devices")).extracting(d -> d.path("device").asText())
                .contains("laptop", "default");
    }

    /**
     * The device `default` is a device like the others: what the laptop acked while the seed
     * client was away reaches it at its next login, with what no device has yet, in msg_id order —
     * and what it had already is not sent again.
     */
    @Test
    void aSeedClientBackOnlineGetsWhatALevelThreeDeviceAckedMeanwhileInOrderAndNothingTwice() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient laptop = onlineOn(alice, "laptop");
        WireClient b = online(bob);
        WireClient seed = connect();
        seed.login1(alice, PASSWORD);
        b.send("message", "id", "b-1", "receiver", alice, "content", "while both are on");
        long first = msgId(b.await("message_ack"));
        assertThat(msgId(seed.expect("message"))).isEqualTo(first);
        laptop.send("ack", "msg_ids", List.of(msgId(laptop.expect("message"))));
        seed.close();
        awaitOffline(laptop, "default");

        b.send("message", "id", "b-2", "receiver", alice, "content", "acked by the laptop");
        long acked = msgId(b.await("message_ack"));
        laptop.send("ack", "msg_ids", List.of(msgId(laptop.expect("message"))));
        JsonNode receipt = b.await("receipt");
        while (msgId(receipt) != acked) {
            receipt = b.await("receipt"); // past b-1's
        }
        assertThat(receipt.path("status").asText()).isEqualTo("delivered");
        laptop.close();
        awaitGone(alice, "laptop");
        b.send("message", "id", "b-3", "receiver", alice, "content", "no device has this one");
        long waiting = msgId(b.await("message_ack"));

        WireClient back = connect();
        back.login1(alice, PASSWORD);
        assertThat(msgId(back.expect("message"))).isEqualTo(acked);
        assertThat(msgId(back.expect("message"))).isEqualTo(waiting);
        back.expectNothing(Duration.ofMillis(500)); // not "while both are on" again

        // a level 2 login of the same device `default` has nothing more to catch up on
        back.close();
        awaitGone(alice, "default"); // its session has stored how far it got
        WireClient level2 = connect();
        level2.send("login", "username", alice, "password", PASSWORD, "version", 2);
        assertThat(level2.expect("login_response").path("status").asText()).isEqualTo("success");
        assertThat(level2.expect("replay_done").path("count").asLong()).isZero();
    }
}
