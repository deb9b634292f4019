package chat.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.Outgoing;
import chat.protocol.ServerFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Level 3 in the window's models: group rows and unread counts, aggregated ticks, event and typing lines, copies. */
class GroupModelTest {

    private static ServerFrame.Message groupMsg(long id, String from, String text, long ts) {
        return new ServerFrame.Message(id, "c" + id, from, null, text, "t", ts, null, "g1");
    }

    private static ServerFrame.GroupEvent event(long id, String what, String by, List<String> users, String name) {
        return new ServerFrame.GroupEvent(id, "g1", what, by, users, name, 100 + id);
    }

    private static ServerFrame.Group group(String name, String... membersThenAdmin) {
        List<ServerFrame.Member> members = new java.util.ArrayList<>();
        for (int i = 0; i < membersThenAdmin.length; i++) {
            members.add(new ServerFrame.Member(membersThenAdmin[i], i == 0 ? ServerFrame.Member.ADMIN : ServerFrame.Member.MEMBER));
        }
        return new ServerFrame.Group("g1", name, members, membersThenAdmin[0], 50);
    }

    @Test
    void aGroupRowHasItsNameMembersAndUnreadFromTheServerAndCountsNewMessagesOutOfView() {
        ContactListModel list = new ContactListModel();
        list.loadConversations(List.of(
                ServerFrame.Conversation.ofGroup("g1", "Trip", groupMsg(7, "bob", "tickets?", 700), 3),
                new ServerFrame.Conversation("carol", "online", null,
                        new ServerFrame.Message(4, "c4", "carol", "me", "hi", "t", 400, "sent"), 1)));
        String key = ContactListModel.groupKey("g1");
        ContactEntry row = list.get(key);
        assertThat(row.group()).isTrue();
        assertThat(row.title()).isEqualTo("Trip");
        assertThat(row.preview()).isEqualTo("bob: tickets?");
        assertThat(list.ordered()).extracting(ContactEntry::peer).containsExactly(key, "carol");
        assertThat(list.totalUnread()).isEqualTo(4);

        list.group(group("Trip to Porto", "me", "bob", "carol"), "me");
        assertThat(row.title()).isEqualTo("Trip to Porto");
        assertThat(row.admin("me")).isTrue();
        assertThat(row.admin("bob")).isFalse();
        assertThat(row.member()).isTrue();

        list.groupMessage("g1", "carol", "I'm in", 800, true);
        list.groupMessage("g1", "me", "great", 810, false); // mine, or in view: not unread
        assertThat(row.unread()).isEqualTo(4);
        assertThat(row.preview()).isEqualTo("me: great");
        list.read(key);
        assertThat(list.totalUnread()).isEqualTo(1);

        // removed: the row stays, marked as no longer a member
        list.group(group("Trip to Porto", "bob", "carol"), "me");
        assertThat(row.member()).isFalse();
    }

    @Test
    void aReadMarkerFromAnotherDeviceLeavesUnreadOnlyWhatCameAfterIt() {
        ContactListModel list = new ContactListModel();
        ConversationModel c = new ConversationModel("me", ContactListModel.groupKey("g1"), "g1");
        for (long id = 1; id <= 4; id++) {
            c.addIncoming(groupMsg(id, "bob", "m" + id, id));
            list.groupMessage("g1", "bob", "m" + id, id, true);
        }
        c.addEvent(event(5, ServerFrame.GroupEvent.ADDED, "bob", List.of("carol"), null)); // events are never unread
        assertThat(list.get(ContactListModel.groupKey("g1")).unread()).isEqualTo(4);
        list.readElsewhere(ContactListModel.groupKey("g1"), c.unreadAbove(3));
        assertThat(list.get(ContactListModel.groupKey("g1")).unread()).isEqualTo(1);
        list.readElsewhere(ContactListModel.groupKey("g1"), c.unreadAbove(5));
        assertThat(list.totalUnread()).isZero();
        assertThat(c.newestIncoming()).isEqualTo(4);
    }

    @Test
    void aggregatedGroupReceiptsGiveTheDoubleTickThenTheBlueOne() {
        ConversationModel c = new ConversationModel("me", ContactListModel.groupKey("g1"), "g1");
        c.addOutgoing(new Outgoing("o1", null, "g1", "hello all", 10));
        c.addOutgoing(new Outgoing("o2", null, "g1", "and again", 11));
        c.acked("o1", new ServerFrame.MessageAck("o1", 20, null, 1000, "t", "g1"));
        c.acked("o2", new ServerFrame.MessageAck("o2", 21, null, 1001, "t", "g1"));
        assertThat(c.lines()).extracting(ChatLine::tick).containsExactly(Tick.SENT, Tick.SENT);

        c.receipt(ServerFrame.Receipt.forGroup("g1", 20L, "o1", ServerFrame.Receipt.DELIVERED, null, 1));
        assertThat(c.lines()).extracting(ChatLine::tick).containsExactly(Tick.DELIVERED, Tick.SENT);
        c.receipt(ServerFrame.Receipt.forGroup("g1", null, null, ServerFrame.Receipt.READ, 20L, 2));
        assertThat(c.lines()).extracting(ChatLine::tick).containsExactly(Tick.READ, Tick.SENT);
        c.receipt(ServerFrame.Receipt.forGroup("g1", 21L, "o2", ServerFrame.Receipt.DELIVERED, null, 3));
        c.receipt(ServerFrame.Receipt.forGroup("g1", 20L, "o1", ServerFrame.Receipt.DELIVERED, null, 4)); // late: never back
        assertThat(c.lines()).extracting(ChatLine::tick).containsExactly(Tick.READ, Tick.DELIVERED);
    }

