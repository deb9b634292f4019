package chat.server.groups;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ServerFrame;
import chat.server.Settings;
import chat.server.WorkPools;
import chat.server.mailbox.Mailbox;
import chat.server.mailbox.Mailboxes;
import chat.server.presence.Presence;
import chat.server.store.Database;
import chat.server.store.GroupQueries;
import chat.server.store.MessageQueries;
import chat.server.store.MessageWriter;
import chat.server.store.UserStore;
import chat.server.testing.Stores;
import chat.server.testing.TestSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * The group's owner against a real SQLite store and a real Mailbox partition; the members' Presence
 * are probes, so what each member is sent, and in which order, is what the test reads.
 */
class GroupTest {

    private static final ActorTestKit kit = ActorTestKit.create();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private Database db;
    private ExecutorService writerThread;
    private ExecutorService readers;
    private ActorRef<Mailbox.Command> mailbox;
    private GroupServices services;
    private final Map<String, TestProbe<Presence.Command>> presence = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        db = Stores.open(dir);
        UserStore users = new UserStore(db);
        for (String u : List.of("alice", "bob", "carol", "dave", "erin")) {
            users.insertUser(u, "x", 1);
            users.deviceLoggedIn(u, "d1", null, 1, 0); // each has a level 3 device: receipts wait for all of them
        }
        writerThread = Executors.newSingleThreadExecutor();
        readers = Executors.newFixedThreadPool(2);
        WorkPools pools = new WorkPools(writerThread, readers, readers);
        Clock clock = Clock.systemUTC();
        mailbox = kit.spawn(Mailbox.create(new MessageWriter(db, clock, 1000), new MessageQueries(db), pools, 1000,
                user -> probe(user).ref(), clock));
        Settings settings = TestSettings.with(Map.of("chat.limits.max-group-members", 4));
        services = new GroupServices(settings, Mailboxes.local(List.of(mailbox)), user -> probe(user).ref(),
                new GroupQueries(db), pools, clock);
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

    private ActorRef<Group.Command> group(String id) {
        return kit.spawn(Group.create(id, self -> { }, services));
    }

    private ServerFrame.Group create(ActorRef<Group.Command> group, String clientId, String... members) {
        TestProbe<Group.Reply> reply = kit.createTestProbe();
        group.tell(new Group.Create("alice", "Team", List.of(members), clientId, reply.ref()));
        ServerFrame answer = reply.receiveMessage(WAIT).frame();
        // the first create tells every member, the creator too, through its Presence; a resend answers the asker
        return answer != null ? (ServerFrame.Group) answer : nextNotice("alice", ServerFrame.Group.class);
    }

    private long send(ActorRef<Group.Command> group, String sender, String clientId) {
        TestProbe<Mailbox.SendOutcome> reply = kit.createTestProbe();
        group.tell(new Group.Send(sender, "d1", clientId, "text " + clientId, reply.ref()));
        return ((Mailbox.Stored) reply.receiveMessage(WAIT)).ack().msgId();
    }

    /** The next delivery (message or group event) to `user`'s devices, passing over notices. */
    private ServerFrame.Delivery nextDelivery(String user) {
        while (true) {
            if (probe(user).receiveMessage(WAIT) instanceof Presence.Deliver d) {
                return d.delivery();
            }
        }
    }

    /** The next notice of this type for `user`, passing over everything else. */
    private <T extends ServerFrame> T nextNotice(String user, Class<T> type) {
        while (true) {
            if (probe(user).receiveMessage(WAIT) instanceof Presence.Notify n && type.isInstance(n.frame())) {
                return type.cast(n.frame());
            }
        }
    }

    /** Everything `user` has been sent until the probe stays quiet. */
    private List<Presence.Command> drain(String user) {
        List<Presence.Command> out = new ArrayList<>();
        while (true) {
            try {
                out.add(probe(user).receiveMessage(QUIET));
            } catch (AssertionError quiet) {
                return out;
            }
        }
    }

    private static List<Long> deliveredIds(List<Presence.Command> received) {
        return received.stream().filter(c -> c instanceof Presence.Deliver).map(c -> ((Presence.Deliver) c).delivery().msgId())
                .toList();
    }

    @Test
    void aCreateResentWithItsIdMakesNothingNewAndEveryMemberIsToldOnce() {
        ActorRef<Group.Command> group = group("g-create");
        ServerFrame.Group made = create(group, "c-1", "bob", "carol", "bob");
        assertThat(made.members()).extracting(ServerFrame.Group.Member::username).containsExactly("alice", "bob", "carol");
        assertThat(made.members()).filteredOn(m -> m.role().equals("admin")).extracting(ServerFrame.Group.Member::username)
                .containsExactly("alice");
        ServerFrame.GroupEvent created = (ServerFrame.GroupEvent) nextDelivery("bob");
        assertThat(created.event()).isEqualTo(ServerFrame.GroupEvent.CREATED);
        drain("bob");

        TestProbe<Group.Reply> reply = kit.createTestProbe();
        group.tell(new Group.Create("alice", "Team", List.of("bob", "carol"), "c-1", reply.ref()));
        ServerFrame.Group again = (ServerFrame.Group) reply.receiveMessage(WAIT).frame();
        assertThat(again).as("the resend is answered with the group as it is").isNotNull();
        assertThat(again.groupId()).isEqualTo(made.groupId());
        assertThat(drain("bob")).as("a resent create tells the members nothing").isEmpty();
    }

