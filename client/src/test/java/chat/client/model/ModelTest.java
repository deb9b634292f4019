package chat.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ConnectionState;
import chat.protocol.ServerFrame;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window's state logic, without a window. */
class ModelTest {

    private static ServerFrame.Message msg(long id, String from, String to, String text, long ts, String status) {
        return new ServerFrame.Message(id, "c" + id, from, to, text, "t", ts, status);
    }

    @Test
    void contactsAreOrderedByLastActivityAndCountUnreadOnlyOutOfView() {
        ContactListModel list = new ContactListModel();
        list.loadConversations(List.of(
                new ServerFrame.Conversation("bob", "online", null, msg(5, "bob", "me", "hi", 500, "sent"), 2),
                new ServerFrame.Conversation("carol", "offline", 42L, msg(3, "me", "carol", "yo", 300, "read"), 0)));
        list.loadContacts(List.of(new ServerFrame.UserInfo("dave", "offline", null),
                new ServerFrame.UserInfo("bob", "online", null)));
        assertThat(list.ordered()).extracting(ContactEntry::peer).containsExactly("bob", "carol", "dave");
        assertThat(list.get("bob").listed()).isTrue();
        assertThat(list.get("carol").listed()).isFalse();
        assertThat(list.totalUnread()).isEqualTo(2);

        list.message("carol", "news\nwith   lines", 900, true);
        list.message("dave", "seen already", 800, false);
        assertThat(list.ordered()).extracting(ContactEntry::peer).containsExactly("carol", "dave", "bob");
        assertThat(list.get("carol").preview()).isEqualTo("news with lines");
        assertThat(list.totalUnread()).isEqualTo(3);
        list.read("bob");
        assertThat(list.totalUnread()).isEqualTo(1);

        list.typing("carol", true);
        assertThat(list.get("carol").typing()).isTrue();
        list.status("carol", false, 1000L);
        assertThat(list.get("carol").typing()).isFalse();
        assertThat(list.get("carol").lastSeen()).isEqualTo(1000L);
    }

    @Test
    void ticksGoFromClockToTickToDoubleTickToReadAndNeverBack() {
        ConversationModel c = new ConversationModel("me", "bob");
        chat.client.Outgoing pending = outgoing("o1", "bob", "hello");
        c.addOutgoing(pending);
        assertThat(c.lines()).extracting(ChatLine::tick).containsExactly(Tick.PENDING);
        c.acked("o1", new ServerFrame.MessageAck("o1", 10, "bob", 1000, "t"));
        assertThat(c.lines().get(0).tick()).isEqualTo(Tick.SENT);
        assertThat(c.lines().get(0).msgId()).isEqualTo(10);
        c.receipt(new ServerFrame.Receipt(10L, "o1", "bob", "delivered", null, 1));
        assertThat(c.lines().get(0).tick()).isEqualTo(Tick.DELIVERED);
        c.receipt(new ServerFrame.Receipt(null, null, "bob", "read", 10L, 2));
        assertThat(c.lines().get(0).tick()).isEqualTo(Tick.READ);
        c.receipt(new ServerFrame.Receipt(10L, "o1", "bob", "delivered", null, 3));
        assertThat(c.lines().get(0).tick()).isEqualTo(Tick.READ);

        c.addOutgoing(outgoing("o2", "bob", "nobody home"));
        c.refused("o2", "mailbox full");
        assertThat(c.lines().get(1).tick()).isEqualTo(Tick.FAILED);
        assertThat(c.lines().get(1).problem()).isEqualTo("mailbox full");
    }

    @Test
    void aReceiptThatComesBeforeTheAckOfAReSentMessageIsKept() {
        // after a node restart: the kept "delivered" receipt arrives, then the re-sent message's ack
        ConversationModel c = new ConversationModel("me", "bob");
        c.addOutgoing(outgoing("o1", "bob", "sent before the restart"));
        c.receipt(new ServerFrame.Receipt(10L, "o1", "bob", "delivered", null, 1));
        assertThat(c.lines().get(0).tick()).isEqualTo(Tick.DELIVERED);
        c.acked("o1", new ServerFrame.MessageAck("o1", 10, "bob", 1000, "t"));
        assertThat(c.lines()).singleElement().satisfies(l -> {
            assertThat(l.msgId()).isEqualTo(10);
            assertThat(l.tick()).isEqualTo(Tick.DELIVERED);
        });

        // a read mark that covers a message whose ack is still to come
        c.addOutgoing(outgoing("o2", "bob", "and this one"));
        c.receipt(new ServerFrame.Receipt(null, null, "bob", "read", 11L, 2));
        c.acked("o2", new ServerFrame.MessageAck("o2", 11, "bob", 1100, "t"));
        assertThat(c.lines()).extracting(ChatLine::tick).containsExactly(Tick.READ, Tick.READ);
    }

    @Test
    void historyThatBringsAReSentMessageBeforeItsAckShowsItOnceWithTheBestTick() {
        ConversationModel c = new ConversationModel("me", "bob");
        c.addOutgoing(outgoing("o1", "bob", "hello"));
        c.receipt(new ServerFrame.Receipt(10L, "o1", "bob", "delivered", null, 1));
        c.addHistory(new ServerFrame.HistoryResponse("bob",
                List.of(new ServerFrame.Message(10, "o1", "me", "bob", "hello", "t", 1000, "sent")), false));
        c.acked("o1", new ServerFrame.MessageAck("o1", 10, "bob", 1000, "t"));
        assertThat(c.lines()).singleElement().satisfies(l -> {
            assertThat(l.msgId()).isEqualTo(10);
            assertThat(l.tick()).isEqualTo(Tick.DELIVERED);
        });
    }