    @Test
    void aCopyOfWhatISentFromAnotherDeviceIsMyOwnBubbleWithTicks() {
        ConversationModel bob = new ConversationModel("me", "bob");
        bob.addIncoming(new ServerFrame.Message(8, "other-device-1", "me", "bob", "sent from my phone", "t", 800, null));
        ChatLine copy = bob.lines().get(0);
        assertThat(copy.mine()).isTrue();
        assertThat(copy.tick()).isEqualTo(Tick.SENT);
        bob.receipt(new ServerFrame.Receipt(8L, "other-device-1", "bob", "delivered", null, 1));
        assertThat(bob.lines().get(0).tick()).isEqualTo(Tick.DELIVERED);
        assertThat(bob.newestIncoming()).isZero(); // my own message is nothing to mark read

        ConversationModel g = new ConversationModel("me", ContactListModel.groupKey("g1"), "g1");
        g.addIncoming(groupMsg(9, "me", "from the laptop", 900));
        g.addIncoming(groupMsg(9, "me", "from the laptop", 900)); // redelivered: one line
        assertThat(g.lines()).singleElement().satisfies(l -> assertThat(l.mine()).isTrue());
    }

    @Test
    void groupEventsReadAsSentences() {
        assertThat(GroupEvents.text(event(1, "created", "alice", List.of("bob", "carol"), "Trip"), "bob"))
                .isEqualTo("alice created the group “Trip”");
        assertThat(GroupEvents.text(event(1, "created", "alice", null, null), "bob")).isEqualTo("alice created the group");
        assertThat(GroupEvents.text(event(2, "added", "bob", List.of("carol"), null), "alice")).isEqualTo("bob added carol");
        assertThat(GroupEvents.text(event(2, "added", "bob", List.of("carol", "dave", "alice"), null), "alice"))
                .isEqualTo("bob added carol, dave and you");
        assertThat(GroupEvents.text(event(3, "removed", "alice", List.of("dave"), null), "alice")).isEqualTo("You removed dave");
        assertThat(GroupEvents.text(event(4, "left", "carol", List.of("carol"), null), "alice")).isEqualTo("carol left");
        assertThat(GroupEvents.text(event(5, "renamed", "bob", null, "Porto"), "alice")).isEqualTo("bob renamed the group to “Porto”");
        assertThat(GroupEvents.text(event(6, "admins", "alice", List.of("alice", "bob"), null), "carol"))
                .isEqualTo("alice made the admins alice and bob");

        ConversationModel c = new ConversationModel("alice", ContactListModel.groupKey("g1"), "g1");
        c.addHistory(new ServerFrame.HistoryResponse(null, List.of(event(1, "created", "alice", List.of("bob"), null),
                groupMsg(2, "bob", "hi", 102)), false, "g1"));
        assertThat(c.lines()).extracting(ChatLine::event).containsExactly(true, false);
        assertThat(c.lines().get(0).content()).isEqualTo("You created the group");
    }

    @Test
    void typingInAGroupNamesOneOrTwoAndCountsMore() {
        assertThat(TypingLine.text(List.of())).isNull();
        assertThat(TypingLine.text(List.of("bob"))).isEqualTo("bob is typing…");
        assertThat(TypingLine.text(List.of("bob", "carol"))).isEqualTo("bob and carol are typing…");
        assertThat(TypingLine.text(List.of("bob", "carol", "dave"))).isEqualTo("3 people are typing…");

        ContactListModel list = new ContactListModel();
        list.groupTyping("g1", "bob", true);
        list.groupTyping("g1", "carol", true);
        ContactEntry row = list.get(ContactListModel.groupKey("g1"));
        assertThat(row.typers()).containsExactly("bob", "carol");
        list.groupMessage("g1", "bob", "done", 5, true); // his message ends his typing
        assertThat(row.typers()).containsExactly("carol");
        list.groupTyping("g1", "carol", false);
        assertThat(row.typing()).isFalse();
        list.groupTyping("g1", "dave", true);
        list.connectionLost();
        assertThat(row.typers()).isEmpty();
    }

    @Test
    void aSendersColourIsTheSameEveryTimeAndInThePalette() {
        int bob = SenderColours.index("bob", 8);
        assertThat(SenderColours.index("bob", 8)).isEqualTo(bob).isBetween(0, 7);
        assertThat(List.of("alice", "bob", "carol", "dave", "erin", "frank").stream()
                .map(n -> SenderColours.index(n, 8)).distinct().count()).isGreaterThan(1);
    }

    @Test
    void messageInfoNamesWhoReadWhoHasItAndWhoIsStillWaitingButNeverTheSender() {
        assertThat(GroupReceipts.text(List.of("bob", "carol"), List.of("bob"), List.of("alice", "bob", "carol", "dave"), "alice"))
                .isEqualTo("Read by: bob\nDelivered to: bob, carol\nNot yet: dave");
        assertThat(GroupReceipts.text(List.of(), List.of(), List.of("alice", "bob"), "alice"))
                .isEqualTo("Read by: nobody yet\nDelivered to: nobody yet\nNot yet: bob");
        assertThat(GroupReceipts.text(List.of("bob"), List.of("bob"), List.of("alice", "bob"), "alice"))
                .as("everyone has it: no waiting line").isEqualTo("Read by: bob\nDelivered to: bob");
    }
}