    @Test
    void aMemberRemovedBeforeAMessageNeverGetsItAndOneAddedAfterNeverGetsWhatCameBefore() {
        ActorRef<Group.Command> group = group("g-order");
        create(group, "c-2", "bob", "carol");
        long first = send(group, "alice", "m-1");
        TestProbe<Group.Reply> changed = kit.createTestProbe();
        TestProbe<Mailbox.SendOutcome> sent = kit.createTestProbe();
        // told one after the other with no wait between: the send must come after the change
        group.tell(new Group.Update("alice", List.of("dave"), List.of("carol"), null, null, changed.ref()));
        group.tell(new Group.Send("alice", "d1", "m-2", "after the change", sent.ref()));
        long second = ((Mailbox.Stored) sent.receiveMessage(WAIT)).ack().msgId();

        List<Long> bob = deliveredIds(drain("bob"));
        List<Long> carol = deliveredIds(drain("carol"));
        List<Long> dave = deliveredIds(drain("dave"));
        assertThat(bob).as("bob stays: the created event, both messages, the two events").hasSize(5).isSorted().contains(first, second);
        assertThat(carol).contains(first).doesNotContain(second);
        assertThat(dave).contains(second).doesNotContain(first);
        assertThat(dave.get(0)).as("dave's first delivery is its added event").isLessThan(second);
    }

    @Test
    void receiptsAreAggregatedOverEveryOtherMemberOfTheMessagesMoment() {
        ActorRef<Group.Command> group = group("g-receipts");
        create(group, "c-3", "bob", "carol");
        long id = send(group, "alice", "m-1");
        drain("alice");
        group.tell(new Group.Delivered("bob", List.of(id)));
        assertThat(drain("alice")).as("carol does not have it yet").isEmpty();
        group.tell(new Group.Delivered("carol", List.of(id)));
        ServerFrame.Receipt delivered = nextNotice("alice", ServerFrame.Receipt.class);
        assertThat(delivered.status()).isEqualTo(ServerFrame.Receipt.DELIVERED);
        assertThat(delivered.msgId()).isEqualTo(id);
        assertThat(delivered.id()).isEqualTo("m-1");

        group.tell(new Group.Read("bob", "d1", id));
        assertThat(drain("alice")).filteredOn(c -> c instanceof Presence.Notify n && n.frame() instanceof ServerFrame.Receipt)
                .as("not read by all yet").isEmpty();
        group.tell(new Group.Read("carol", "d1", id));
        ServerFrame.Receipt read = nextNotice("alice", ServerFrame.Receipt.class);
        assertThat(read.status()).isEqualTo(ServerFrame.Receipt.READ);
        assertThat(read.upTo()).isEqualTo(id);

        TestProbe<Group.Reply> detail = kit.createTestProbe();
        group.tell(new Group.Receipts("alice", id, detail.ref()));
        ServerFrame.GroupReceiptsResponse who = (ServerFrame.GroupReceiptsResponse) detail.receiveMessage(WAIT).frame();
        assertThat(who.delivered()).containsExactlyInAnyOrder("bob", "carol");
        assertThat(who.read()).containsExactlyInAnyOrder("bob", "carol");
    }

    @Test
    void aMessageResentWithItsIdIsAckedWithTheSameMsgIdAndFannedOutOnce() {
        ActorRef<Group.Command> group = group("g-resend");
        create(group, "c-4", "bob");
        long first = send(group, "alice", "m-1");
        long again = send(group, "alice", "m-1");
        assertThat(again).isEqualTo(first);
        assertThat(deliveredIds(drain("bob"))).filteredOn(i -> i == first).hasSize(1);
    }

    @Test
    void aGroupPastTheMemberLimitIsRefusedAndNotStored() {
        ActorRef<Group.Command> group = group("g-big");
        TestProbe<Group.Reply> reply = kit.createTestProbe();
        group.tell(new Group.Create("alice", "Big", List.of("bob", "carol", "dave", "erin"), "c-5", reply.ref()));
        ServerFrame frame = reply.receiveMessage(WAIT).frame();
        assertThat(frame).isInstanceOf(ServerFrame.Error.class);
        assertThat(((ServerFrame.Error) frame).code()).isEqualTo("too_many_members");
        assertThat(new GroupQueries(db).load("g-big")).as("nothing stored").isNull();
        assertThat(drain("bob")).isEmpty();
    }
}
