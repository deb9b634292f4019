package chat.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ServerFrame;
import chat.server.Settings;
import chat.server.WorkPools;
import chat.server.mailbox.Mailbox;
import chat.server.mailbox.Mailboxes;
import chat.server.store.Database;
import chat.server.store.MessageQueries;
import chat.server.store.MessageWriter;
import chat.server.store.UserStore;
import chat.server.store.Write;
import chat.server.testing.Stores;
import chat.server.testing.TestSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One user's Presence entity, its peers replaced by probes, its contacts read from a real store. */
class PresenceTest {

    private static final ActorTestKit kit = ActorTestKit.create();
    private static final Duration TTL = Duration.ofMillis(400);

    @TempDir
    Path dir;

    private Database db;
    private ExecutorService readers;
    private final Map<String, TestProbe<Presence.Command>> peers = new ConcurrentHashMap<>();
    private TestProbe<Mailbox.Command> mailbox;
    private TestProbe<Roster.Command> roster;
    private Presence.Dependencies deps;

    @BeforeEach
    void setUp() {
        db = Stores.open(dir);
        UserStore users = new UserStore(db);
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            users.insertUser(u, "x", 1);
        }
        // alice lists bob; carol lists alice; dave knows nobody
        new MessageWriter(db, Clock.systemUTC(), 100).apply(List.of(
                new Write.ChangeContact("alice", "bob", true, 10), new Write.ChangeContact("carol", "alice", true, 10)));
        readers = Executors.newFixedThreadPool(2);
        mailbox = kit.createTestProbe();
        roster = kit.createTestProbe();
        Settings settings = TestSettings.with(Map.of("chat.typing.ttl", TTL.toMillis() + "ms", "chat.typing.max-targets", 2,
                "chat.limits.max-devices", 2));
        Mailboxes mailboxes = Mailboxes.local(List.of(mailbox.ref()));
        Presence.Store store = new Presence.Store() { // as the node wires it: through the user's Mailbox partition
            @Override
            public void lastSeen(String user, long ts) {
                mailboxes.of(user).tell(new Mailbox.RecordLastSeen(user, ts));
            }

            @Override
            public void keepReceipt(String user, ServerFrame.Receipt receipt, Set<String> reached) {
                mailboxes.of(user).tell(new Mailbox.KeepReceipt(user, receipt, reached));
            }
        };
        deps = new Presence.Dependencies(settings, store, roster.ref(), new MessageQueries(db),
                new WorkPools(readers, readers, readers), Clock.systemUTC(), user -> peer(user).ref());
    }

    @AfterEach
    void tearDown() {
        readers.shutdownNow();
        db.close();
    }

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private TestProbe<Presence.Command> peer(String user) {
        return peers.computeIfAbsent(user, u -> kit.createTestProbe("peer-" + u));
    }

    private ActorRef<Presence.Command> spawn(String user) {
        return kit.spawn(Presence.create(user, self -> { }, deps));
    }

    private static ServerFrame frame(Presence.Command c) {
        return ((Presence.Notify) c).frame();
    }

    @Test
    void goingOnlineAndOfflineIsAnnouncedToContactsOnly() {
        ActorRef<Presence.Command> alice = spawn("alice");
        TestProbe<SessionNotice> session = kit.createTestProbe();
        alice.tell(new Presence.Connect(session.ref(), 2));
        session.expectMessageClass(SessionNotice.Connected.class);
        assertThat(roster.expectMessageClass(Roster.Online.class).user()).isEqualTo("alice");
        for (String watcher : List.of("bob", "carol")) {
            ServerFrame.UserStatus s = (ServerFrame.UserStatus) frame(peer(watcher).receiveMessage());
            assertThat(s).isEqualTo(new ServerFrame.UserStatus("alice", "online", null));
        }
        peer("dave").expectNoMessage(Duration.ofMillis(200));

        alice.tell(new Presence.Disconnect(session.ref()));
        ServerFrame.UserStatus off = (ServerFrame.UserStatus) frame(peer("bob").receiveMessage());
        assertThat(off.status()).isEqualTo("offline");
        assertThat(off.lastSeen()).isNotNull();
        assertThat(((ServerFrame.UserStatus) frame(peer("carol").receiveMessage())).lastSeen()).isEqualTo(off.lastSeen());
        assertThat(mailbox.expectMessageClass(Mailbox.RecordLastSeen.class).ts()).isEqualTo(off.lastSeen());
        assertThat(roster.expectMessageClass(Roster.Offline.class).lastSeen()).isEqualTo(off.lastSeen());
        peer("dave").expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aSecondSessionTakesOverAndTheFirstOnesEndIsIgnored() {
        ActorRef<Presence.Command> alice = spawn("alice");
        TestProbe<SessionNotice> first = kit.createTestProbe();
        TestProbe<SessionNotice> second = kit.createTestProbe();
        alice.tell(new Presence.Connect(first.ref(), 2));
        first.expectMessageClass(SessionNotice.Connected.class);
        peer("bob").receiveMessage(); // online
        alice.tell(new Presence.Connect(second.ref(), 2));
        first.expectMessageClass(SessionNotice.Replaced.class);
        second.expectMessageClass(SessionNotice.Connected.class);
        alice.tell(new Presence.Disconnect(first.ref()));
        peer("bob").expectNoMessage(Duration.ofMillis(200)); // still online, through the second session

        ServerFrame.Message m = new ServerFrame.Message(9, null, "bob", "alice", "hi", "t", 1, null);
        alice.tell(new Presence.Deliver(m));
        assertThat(second.expectMessageClass(SessionNotice.Deliver.class).delivery()).isEqualTo(m);
        first.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aStoppedSessionIsNoticedWithoutADisconnect() {
        ActorRef<Presence.Command> alice = spawn("alice");
        TestProbe<SessionNotice> session = kit.createTestProbe();
        alice.tell(new Presence.Connect(session.ref(), 2));
        peer("bob").receiveMessage();
        session.stop();
        assertThat(((ServerFrame.UserStatus) frame(peer("bob").receiveMessage())).status()).isEqualTo("offline");
    }

    @Test
    void typingNotifiesOnTransitionsOnlyAndExpiresWithoutRefresh() {
        ActorRef<Presence.Command> alice = spawn("alice");
        alice.tell(new Presence.StartTyping("bob"));
        assertThat(frame(peer("bob").receiveMessage())).isEqualTo(new ServerFrame.TypingNotification("alice", "typing"));
        alice.tell(new Presence.StartTyping("bob")); // a refresh: nobody is told
        peer("bob").expectNoMessage(TTL.dividedBy(2));
        assertThat(frame(peer("bob").receiveMessage(TTL.multipliedBy(3))))
                .isEqualTo(new ServerFrame.TypingNotification("alice", "stopped"));
        alice.tell(new Presence.StopTyping("bob")); // not typing any more: silent
        peer("bob").expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void sendingOrStoppingEndsTypingAndTargetsAreCapped() {
        ActorRef<Presence.Command> alice = spawn("alice");
        alice.tell(new Presence.StartTyping("bob"));
        alice.tell(new Presence.StartTyping("carol"));
        alice.tell(new Presence.StartTyping("dave")); // past chat.typing.max-targets (2 here): ignored
        assertThat(frame(peer("bob").receiveMessage())).isEqualTo(new ServerFrame.TypingNotification("alice", "typing"));
        assertThat(frame(peer("carol").receiveMessage())).isEqualTo(new ServerFrame.TypingNotification("alice", "typing"));
        peer("dave").expectNoMessage(Duration.ofMillis(100));
        alice.tell(new Presence.Sent("bob"));
        assertThat(frame(peer("bob").receiveMessage())).isEqualTo(new ServerFrame.TypingNotification("alice", "stopped"));
        alice.tell(new Presence.StopTyping(null)); // the last one typed to: carol
        assertThat(frame(peer("carol").receiveMessage())).isEqualTo(new ServerFrame.TypingNotification("alice", "stopped"));
    }

    @Test
    void receiptsGoToEveryOnlineDeviceAndAreKeptForTheOthersUntilTheStoreSaysThereAreNone() {
        ActorRef<Presence.Command> alice = spawn("alice");
        ServerFrame.Receipt receipt = new ServerFrame.Receipt(3L, "c", "bob", "delivered", null, 7);
        alice.tell(new Presence.Notify(receipt));
        assertThat(mailbox.expectMessageClass(Mailbox.KeepReceipt.class)).isEqualTo(new Mailbox.KeepReceipt("alice", receipt, Set.of()));

        TestProbe<SessionNotice> level1 = kit.createTestProbe();
        alice.tell(new Presence.Connect(level1.ref(), 1));
        level1.expectMessageClass(SessionNotice.Connected.class);
        alice.tell(new Presence.Notify(receipt));
        assertThat(mailbox.expectMessageClass(Mailbox.KeepReceipt.class))
                .as("online, a level 1 connection is reached: it has no receipts to show")
                .isEqualTo(new Mailbox.KeepReceipt("alice", receipt, Set.of("default")));
        level1.expectNoMessage(Duration.ofMillis(100));

        alice.tell(new Presence.AllDevicesReached(Set.of("default"))); // the store kept it for no device
        TestProbe<SessionNotice> laptop = kit.createTestProbe();
        alice.tell(new Presence.Connect(laptop.ref(), 3, "laptop"));
        laptop.expectMessageClass(SessionNotice.Connected.class);
        alice.tell(new Presence.Notify(receipt));
        assertThat(laptop.expectMessageClass(SessionNotice.Push.class)).isEqualTo(new SessionNotice.Push(receipt, false));
        mailbox.expectNoMessage(Duration.ofMillis(200)); // a device that connects is online: still none to keep it for

        alice.tell(new Presence.Disconnect(laptop.ref()));
        alice.tell(new Presence.Notify(receipt));
        assertThat(mailbox.expectMessageClass(Mailbox.KeepReceipt.class)).as("the laptop is offline now")
                .isEqualTo(new Mailbox.KeepReceipt("alice", receipt, Set.of("default")));

        alice.tell(new Presence.AllDevicesReached(Set.of("default", "laptop"))); // an answer from before the laptop left
        alice.tell(new Presence.Notify(receipt));
        assertThat(mailbox.expectMessageClass(Mailbox.KeepReceipt.class)).as("a stale answer changes nothing")
                .isEqualTo(new Mailbox.KeepReceipt("alice", receipt, Set.of("default")));
    }

    @Test
    void aNewContactHearsOfTheNextChange() {
        ActorRef<Presence.Command> dave = spawn("dave");
        TestProbe<SessionNotice> session = kit.createTestProbe();
        dave.tell(new Presence.Connect(session.ref(), 2));
        session.expectMessageClass(SessionNotice.Connected.class);
        peer("alice").expectNoMessage(Duration.ofMillis(200)); // nobody to tell yet
        dave.tell(new Presence.ContactChanged("alice", true));
        dave.tell(new Presence.Disconnect(session.ref()));
        assertThat(((ServerFrame.UserStatus) frame(peer("alice").receiveMessage())).status()).isEqualTo("offline");
    }

    @Test
    void eachDeviceTakesOverOnlyItsOwnSessionAndTheUserIsOfflineWhenTheLastOneGoes() {
        ActorRef<Presence.Command> alice = spawn("alice");
        TestProbe<SessionNotice> laptop = kit.createTestProbe();
        TestProbe<SessionNotice> desk = kit.createTestProbe();
        alice.tell(new Presence.Connect(laptop.ref(), 3, "laptop"));
        laptop.expectMessageClass(SessionNotice.Connected.class);
        alice.tell(new Presence.Connect(desk.ref(), 3, "desk"));
        desk.expectMessageClass(SessionNotice.Connected.class);
        laptop.expectNoMessage(Duration.ofMillis(100)); // another device: no takeover
        assertThat(((ServerFrame.UserStatus) frame(peer("bob").receiveMessage())).status()).isEqualTo("online");
        peer("bob").expectNoMessage(Duration.ofMillis(200)); // once, for the user

        TestProbe<SessionNotice> phone = kit.createTestProbe();
        alice.tell(new Presence.Connect(phone.ref(), 3, "phone"));
        assertThat(phone.expectMessageClass(SessionNotice.TooManyDevices.class).max()).isEqualTo(2);
        TestProbe<SessionNotice> laptopAgain = kit.createTestProbe();
        alice.tell(new Presence.Connect(laptopAgain.ref(), 3, "laptop"));
        laptop.expectMessageClass(SessionNotice.Replaced.class);
        laptopAgain.expectMessageClass(SessionNotice.Connected.class);

        ServerFrame.Message m = new ServerFrame.Message(9, "c", "alice", "bob", "sent from the desk", "t", 1, null);
        alice.tell(new Presence.Deliver(m, "desk")); // the copy of what the desk sent
        assertThat(laptopAgain.expectMessageClass(SessionNotice.Deliver.class).delivery()).isEqualTo(m);
        desk.expectNoMessage(Duration.ofMillis(100));

        alice.tell(new Presence.Disconnect(desk.ref()));
        peer("bob").expectNoMessage(Duration.ofMillis(200)); // the laptop is still online
        alice.tell(new Presence.Disconnect(laptopAgain.ref()));
        assertThat(((ServerFrame.UserStatus) frame(peer("bob").receiveMessage())).status()).isEqualTo("offline");
    }

    @Test
    void aGroupsFramesReachOnlyTheLevelThreeDevicesAndOneToOneMessagesReachEvery() {
        ActorRef<Presence.Command> alice = spawn("alice");
        TestProbe<SessionNotice> seed = kit.createTestProbe();
        TestProbe<SessionNotice> laptop = kit.createTestProbe();
        alice.tell(new Presence.Connect(seed.ref(), 2));
        seed.expectMessageClass(SessionNotice.Connected.class);
        alice.tell(new Presence.Connect(laptop.ref(), 3, "laptop"));
        laptop.expectMessageClass(SessionNotice.Connected.class);

        ServerFrame.Message inGroup = new ServerFrame.Message(10, null, "bob", null, "to the group", "t", 1, null, "g-1");
        alice.tell(new Presence.Deliver(inGroup));
        assertThat(laptop.expectMessageClass(SessionNotice.Deliver.class).delivery()).isEqualTo(inGroup);
        seed.expectNoMessage(Duration.ofMillis(200));
        ServerFrame.Message direct = new ServerFrame.Message(11, null, "bob", "alice", "to alice", "t", 1, null);
        alice.tell(new Presence.Deliver(direct));
        assertThat(seed.expectMessageClass(SessionNotice.Deliver.class).delivery()).isEqualTo(direct);
        assertThat(laptop.expectMessageClass(SessionNotice.Deliver.class).delivery()).isEqualTo(direct);
    }
}
