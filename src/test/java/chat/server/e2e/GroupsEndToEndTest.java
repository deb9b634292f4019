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

/** Group conversations (PROTOCOL.md, level 3 → groups) over real TCP, between real users. */
class GroupsEndToEndTest extends EndToEnd {

    private static final int MAX_MEMBERS = 5;

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.limits.max-group-members", MAX_MEMBERS));
    }

    @Test
    void aGroupMessageIsAckedOnceReachesEveryOtherMemberAndItsReceiptsAreAggregated() {
        Trio three = threeInAGroup("Team", "t-1");
        String alice = three.alice(), bob = three.bob(), carol = three.carol(), group = three.group();
        WireClient a = three.a(), b = three.b(), c = three.c();

        a.send("create_group", "name", "Team", "members", List.of(bob, carol), "id", "t-1");
        assertThat(a.await("group").path("group_id").asText()).as("a re-sent create_group").isEqualTo(group);
        a.send("groups");
        assertThat(a.await("groups_response").path("groups")).hasSize(1);

        a.send("message", "group_id", group, "id", "m-1", "content", "hello team");
        JsonNode ack = a.await("message_ack");
        long sent = msgId(ack);
        assertThat(ack.path("group_id").asText()).isEqualTo(group);
        assertThat(ack.path("id").asText()).isEqualTo("m-1");
        JsonNode atBob = b.await("message");
        assertThat(msgId(atBob)).isEqualTo(sent);
        assertThat(atBob.path("sender").asText()).isEqualTo(alice);
        assertThat(atBob.path("group_id").asText()).isEqualTo(group);
        assertThat(atBob.path("content").asText()).isEqualTo("hello team");
        assertThat(msgId(c.await("message"))).isEqualTo(sent);

        a.send("message", "group_id", group, "id", "m-1", "content", "hello team");
        assertThat(msgId(a.await("message_ack"))).as("a re-sent message keeps its msg_id").isEqualTo(sent);

        b.send("ack", "msg_ids", List.of(sent));
        until("bob's ack reaches the group", () -> {
            a.send("group_receipts", "group_id", group, "msg_id", sent);
            return a.await("group_receipts_response").path("delivered").size() == 1;
        });
        a.send("group_receipts", "group_id", group, "msg_id", sent);
        JsonNode half = a.await("group_receipts_response");
        assertThat(half.path("delivered")).extracting(JsonNode::asText).containsExactly(bob);
        assertThat(half.path("read")).isEmpty();
        a.expectNothing(Duration.ofMillis(200)); // no delivered receipt while carol has not got it
        c.send("ack", "msg_ids", List.of(sent));
        JsonNode delivered = a.await("receipt");
        assertThat(delivered.path("status").asText()).isEqualTo("delivered");
        assertThat(delivered.path("group_id").asText()).isEqualTo(group);
        assertThat(msgId(delivered)).isEqualTo(sent);

        b.send("read", "group_id", group, "up_to", sent);
        c.send("read", "group_id", group, "up_to", sent);
        JsonNode read = a.await("receipt");
        assertThat(read.path("status").asText()).isEqualTo("read");
        assertThat(read.path("up_to").asLong()).isEqualTo(sent);
        a.send("group_receipts", "group_id", group, "msg_id", sent);
        JsonNode all = a.await("group_receipts_response");
        assertThat(all.path("delivered")).extracting(JsonNode::asText).containsExactlyInAnyOrder(bob, carol);
        assertThat(all.path("read")).extracting(JsonNode::asText).containsExactlyInAnyOrder(bob, carol);

        b.send("conversations");
        JsonNode row = groupRow(b.await("conversations_response"), group);
        assertThat(row.path("name").asText()).isEqualTo("Team");
        assertThat(row.path("unread").asLong()).isZero();
        assertThat(msgId(row.path("last"))).isEqualTo(sent);
    }

    @Test
    void aMemberWhoWasOfflineGetsTheGroupsMessagesInOrderWithItsOtherMessagesAtLogin() {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        WireClient a = onlineOn(alice, "laptop");
        WireClient b = onlineOn(bob, "phone");
        onlineOn(carol, "desk").close(); // carol has a device, and it is away
        String group = create(a, "Away", "w-1", bob, carol);
        b.await("group");

        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            a.send("message", "group_id", group, "id", "a-" + i, "content", "group " + i);
            sent.add(msgId(a.await("message_ack")));
            b.send("message", "receiver", carol, "id", "b-" + i, "content", "direct " + i);
            sent.add(msgId(b.await("message_ack")));
        }
        WireClient back = connect();
        assertThat(back.login3(carol, PASSWORD, "desk").path("status").asText()).isEqualTo("success");
        List<Long> messages = new ArrayList<>();
        List<Long> everything = new ArrayList<>();
        JsonNode f = back.next();
        while (!f.path("type").asText().equals("replay_done")) {
            String type = f.path("type").asText();
            if (type.equals("message") || type.equals("group_event")) {
                everything.add(msgId(f));
                if (type.equals("message")) {
                    messages.add(msgId(f));
                }
            }
            f = back.next();
        }
        assertThat(messages).containsExactlyElementsOf(sent);
        assertThat(everything).as("msg_id order, the group's created event first").isSorted().hasSize(sent.size() + 1);
        assertThat(f.path("count").asInt()).isEqualTo(everything.size());
    }

    @Test
    void aSendersDeviceOfflineWhenItsGroupMessageIsDeliveredAndReadGetsTheAggregatedReceiptsAtItsNextLogin() {
        Trio three = threeInAGroup("Later", "l-1");
        String alice = three.alice(), group = three.group();
        WireClient a = three.a(), b = three.b(), c = three.c();
        WireClient phone = device(alice, "phone");
        a.send("message", "group_id", group, "id", "m-1", "content", "read this when you can");
        long sent = msgId(a.await("message_ack"));
        a.close();
        awaitOffline(phone, "laptop");

        for (WireClient member : List.of(b, c)) {
            assertThat(msgId(member.await("message"))).isEqualTo(sent);
            member.send("ack", "msg_ids", List.of(sent));
        }
        assertThat(phone.await("receipt").path("status").asText()).isEqualTo("delivered");
        for (WireClient member : List.of(b, c)) {
            member.send("read", "group_id", group, "up_to", sent);
        }
        assertThat(phone.await("receipt").path("status").asText()).as("the online device has them live").isEqualTo("read");

        WireClient back = connect();
        back.login3(alice, PASSWORD, "laptop");
        List<String> receipts = new ArrayList<>();
        for (JsonNode f = back.next(); !f.path("type").asText().equals("replay_done"); f = back.next()) {
            if (f.path("type").asText().equals("receipt")) {
                assertThat(f.path("group_id").asText()).isEqualTo(group);
                assertThat(f.has("peer")).as("an aggregated receipt names no member").isFalse();
                receipts.add(f.path("status").asText() + " " + (f.path("status").asText().equals("read")
                        ? f.path("up_to").asLong() : msgId(f)));
            }
        }
        assertThat(receipts).containsExactly("delivered " + sent, "read " + sent);
    }

    @Test
    void membershipChangesAreOrderedWithTheMessagesAndBoundEachMembersHistory() {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        WireClient a = onlineOn(alice, "laptop");
        WireClient b = onlineOn(bob, "phone");
        WireClient c = onlineOn(carol, "desk");
        String group = create(a, "Moving", "v-1", bob);
        b.await("group");

        long before = say(a, group, "before carol");
        assertThat(msgId(b.await("message"))).isEqualTo(before);
        a.send("group_update", "group_id", group, "add", List.of(carol));
        JsonNode added = c.await("group_event");
        assertThat(added.path("event").asText()).isEqualTo("added");
        assertThat(added.path("users")).extracting(JsonNode::asText).containsExactly(carol);
        assertThat(added.path("by").asText()).isEqualTo(alice);
        long during = say(a, group, "with carol");
        assertThat(msgId(c.await("message"))).isEqualTo(during);
        assertThat(msgId(b.await("message"))).isEqualTo(during);

        a.send("group_update", "group_id", group, "remove", List.of(bob));
        JsonNode removedGroup = b.await("group");
        assertThat(removedGroup.path("members")).extracting(m -> m.path("username").asText()).doesNotContain(bob);
        JsonNode removed = b.await("group_event");
        assertThat(removed.path("event").asText()).isEqualTo("removed");
        long after = say(a, group, "without bob");
        assertThat(msgId(c.await("message"))).isEqualTo(after);

        c.send("history", "group_id", group);
        List<Long> carolSees = ids(c.await("history_response"));
        assertThat(carolSees).contains(msgId(added), during, after).doesNotContain(before);
        b.send("history", "group_id", group);
        List<Long> bobSees = ids(b.await("history_response"));
        assertThat(bobSees).contains(before, during, msgId(removed)).doesNotContain(after);

        b.send("message", "group_id", group, "id", "late", "content", "am I still here?");
        JsonNode refused = b.await("message_error");
        assertThat(refused.path("code").asText()).isEqualTo("not_a_member");
        assertThat(refused.path("id").asText()).isEqualTo("late");
        b.expectNothing(Duration.ofMillis(300)); // and not the message sent after the removal
    }

    @Test
    void theLastAdminLeavingHandsTheGroupToTheLongestStandingMember() {
        Trio three = threeInAGroup("Handover", "h-1");
        String alice = three.alice(), bob = three.bob(), carol = three.carol(), group = three.group();
        WireClient a = three.a(), b = three.b(), c = three.c();

        b.send("group_update", "group_id", group, "name", "Mine now");
        assertThat(b.await("error").path("code").asText()).isEqualTo("forbidden");

        a.send("leave_group", "group_id", group);
        JsonNode after = c.await("group");
        assertThat(after.path("members")).extracting(m -> m.path("username").asText() + ":" + m.path("role").asText())
                .containsExactlyInAnyOrder(bob + ":admin", carol + ":member");
        List<String> events = new ArrayList<>();
        while (events.size() < 2) {
            events.add(c.await("group_event").path("event").asText());
        }
        assertThat(events).containsExactly("left", "admins");

        b.send("group_update", "group_id", group, "name", "Mine now");
        assertThat(c.await("group").path("name").asText()).isEqualTo("Mine now");
        a.send("message", "group_id", group, "id", "gone", "content", "hello?");
        assertThat(a.await("message_error").path("code").asText()).isEqualTo("not_a_member");
    }

    @Test
    void typingInAGroupReachesTheOtherMembersAndStopsWithTheTypist() {
        Trio three = threeInAGroup("Chatty", "y-1");
        String alice = three.alice(), bob = three.bob(), carol = three.carol(), group = three.group();
        WireClient a = three.a(), b = three.b(), c = three.c();

        b.send("typing", "group_id", group);
        for (WireClient other : List.of(a, c)) {
            JsonNode t = other.await("typing_notification");
            assertThat(t.path("from").asText()).isEqualTo(bob);
            assertThat(t.path("group_id").asText()).isEqualTo(group);
            assertThat(t.path("status").asText()).isEqualTo("typing");
        }
        b.close();
        JsonNode stopped = a.await("typing_notification");
        assertThat(stopped.path("status").asText()).isEqualTo("stopped");
        assertThat(stopped.path("group_id").asText()).isEqualTo(group);
    }

    @Test
    void membersOnLevelsOneAndTwoSeeNothingOfTheGroupAndItsFramesAreUnknownToThem() {
        String alice = name("alice");
        String dave = name("dave");
        WireClient a = onlineOn(alice, "laptop");
        WireClient two = online(dave); // a level 2 login: dave's device "default"
        String group = create(a, "Mixed", "x-1", dave);
        say(a, group, "only level 3 sees this");
        a.send("message", "receiver", dave, "id", "direct", "content", "this one everyone sees");
        long direct = msgId(a.await("message_ack"));
        assertThat(msgId(two.expect("message"))).as("nothing of the group before it").isEqualTo(direct);

        two.send("groups");
        assertThat(two.await("error").path("code").asText()).isEqualTo("unknown_type");
        two.send("conversations");
        JsonNode rows = two.await("conversations_response").path("conversations");
        assertThat(rows).extracting(r -> r.path("peer").asText()).containsExactly(alice);
        assertThat(rows).allMatch(r -> r.path("group_id").isMissingNode());
        two.close();

        WireClient one = connect(); // the seed client's level 1, the same device "default"
        one.login1(dave, PASSWORD);
        JsonNode replayed = one.expect("message");
        assertThat(replayed.path("content").asText()).as("only the direct message, still unacked").isEqualTo("this one everyone sees");
        say(a, group, "still not for level 1");
        one.expectNothing(Duration.ofMillis(300));
    }

    @Test
    void badGroupsGetClearErrorsAndCreateNothing() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = onlineOn(alice, "laptop");
        onlineOn(bob, "phone").close();

        a.send("create_group", "name", "Ghosts", "members", List.of(bob, "nobody-" + bob));
        assertThat(a.await("error").path("code").asText()).isEqualTo("unknown_user");
        for (String badName : List.of("", "x".repeat(65), "tab\there")) {
            a.send("create_group", "name", badName, "members", List.of(bob));
            assertThat(a.await("error").path("code").asText()).as("name '%s'", badName).isEqualTo("bad_frame");
        }
        List<String> crowd = new ArrayList<>();
        for (int i = 0; i < MAX_MEMBERS; i++) { // with the creator, one more than the limit
            String member = name("crowd");
            onlineOn(member, "d").close();
            crowd.add(member);
        }
        a.send("create_group", "name", "Too many", "members", crowd);
        assertThat(a.await("error").path("code").asText()).isEqualTo("too_many_members");
        a.send("groups");
        assertThat(a.await("groups_response").path("groups")).as("nothing was created").isEmpty();

        String group = create(a, "Just right", "r-1", crowd.subList(0, MAX_MEMBERS - 1).toArray(String[]::new));
        a.send("group_update", "group_id", group, "add", List.of(crowd.get(MAX_MEMBERS - 1)));
        assertThat(a.await("error").path("code").asText()).isEqualTo("too_many_members");

        a.send("message", "group_id", "g-does-not-exist", "id", "q", "content", "anyone?");
        JsonNode unknown = a.await("message_error");
        assertThat(unknown.path("code").asText()).isEqualTo("unknown_group");
        assertThat(unknown.path("id").asText()).isEqualTo("q");
        a.send("history", "group_id", "g-does-not-exist");
        assertThat(a.await("error").path("code").asText()).isEqualTo("unknown_group");
        a.send("message", "group_id", group, "receiver", bob, "content", "both");
        assertThat(a.await("error").path("code").asText()).isEqualTo("bad_frame");
    }

    /** alice, bob and carol, each online on a level 3 device, in a group alice made; both others got its frame. */
    private record Trio(String alice, String bob, String carol, WireClient a, WireClient b, WireClient c, String group) {
    }

    private Trio threeInAGroup(String groupName, String id) {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        WireClient a = onlineOn(alice, "laptop");
        WireClient b = onlineOn(bob, "phone");
        WireClient c = onlineOn(carol, "desk");
        String group = create(a, groupName, id, bob, carol);
        assertThat(b.await("group").path("group_id").asText()).isEqualTo(group);
        assertThat(c.await("group").path("group_id").asText()).isEqualTo(group);
        return new Trio(alice, bob, carol, a, b, c, group);
    }

    /** `creator` makes a group with `members` and reads its own `group` frame: the group's id. */
    private static String create(WireClient creator, String name, String id, String... members) {
        creator.send("create_group", "name", name, "members", List.of(members), "id", id);
        JsonNode group = creator.await("group");
        assertThat(group.path("name").asText()).isEqualTo(name);
        assertThat(group.path("members")).hasSize(members.length + 1);
        return group.path("group_id").asText();
    }

    private static long say(WireClient sender, String group, String content) {
        sender.send("message", "group_id", group, "content", content);
        return msgId(sender.await("message_ack"));
    }

    private static JsonNode groupRow(JsonNode conversations, String group) {
        for (JsonNode row : conversations.path("conversations")) {
            if (row.path("group_id").asText().equals(group)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + group + " in " + conversations);
    }

    private static List<Long> ids(JsonNode history) {
        List<Long> ids = new ArrayList<>();
        history.path("messages").forEach(m -> ids.add(msgId(m)));
        return ids;
    }
}
