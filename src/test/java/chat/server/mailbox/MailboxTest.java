package chat.server.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ServerFrame;
import chat.server.WorkPools;
import chat.server.presence.Presence;
import chat.server.store.BatchWriter;
import chat.server.store.Database;
import chat.server.store.MessageQueries;
import chat.server.store.MessageWriter;
import chat.server.store.StoreUnavailable;
import chat.server.store.UserStore;
import chat.server.testing.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.Done;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistence actor against a real SQLite store, with a writer thread the test can hold back. */
class MailboxTest {

    private static final ActorTestKit kit = ActorTestKit.create();

    @TempDir
    Path dir;

    private Database db;
    private ExecutorService writerThread;
    private ExecutorService readers;
    private final Map<String, TestProbe<Presence.Command>> presence = new ConcurrentHashMap<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private ActorRef<Mailbox.Command> mailbox;
    private MessageQueries queries;

    @BeforeEach
    void start() {
        db = Stores.open(dir);
        UserStore users = new UserStore(db);
        for (String u : List.of("alice", "bob")) {
            users.insertUser(u, "x", 1);
            users.deviceLoggedIn(u, "laptop", null, 1, 0);
        }
        writerThread = Executors.newSingleThreadExecutor();
        readers = Executors.newFixedThreadPool(2);
        queries = new MessageQueries(db);
        MessageWriter real = new MessageWriter(db, Clock.systemUTC(), 100);
        BatchWriter recording = writes -> {
            batchSizes.add(writes.size());
            if (failing.get()) {
                throw new StoreUnavailable("disk full (simulated)", null);
            }
            return real.apply(writes);
        };
        mailbox = kit.spawn(Mailbox.create(recording, queries, new WorkPools(writerThread, readers, readers), 1000,
                user -> probe(user).ref(), Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        kit.stop(mailbox);
        writerThread.shutdownNow();
        readers.shutdownNow();
        db.close();
    }

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private TestProbe<Presence.Command> probe(String user) {
        return presence.computeIfAbsent(user, u -> kit.createTestProbe("presence-" + u));
    }

    /** Holds the store-writer thread until the returned latch is counted down. */
    private CountDownLatch holdWriter() {
        CountDownLatch gate = new CountDownLatch(1);
        writerThread.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return gate;
    }

    private Mailbox.Send send(String from, String to, String id, TestProbe<Mailbox.SendOutcome> replyTo) {
        return new Mailbox.Send(from, to, id, "hello " + id, replyTo.ref());
    }

    @Test
    void anAckIsSentOnlyOnceTheMessageIsCommitted() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        CountDownLatch gate = holdWriter();
        mailbox.tell(send("alice", "bob", "c1", sender));
        sender.expectNoMessage(Duration.ofMillis(300));
        assertThat(queries.pending("bob", 0, 10)).isEmpty();
        gate.countDown();
        Mailbox.Stored stored = sender.expectMessageClass(Mailbox.Stored.class);
        // by the time the ack exists, another connection reads the message
        assertThat(queries.pending("bob", 0, 10)).extracting(ServerFrame.Message::msgId)
                .containsExactly(stored.ack().msgId());
        assertThat(stored.ack().id()).isEqualTo("c1");
        Presence.Deliver deliver = probe("bob").expectMessageClass(Presence.Deliver.class);
        assertThat(deliver.delivery().msgId()).isEqualTo(stored.ack().msgId());
    }

    @Test
    void messagesThatWaitTogetherShareOneCommit() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        CountDownLatch gate = holdWriter();
        for (int i = 0; i < 100; i++) {
            mailbox.tell(send("alice", "bob", "m" + i, sender));
        }
        TestProbe<Mailbox.PendingPage> fetched = kit.createTestProbe();
        mailbox.tell(new Mailbox.FetchPending("bob", 0, 1000, fetched.ref())); // waits for the 100 writes
        gate.countDown();
        long previous = 0;
        for (int i = 0; i < 100; i++) {
            long id = sender.expectMessageClass(Mailbox.Stored.class).ack().msgId();
            assertThat(id).isGreaterThan(previous);
            previous = id;
        }
        assertThat(fetched.receiveMessage().messages()).hasSize(100);
        // the first went alone (nothing was committing); the other 99 gathered while it waited, and
        // with them the fetch's row of bob's device `default` (a level 1 or 2 login is that device)
        assertThat(batchSizes).containsExactly(1, 100);
    }

