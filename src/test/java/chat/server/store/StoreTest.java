package chat.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.protocol.ServerFrame;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real database: group commits, idempotency, marks, and the bounded reads. Run
 * against SQLite ({@link SqliteStoreTest}) and PostgreSQL ({@link PostgresStoreTest}): the same
 * migrations and statements serve both.
 */
abstract class StoreTest {

    @TempDir
    Path dir;

    private Database db;
    private MessageWriter writer;
    private MessageQueries queries;
    private UserStore users;

    /** Messages whose index entries wait behind the log; a subclass runs every test with a tiny tail. */
    int flushAt() {
        return MessageWriter.FLUSH_AT;
    }

    /** A new, empty database of the kind under test. */
    abstract Database openDatabase(Path dir);

    @BeforeEach
    void open() {
        db = openDatabase(dir);
        writer = new MessageWriter(db, Clock.systemUTC(), 1000, flushAt());
        queries = new MessageQueries(db);
        users = new UserStore(db);
        for (String u : List.of("alice", "bob", "carol")) {
            assertThat(users.insertUser(u, "hash-" + u, 1)).isTrue();
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Written.Accepted send(String from, String to, String id, String content) {
        return (Written.Accepted) writer.apply(List.of(new Write.Send(from, to, id, content))).get(0);
    }

    @Test
    void aBatchCommitsInOneGoWithIncreasingIdsAndOutcomesInOrder() {
        List<Written> out = writer.apply(List.of(
                new Write.Send("alice", "bob", "a1", "one"),
                new Write.Send("alice", "nobody", "a2", "lost"),
                new Write.Send("alice", "bob", "a3", "two")));
        assertThat(out.get(0)).isInstanceOf(Written.Accepted.class);
        assertThat(out.get(1)).isEqualTo(new Written.Refused("unknown_user", "user 'nobody' does not exist"));
        long first = ((Written.Accepted) out.get(0)).message().msgId();
        long second = ((Written.Accepted) out.get(2)).message().msgId();
        assertThat(second).isGreaterThan(first);
        assertThat(queries.pending("bob", 0, 10)).extracting(ServerFrame.Message::content).containsExactly("one", "two");
    }

    @Test
    void theFirstMessageBetweenTwoUsersMakesThemContactsOfEachOther() {
        assertThat(send("alice", "bob", null, "hi").newPair()).isTrue();
        assertThat(send("bob", "alice", null, "hey").newPair()).isFalse();
        assertThat(queries.contacts("bob")).extracting(MessageQueries.UserRow::username).containsExactly("alice");
        assertThat(queries.watchers("alice")).containsExactly("bob");
        assertThat(queries.watchers("carol")).isEmpty();
    }

    @Test
    void resendingAnIdReturnsTheFirstMessageAndStoresNothingNew() {
        Written.Accepted first = send("alice", "bob", "c-1", "hello");
        Written.Accepted again = send("alice", "bob", "c-1", "hello");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.message()).isEqualTo(first.message());
        assertThat(queries.pending("bob", 0, 10)).hasSize(1);
        // the same id from another sender is another message
        assertThat(send("carol", "bob", "c-1", "other").duplicate()).isFalse();
    }

    @Test
    void aFullMailboxRefusesButStillAnswersAResend() {
        writer = new MessageWriter(db, Clock.systemUTC(), 5, flushAt());
        for (int i = 0; i < 5; i++) {
            send("alice", "bob", "m" + i, "x");
        }
        assertThat(writer.apply(List.of(new Write.Send("alice", "bob", "m5", "x"))).get(0))
                .isEqualTo(new Written.Refused("mailbox_full", "'bob' has too many undelivered messages"));
        assertThat(send("alice", "bob", "m0", "x").duplicate()).isTrue();
        long oldest = queries.pending("bob", 0, 1).get(0).msgId();
        writer.apply(List.of(new Write.MarkDelivered("bob", List.of(oldest))));
        assertThat(send("alice", "bob", "m6", "x").duplicate()).isFalse();
    }

    @Test
    void deliveryMarksOnlyTheReceiversOwnPendingMessagesOnce() {
        ServerFrame.Message sent = send("alice", "bob", "k", "x").message();
        long id = sent.msgId();
        Written carolTries = writer.apply(List.of(new Write.MarkDelivered("carol", List.of(id)))).get(0);
        assertThat(carolTries).isEqualTo(new Written.Delivered(List.of()));
        Written bobAcks = writer.apply(List.of(new Write.MarkDelivered("bob", List.of(id, id)))).get(0);
        assertThat(bobAcks).isEqualTo(new Written.Delivered(List.of(new Written.DeliveredMessage(id, "alice", "k", sent.ts()))));
        assertThat(queries.pending("bob", 0, 10)).isEmpty();
    }

    @Test
    void readMarksStopAtTheNewestMessageAndOnlyMoveForward() {
        long a = send("alice", "bob", null, "1").message().msgId();
        long b = send("alice", "bob", null, "2").message().msgId();
        send("carol", "bob", null, "3");
        assertThat(writer.apply(List.of(new Write.MarkRead("bob", "alice", Long.MAX_VALUE))).get(0))
                .isEqualTo(new Written.Read(true, b));
        assertThat(writer.apply(List.of(new Write.MarkRead("bob", "alice", a))).get(0))
                .isEqualTo(new Written.Read(false, a));
        assertThat(writer.apply(List.of(new Write.MarkRead("bob", "nobody", 5))).get(0))
                .isEqualTo(new Written.Read(false, 0));
        // read messages are no longer pending; carol's still is
        assertThat(queries.pending("bob", 0, 10)).extracting(ServerFrame.Message::sender).containsExactly("carol");
        assertThat(queries.history("bob", "alice", null, 10).messages())
                .map(ServerFrame.Message.class::cast).extracting(ServerFrame.Message::status).containsExactly("read", "read");
    }

    @Test
    void pendingIsReadInKeysetPages() {
        for (int i = 0; i < 7; i++) {
            send("alice", "carol", null, "m" + i);
        }
        List<ServerFrame.Message> first = queries.pending("carol", 0, 3);
        List<ServerFrame.Message> second = queries.pending("carol", first.get(2).msgId(), 3);
        List<ServerFrame.Message> third = queries.pending("carol", second.get(2).msgId(), 3);
        assertThat(first).extracting(ServerFrame.Message::content).containsExactly("m0", "m1", "m2");
        assertThat(second).extracting(ServerFrame.Message::content).containsExactly("m3", "m4", "m5");
        assertThat(third).extracting(ServerFrame.Message::content).containsExactly("m6");
    }

    @Test
    void historyPagesBackwardsThroughBothDirections() {
        for (int i = 0; i < 5; i++) {
            send(i % 2 == 0 ? "alice" : "bob", i % 2 == 0 ? "bob" : "alice", null, "h" + i);
        }
        send("carol", "alice", null, "not in this conversation");
        ServerFrame.HistoryResponse newest = queries.history("alice", "bob", null, 2);
        assertThat(newest.messages()).map(ServerFrame.Message.class::cast).extracting(ServerFrame.Message::content).containsExactly("h3", "h4");
        assertThat(newest.hasMore()).isTrue();
        ServerFrame.HistoryResponse older = queries.history("alice", "bob", newest.messages().get(0).msgId(), 5);
        assertThat(older.messages()).map(ServerFrame.Message.class::cast).extracting(ServerFrame.Message::content).containsExactly("h0", "h1", "h2");
        assertThat(older.hasMore()).isFalse();
    }

    @Test
    void conversationsListMostRecentFirstWithUnreadAboveTheMarker() {
        send("bob", "alice", null, "b1");
        long b2 = send("bob", "alice", null, "b2").message().msgId();
        send("bob", "alice", null, "b3");
        send("alice", "carol", null, "c1");
        writer.apply(List.of(new Write.MarkRead("alice", "bob", b2)));
        List<MessageQueries.Conversation> list = queries.conversations("alice", 10);
        assertThat(list).extracting(MessageQueries.Conversation::peer).containsExactly("carol", "bob");
        assertThat(list.get(1).unread()).isEqualTo(1);
        assertThat(list.get(1).last().content()).isEqualTo("b3");
        assertThat(list.get(0).unread()).isZero();
    }

    @Test
    void contactListsAreBoundedAndRemovalKeepsTheConversation() {
        assertThat(writer.apply(List.of(new Write.ChangeContact("alice", "bob", true, 1))).get(0)).isEqualTo(new Written.Contact(true));
        assertThat(writer.apply(List.of(new Write.ChangeContact("alice", "bob", true, 1))).get(0)).isEqualTo(new Written.Contact(false));
        assertThat(writer.apply(List.of(new Write.ChangeContact("alice", "carol", true, 1))).get(0))
                .isInstanceOf(Written.Refused.class);
        assertThat(writer.apply(List.of(new Write.ChangeContact("alice", "ghost", true, 10))).get(0))
                .isEqualTo(new Written.Refused("unknown_user", "user 'ghost' does not exist"));
        send("alice", "bob", null, "hi");
        writer.apply(List.of(new Write.ChangeContact("alice", "bob", false, 1)));
        assertThat(queries.contacts("alice")).isEmpty();
        assertThat(queries.conversations("alice", 10)).extracting(MessageQueries.Conversation::peer).containsExactly("bob");
        send("bob", "alice", null, "still here?"); // a removal is not undone by the next message
        assertThat(queries.contacts("alice")).isEmpty();
    }

    @Test
    void receiptsWaitForEachDeviceThatDidNotGetThemLive() {
        writer.apply(List.of(new Write.DefaultDeviceSeen("alice", 50)));
        users.deviceLoggedIn("alice", "laptop", null, 60, 0);
        users.deviceLoggedIn("alice", "phone", null, 70, 0);
        ServerFrame.Receipt delivered = new ServerFrame.Receipt(5L, "c", "bob", "delivered", null, 10);
        ServerFrame.Receipt read = new ServerFrame.Receipt(null, null, "bob", "read", 5L, 11);
        ServerFrame.Receipt groupRead = ServerFrame.Receipt.forGroup("g-1", null, null, "read", 5L, 12);
        List<Written> kept = writer.apply(List.of(new Write.KeepReceipt("alice", delivered, Set.of()),
                new Write.KeepReceipt("alice", read, Set.of("phone")),
                new Write.KeepReceipt("alice", groupRead, Set.of("phone"))));
        assertThat(kept).containsExactly(new Written.Kept(3), new Written.Kept(2), new Written.Kept(1));

        assertThat(receipts("alice", "default")).as("a group's receipt waits for level 3 devices only")
                .containsExactly(delivered, read);
        assertThat(receipts("alice", "laptop")).containsExactly(delivered, read, groupRead);
        assertThat(receipts("alice", "phone")).as("the phone had the others live").containsExactly(delivered);

        List<MessageQueries.StoredReceipt> laptops = queries.receipts("alice", "laptop", 0, 10);
        writer.apply(List.of(new Write.DropReceipts("alice", "laptop", laptops.get(1).receiptId())));
        assertThat(receipts("alice", "laptop")).as("dropped up to what was sent").containsExactly(groupRead);
        assertThat(receipts("alice", "default")).as("another device's stay").containsExactly(delivered, read);

        users.forgetDevice("alice", "default");
        assertThat(receipts("alice", "default")).isEmpty();
        assertThat(writer.apply(List.of(new Write.KeepReceipt("alice", read, Set.of("laptop", "phone")))))
                .as("every known device had it live: nothing kept").containsExactly(new Written.Kept(0));
        assertThat(writer.apply(List.of(new Write.KeepReceipt("carol", read, Set.of()))))
                .as("a user with no known device keeps nothing").containsExactly(new Written.Kept(0));
    }

    private List<ServerFrame.Receipt> receipts(String user, String device) {
        return queries.receipts(user, device, 0, 10).stream().map(MessageQueries.StoredReceipt::receipt).toList();
    }

    /** Makes inserts of content 'poison' fail, in the dialect under test. */
    abstract void poisonInserts(Database db) throws Exception;

    @Test
    void aFailedBatchLeavesNothingBehind() throws Exception {
        send("alice", "bob", "before", "kept");
        poisonInserts(db);
        assertThatThrownBy(() -> writer.apply(List.of(
                new Write.Send("alice", "bob", "x1", "fine"),
                new Write.Send("alice", "bob", "x2", "poison"))))
                .isInstanceOf(StoreUnavailable.class);
        assertThat(queries.pending("bob", 0, 10)).extracting(ServerFrame.Message::content).containsExactly("kept");
        assertThat(send("alice", "bob", "x1", "fine").duplicate()).isFalse(); // and the writer still works
    }

    @Test
    void accountsAndTokens() {
        assertThat(users.insertUser("alice", "other", 2)).isFalse();
        assertThat(users.readPasswordHash("alice")).isEqualTo("hash-alice");
        assertThat(users.readPasswordHash("nobody")).isNull();
        users.insertToken("t1", "alice", "default", false, 100, 200);
        assertThat(users.readTokenOwner("t1", 150)).isEqualTo(new UserStore.TokenOwner("alice", "default"));
        assertThat(users.readTokenOwner("t1", 200)).isNull();
        users.deleteToken("t1");
        assertThat(users.readTokenOwner("t1", 150)).isNull();
    }

    @Test
    void aLevelThreeDeviceHasOneTokenAndLevelsOneAndTwoKeepSeveral() {
        users.insertToken("d1", "alice", "default", false, 100, 900);
        users.insertToken("d2", "alice", "default", false, 100, 900);
        users.insertToken("l1", "alice", "laptop", true, 100, 900);
        users.insertToken("l2", "alice", "laptop", true, 110, 900);
        assertThat(users.readTokenOwner("d1", 150)).isNotNull();
        assertThat(users.readTokenOwner("d2", 150)).isNotNull();
        assertThat(users.readTokenOwner("l1", 150)).isNull();
        assertThat(users.readTokenOwner("l2", 150)).isEqualTo(new UserStore.TokenOwner("alice", "laptop"));
    }

    @Test
    void aDeviceUnseenPastTheLimitIsForgottenWithItsTokenAtTheNextLogin() {
        users.deviceLoggedIn("alice", "old", "Old laptop", 100, 0);
        users.insertToken("old-token", "alice", "old", true, 100, 10_000);
        users.deviceLoggedIn("alice", "desk", null, 5_000, 1_000);
        assertThat(users.devices("alice")).extracting(UserStore.DeviceRow::device).contains("desk").doesNotContain("old");
        assertThat(users.readTokenOwner("old-token", 5_000)).isNull();
        users.deviceLoggedIn("alice", "desk", "Desk", 6_000, 1_000);
        assertThat(users.devices("alice")).filteredOn(d -> d.device().equals("desk"))
                .containsExactly(new UserStore.DeviceRow("desk", "Desk", 6_000L));
    }

    /** The same database again, as a restarted node opens it. */
    abstract Database reopen(Path dir);

    @Test
    void reopeningTheDatabaseKeepsEverythingAndMigratesNothingTwice() {
        send("alice", "bob", "p", "persisted");
        db.close();
        db = reopen(dir);
        assertThat(new MessageQueries(db).pending("bob", 0, 10)).extracting(ServerFrame.Message::content)
                .containsExactly("persisted");
    }

    @Test
    void aRestartIndexesTheTailItFindsAndResendsStayIdempotent() throws Exception {
        Written.Accepted first = send("alice", "bob", "r-1", "before the crash");
        send("bob", "alice", "r-2", "answer");
        // no flush and no clean stop: the writer's tail in memory is gone, the log has it all
        db.close();
        db = reopen(dir);
        writer = new MessageWriter(db, Clock.systemUTC(), 1000, flushAt());
        queries = new MessageQueries(db);
        Written.Accepted again = send("alice", "bob", "r-1", "before the crash");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.message().msgId()).isEqualTo(first.message().msgId());
        try (var c = db.reader(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM messages WHERE indexed = 0")) {
            rs.next();
            assertThat(rs.getLong(1)).as("indexed by the first commit after the restart").isZero();
        }
        assertThat(queries.history("alice", "bob", null, 10).messages()).map(ServerFrame.Message.class::cast).extracting(ServerFrame.Message::content)
                .containsExactly("before the crash", "answer");
    }

    @Test
    void resendsInsideOneBatchAndAcrossFlushesAnswerTheFirstCopy() {
        List<Written> out = writer.apply(List.of(
                new Write.Send("alice", "bob", "d-1", "once"),
                new Write.Send("alice", "bob", "d-1", "once")));
        long id = ((Written.Accepted) out.get(0)).message().msgId();
        assertThat(((Written.Accepted) out.get(1)).duplicate()).isTrue();
        assertThat(((Written.Accepted) out.get(1)).message().msgId()).isEqualTo(id);
        for (int i = 0; i < 5; i++) {
            send("carol", "bob", "f-" + i, "filler " + i); // past any small tail: d-1 is indexed by now
        }
        assertThat(send("alice", "bob", "d-1", "once").message().msgId()).isEqualTo(id);
        assertThat(queries.pending("bob", 0, 100)).hasSize(6);
        assertThat(queries.conversations("bob", 10)).extracting(MessageQueries.Conversation::peer, MessageQueries.Conversation::unread)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("carol", 5L), org.assertj.core.groups.Tuple.tuple("alice", 1L));
    }