    @Test
    void peopleFoundOrHeardFromGetARowWithWhatWasSaidOfThem() {
        ContactListModel list = new ContactListModel();
        list.found(new ServerFrame.UserInfo("erin", "online", null));
        assertThat(list.get("erin").online()).isTrue();
        list.found(new ServerFrame.UserInfo("frank", "offline", 777L));
        assertThat(list.get("frank").online()).isFalse();
        assertThat(list.get("frank").lastSeen()).isEqualTo(777L);

        list.status("gina", true, null); // a new contact announced by the server
        assertThat(list.get("gina").online()).isTrue();
        list.typing("hank", true); // someone writing to this user for the first time
        assertThat(list.get("hank").typing()).isTrue();
        assertThat(list.get("hank").presenceKnown()).as("a row made by typing alone").isFalse();
        assertThat(list.get("gina").presenceKnown()).isTrue();
        assertThat(list.get("erin").presenceKnown()).isTrue();
        list.typing("ivy", false);
        assertThat(list.get("ivy")).isNull();

        list.connectionLost();
        assertThat(list.get("hank").typing()).isFalse();
    }

    @Test
    void historyMergesUnderLiveMessagesWithoutDuplicatesAndPagesBack() {
        ConversationModel c = new ConversationModel("me", "bob");
        c.addIncoming(msg(20, "bob", "me", "live", 2000, null));
        c.addOutgoing(outgoing("w", "bob", "waiting"));
        c.addHistory(new ServerFrame.HistoryResponse("bob", List.of(
                msg(18, "me", "bob", "mine", 1800, "delivered"), msg(19, "bob", "me", "theirs", 1900, null),
                msg(20, "bob", "me", "live", 2000, null)), true));
        assertThat(c.lines()).extracting(ChatLine::content).containsExactly("mine", "theirs", "live", "waiting");
        assertThat(c.lines().get(0).tick()).isEqualTo(Tick.DELIVERED);
        assertThat(c.oldestStored()).isEqualTo(18);
        assertThat(c.newestIncoming()).isEqualTo(20);
        assertThat(c.hasOlder()).isTrue();
        c.addHistory(new ServerFrame.HistoryResponse("bob", List.of(msg(2, "bob", "me", "first", 200, null)), false));
        assertThat(c.lines()).extracting(ChatLine::content).startsWith("first");
        assertThat(c.hasOlder()).isFalse();
        assertThat(c.addIncoming(msg(19, "bob", "me", "theirs", 1900, null))).isFalse();
    }

    @Test
    void theBannerSaysWhatTheConnectionIsDoing() {
        assertThat(Banner.of(new ConnectionState.Online("me"), 0)).isEqualTo(new Banner(Banner.Level.OK, "Connected"));
        Banner reconnecting = Banner.of(new ConnectionState.Reconnecting(10_500, 3, ConnectionState.Cause.LOST, "lost"), 6_000);
        assertThat(reconnecting.level()).isEqualTo(Banner.Level.WARNING);
        assertThat(reconnecting.text()).startsWith("Connection lost — reconnecting in 5 s");
        Banner busy = Banner.of(new ConnectionState.Reconnecting(13_001, 1, ConnectionState.Cause.SERVER_BUSY, "busy"), 6_000);
        assertThat(busy.level()).isEqualTo(Banner.Level.WARNING);
        assertThat(busy.text()).startsWith("Server busy — reconnecting in 8 s");
        assertThat(Banner.of(new ConnectionState.Reconnecting(6_000, 1, ConnectionState.Cause.SERVER_BUSY, "busy"), 6_000).text())
                .isEqualTo("Server busy — reconnecting…");
        assertThat(Banner.of(new ConnectionState.Reconnecting(7_000, 2, ConnectionState.Cause.LINE_TOO_LONG, "too long"), 6_000).text())
                .startsWith("The server sent a message too large to read — reconnecting in 1 s");
        assertThat(Banner.of(new ConnectionState.Connecting(), 0).text()).isEqualTo("Connecting…");
        assertThat(Banner.of(new ConnectionState.SignedOut(), 0)).isEqualTo(new Banner(Banner.Level.ERROR, "Offline"));
        assertThat(Banner.of(new ConnectionState.SignInRequired("Sign in again."), 0).level()).isEqualTo(Banner.Level.ERROR);
    }

    @Test
    void timesReadLikeAMessengers() {
        ZoneId zone = ZoneId.of("Europe/Lisbon");
        Times times = new Times(zone);
        long now = ZonedDateTime.of(2026, 11, 25, 15, 0, 0, 0, zone).toInstant().toEpochMilli();
        assertThat(times.dayLabel(now - 3_600_000, now)).isEqualTo("Today");
        assertThat(times.dayLabel(now - 24 * 3_600_000L, now)).isEqualTo("Yesterday");
        assertThat(times.dayLabel(now - 3 * 24 * 3_600_000L, now)).isEqualTo("Sunday, 22 November");
        assertThat(times.dayLabel(now - 400 * 24 * 3_600_000L, now)).isEqualTo("21 October 2025");
        assertThat(times.time(now)).isEqualTo("15:00");
        assertThat(times.lastSeen(now - 30_000, now)).isEqualTo("last seen just now");
        assertThat(times.lastSeen(now - 5 * 60_000, now)).isEqualTo("last seen 5 min ago");
        assertThat(times.lastSeen(now - 3 * 3_600_000, now)).isEqualTo("last seen today at 12:00");
        assertThat(times.lastSeen(null, now)).isEqualTo("offline");
    }

    static chat.client.Outgoing outgoing(String id, String to, String content) {
        return new chat.client.Outgoing(id, to, content, 5_000);
    }
}