    @Test
    void aResendIsAnsweredWithTheFirstAckAndDeliveredOnce() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        mailbox.tell(send("alice", "bob", "dup", sender));
        Mailbox.Stored first = sender.expectMessageClass(Mailbox.Stored.class);
        mailbox.tell(send("alice", "bob", "dup", sender));
        assertThat(sender.expectMessageClass(Mailbox.Stored.class)).isEqualTo(first);
        probe("bob").expectMessageClass(Presence.Deliver.class);
        probe("bob").expectMessageClass(Presence.ContactChanged.class); // the first message made them contacts
        probe("bob").expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aFailedCommitRefusesItsMessagesAndTheNextOneSucceeds() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        failing.set(true);
        mailbox.tell(send("alice", "bob", "f1", sender));
        Mailbox.Refused refused = sender.expectMessageClass(Mailbox.Refused.class);
        assertThat(refused.error().code()).isEqualTo("store_unavailable");
        assertThat(refused.error().id()).isEqualTo("f1");
        probe("bob").expectNoMessage(Duration.ofMillis(200));
        failing.set(false);
        mailbox.tell(send("alice", "bob", "f1", sender));
        sender.expectMessageClass(Mailbox.Stored.class);
    }

    @Test
    void unknownReceiversAreRefused() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        mailbox.tell(send("alice", "nobody", "u1", sender));
        assertThat(sender.expectMessageClass(Mailbox.Refused.class).error().code()).isEqualTo("unknown_user");
    }

    @Test
    void theSecondAndThirdDevicesAcksOfAMessageCostNoWriteUntilItIsPendingAgain() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        mailbox.tell(send("alice", "bob", "d1", sender));
        long id = sender.expectMessageClass(Mailbox.Stored.class).ack().msgId();
        TestProbe<Done> acked = kit.createTestProbe();
        mailbox.tell(new Mailbox.MarkDelivered("bob", List.of(id), acked.ref()));
        acked.expectMessage(Done.getInstance());
        int writesAfterFirst = batchSizes.stream().mapToInt(Integer::intValue).sum();
        for (int device = 2; device <= 3; device++) {
            mailbox.tell(new Mailbox.MarkDelivered("bob", List.of(id), acked.ref()));
            acked.expectMessage(Done.getInstance()); // each session's ack is answered, its reading goes on
        }
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).as("no write for the same message again")
                .isEqualTo(writesAfterFirst);

        // a level 1 write the kernel never sent: pending again, and the next ack marks it again
        mailbox.tell(new Mailbox.MarkPending("bob", List.of(id)));
        mailbox.tell(new Mailbox.MarkDelivered("bob", List.of(id), acked.ref()));
        acked.expectMessage(Done.getInstance());
        assertThat(queries.pending("bob", 0, 10)).isEmpty();
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(writesAfterFirst + 2);
    }

    @Test
    void deliveryAndReadMarksBecomeReceiptsForTheSender() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        mailbox.tell(send("alice", "bob", "r1", sender));
        long id = sender.expectMessageClass(Mailbox.Stored.class).ack().msgId();
        Presence.Deliver copy = probe("alice").expectMessageClass(Presence.Deliver.class);
        assertThat(copy.delivery().msgId()).isEqualTo(id);
        assertThat(copy.exceptDevice()).as("the copy skips the device it came from").isEqualTo("default");
        probe("alice").expectMessageClass(Presence.ContactChanged.class); // first message: now contacts
        mailbox.tell(new Mailbox.MarkDelivered("bob", List.of(id)));
        Presence.Notify delivered = probe("alice").expectMessageClass(Presence.Notify.class);
        ServerFrame.Receipt r = (ServerFrame.Receipt) delivered.frame();
        assertThat(r.status()).isEqualTo("delivered");
        assertThat(r.msgId()).isEqualTo(id);
        assertThat(r.id()).isEqualTo("r1");
        assertThat(r.peer()).isEqualTo("bob");
        mailbox.tell(new Mailbox.MarkDelivered("bob", List.of(id))); // a second ack changes nothing
        mailbox.tell(new Mailbox.MarkRead("bob", "alice", id, "laptop"));
        ServerFrame.Receipt read = (ServerFrame.Receipt) probe("alice").expectMessageClass(Presence.Notify.class).frame();
        assertThat(read.status()).isEqualTo("read");
        assertThat(read.upTo()).isEqualTo(id);
        probe("bob").expectMessageClass(Presence.Deliver.class);
        probe("bob").expectMessageClass(Presence.ContactChanged.class);
        Presence.Notify marker = probe("bob").expectMessageClass(Presence.Notify.class);
        assertThat(marker.frame()).isEqualTo(new ServerFrame.ReadMarker("alice", null, id));
        assertThat(marker.exceptDevice()).as("the device that read needs no marker").isEqualTo("laptop");
    }

    @Test
    void aReadSeesEveryWriteEnqueuedBeforeIt() {
        CountDownLatch gate = holdWriter();
        ServerFrame.Receipt receipt = new ServerFrame.Receipt(1L, "x", "bob", "delivered", null, 5);
        mailbox.tell(new Mailbox.KeepReceipt("alice", receipt, Set.of()));
        TestProbe<Mailbox.ReceiptPage> page = kit.createTestProbe();
        mailbox.tell(new Mailbox.FetchReceipts("alice", "laptop", 0, 10, page.ref()));
        page.expectNoMessage(Duration.ofMillis(200));
        gate.countDown();
        assertThat(page.receiveMessage().receipts()).extracting(Mailbox.KeptReceipt::receipt)
                .containsExactly(receipt);
    }

    @Test
    void flushAnswersOnceEverythingBeforeItIsCommitted() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        TestProbe<org.apache.pekko.Done> flushed = kit.createTestProbe();
        CountDownLatch gate = holdWriter();
        mailbox.tell(send("alice", "bob", "s1", sender));
        mailbox.tell(new Mailbox.Flush(flushed.ref()));
        flushed.expectNoMessage(Duration.ofMillis(200));
        gate.countDown();
        sender.expectMessageClass(Mailbox.Stored.class);
        flushed.receiveMessage();
    }


    private Long lastSeen(String user, String device) {
        return new UserStore(db).devices(user).stream().filter(d -> d.device().equals(device)).findFirst()
                .orElseThrow().lastSeen();
    }

    @Test
    void aDevicesPeriodicPositionWaitsForTheNextCommitAndSharesIt() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        mailbox.tell(new Mailbox.MovePosition("bob", "laptop", 1, 4242, true));
        mailbox.tell(send("alice", "bob", "p1", sender));
        sender.expectMessageClass(Mailbox.Stored.class);
        // one commit for both, not one each (the writer was idle: each would have gone alone)
        assertThat(batchSizes).containsExactly(2);
        assertThat(lastSeen("bob", "laptop")).isEqualTo(4242L);
    }

    @Test
    void aDeferredPositionWithNothingToShareIsCommittedOnItsOwn() {
        mailbox.tell(new Mailbox.MovePosition("bob", "laptop", 1, 4242, true));
        kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            assertThat(lastSeen("bob", "laptop")).isEqualTo(4242L);
            return null;
        });
        assertThat(batchSizes).containsExactly(1);
    }

    @Test
    void aReadAfterADeferredPositionSeesIt() {
        TestProbe<Done> flushed = kit.createTestProbe();
        mailbox.tell(new Mailbox.MovePosition("bob", "laptop", 1, 4242, true));
        mailbox.tell(new Mailbox.Flush(flushed.ref()));
        flushed.receiveMessage();
        // the flush took it along: it answered only once the position was committed
        assertThat(lastSeen("bob", "laptop")).isEqualTo(4242L);
    }

    @Test
    void aSessionsLastPositionIsNotDeferred() {
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        CountDownLatch gate = holdWriter();
        mailbox.tell(new Mailbox.MovePosition("bob", "laptop", 1, 4242, false));
        mailbox.tell(send("alice", "bob", "p2", sender));
        gate.countDown();
        sender.expectMessageClass(Mailbox.Stored.class);
        // the last position went at once; the message, arriving while it committed, after it
        assertThat(batchSizes).containsExactly(1, 1);
    }
}