    @Test
    void aGenerationMovesAPiecePerCommitAndARestartMidwayLosesAndDoublesNothing() throws Exception {
        writer = new MessageWriter(db, Clock.systemUTC(), 1000, 8);
        assertThat(users.insertUser("dave", "hash-dave", 1)).isTrue();
        List<String> peers = List.of("bob", "carol", "dave");
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) { // one message per commit: generations of 8+ start and move a quarter at a time
            ids.add(send("alice", peers.get(i % 3), "g-" + i, "m" + i).message().msgId());
        }
        long unindexed = count("SELECT COUNT(*) FROM messages WHERE indexed = 0");
        assertThat(unindexed).as("a generation is in motion, part of it still in the tail").isBetween(1L, 29L);
        db.close(); // mid-generation, without a clean stop
        db = reopen(dir);
        writer = new MessageWriter(db, Clock.systemUTC(), 1000, 8);
        queries = new MessageQueries(db);
        for (int i = 0; i < 30; i++) {
            Written.Accepted again = send("alice", peers.get(i % 3), "g-" + i, "m" + i);
            assertThat(again.duplicate()).as("resend %d after the restart", i).isTrue();
            assertThat(again.message().msgId()).isEqualTo(ids.get(i));
        }
        assertThat(count("SELECT COUNT(*) FROM conversation_log")).isEqualTo(30);
        assertThat(count("SELECT COUNT(*) FROM client_ids WHERE sender = 'alice'")).isEqualTo(30);
        for (String peer : peers) {
            assertThat(queries.history("alice", peer, null, 50).messages()).hasSize(10);
        }
    }

    private long count(String sql) throws Exception {
        try (var c = db.reader(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void userSearchMatchesPrefixesByteByByteInBothDialects() {
        for (String u : List.of("al", "al.x", "al_y", "alz", "am", "a-b")) {
            users.insertUser(u, "x", 1);
        }
        assertThat(queries.usersByPrefix("al", null, 10)).extracting(MessageQueries.UserRow::username)
                .containsExactly("al", "al.x", "al_y", "alice", "alz");
        assertThat(queries.usersByPrefix("al", "al.x", 2)).extracting(MessageQueries.UserRow::username)
                .containsExactly("al_y", "alice");
    }

    @Test
    void aDevicesStreamHoldsItsDirectMessagesAndItsGroupsWhileItWasAMemberInMsgIdOrder() {
        DeviceStream stream = new DeviceStream(db);
        users.deviceLoggedIn("carol", "desk", null, 1, 0);
        users.deviceLoggedIn("alice", "laptop", null, 1, 0);
        writer.apply(List.of(new Write.CreateGroup("g-1", "Team", "alice", "t", List.of("bob", "carol"))));
        long group1 = ((Written.Accepted) writer.apply(List.of(new Write.GroupSend("g-1", "alice", "laptop", "a1", "to all")))
                .get(0)).message().msgId();
        long direct = send("bob", "carol", "b1", "just you").message().msgId();
        long own = ((Written.Accepted) writer.apply(List.of(new Write.Send("carol", "bob", "c1", "from the desk", "desk")))
                .get(0)).message().msgId();
        long fromPhone = ((Written.Accepted) writer.apply(List.of(new Write.Send("carol", "bob", "c2", "from the phone", "phone")))
                .get(0)).message().msgId();
        writer.apply(List.of(new Write.ChangeGroup("g-1", "alice", List.of(new Write.Removed(List.of("carol"), false)))));
        long afterRemoval = ((Written.Accepted) writer.apply(List.of(new Write.GroupSend("g-1", "alice", "laptop", "a2", "not carol")))
                .get(0)).message().msgId();

        DeviceStream.Page page = stream.read("carol", "desk", 0, 100, 1000);
        List<Long> ids = page.deliveries().stream().map(ServerFrame.Delivery::msgId).toList();
        assertThat(ids).as("created event, the group's message, the direct one, the copy from the phone, the removal")
                .hasSize(5).isSorted().contains(group1, direct, fromPhone).doesNotContain(own, afterRemoval);
        assertThat(page.deliveries().get(0)).isInstanceOf(ServerFrame.GroupEvent.class);
        assertThat(page.truncated()).isFalse();
        assertThat(stream.read("alice", "laptop", 0, 100, 1000).deliveries())
                .as("a member still in the group: its events, and not its own messages from the device that sent them")
                .hasSize(2).allMatch(d -> d instanceof ServerFrame.GroupEvent);
    }

    /**
     * The device `default` reads its pending messages and what a level 3 device acked while it was
     * away as one stream: interleaved, paged two at a time, every one once and in msg_id order;
     * nothing of a group, no copy, nothing below its position.
     */
    @Test
    void theDefaultDeviceReplaysItsPendingAndWhatAnotherDeviceAckedInOnePagedStream() {
        DefaultDeviceReplay replay = new DefaultDeviceReplay(queries, new DeviceStream(db));
        long before = send("bob", "carol", "b0", "before default was seen").message().msgId();
        writer.apply(List.of(new Write.MarkDelivered("carol", List.of(before))));
        assertThat(replay.page("carol", 0, 10)).as("no level 3 device yet: pending only").isEmpty();

        writer.apply(List.of(new Write.DefaultDeviceSeen("carol", 1))); // at the newest message
        users.deviceLoggedIn("carol", "desk", null, 1, 0);
        writer.apply(List.of(new Write.CreateGroup("g-1", "Team", "alice", "t", List.of("carol"))));
        List<Long> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long acked = send("bob", "carol", "b" + (2 * i + 1), "the desk acked this").message().msgId();
            writer.apply(List.of(new Write.MarkDelivered("carol", List.of(acked))));
            long waiting = send("alice", "carol", "a" + i, "no device has this").message().msgId();
            expected.add(acked);
            expected.add(waiting);
            writer.apply(List.of(new Write.GroupSend("g-1", "alice", null, "g" + i, "a group's: not for default")));
            writer.apply(List.of(new Write.Send("carol", "bob", "c" + i, "a copy: not for default", "desk")));
        }

        List<Long> got = new java.util.ArrayList<>();
        long cursor = 0;
        for (List<ServerFrame.Message> page = replay.page("carol", 0, 2); !page.isEmpty(); page = replay.page("carol", cursor, 2)) {
            assertThat(page.size()).as("a page is short only at the end").isLessThanOrEqualTo(2);
            page.forEach(m -> assertThat(m.receiver()).isEqualTo("carol"));
            page.forEach(m -> got.add(m.msgId()));
            cursor = page.get(page.size() - 1).msgId();
            if (page.size() < 2) {
                break;
            }
        }
        assertThat(got).containsExactlyElementsOf(expected).doesNotContain(before);
    }
}
