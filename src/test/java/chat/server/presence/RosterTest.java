package chat.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RosterTest {

    private static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void knowsWhoIsOnlineAndWhenOthersWereLastSeen() {
        ActorRef<Roster.Command> roster = kit.spawn(Roster.create());
        TestProbe<SessionNotice> ann = kit.createTestProbe();
        TestProbe<SessionNotice> bea = kit.createTestProbe();
        TestProbe<SessionNotice> cid = kit.createTestProbe();
        roster.tell(new Roster.Online("ann", ann.ref()));
        roster.tell(new Roster.Online("anna", bea.ref()));
        roster.tell(new Roster.Online("bob", cid.ref()));
        roster.tell(new Roster.Offline("bob", 42));
        TestProbe<Roster.Statuses> reply = kit.createTestProbe();
        roster.tell(new Roster.Lookup(List.of("ann", "bob", "zed"), reply.ref()));
        var statuses = reply.receiveMessage().users();
        assertThat(statuses.get("ann")).isEqualTo(new Roster.Status(true, null));
        assertThat(statuses.get("bob")).isEqualTo(new Roster.Status(false, 42L));
        assertThat(statuses.get("zed")).isEqualTo(new Roster.Status(false, null));

        roster.tell(new Roster.Matching("an", 10, reply.ref()));
        assertThat(reply.receiveMessage().users().keySet()).containsExactly("ann", "anna");
        roster.tell(new Roster.Matching("an", 1, reply.ref()));
        assertThat(reply.receiveMessage().users().keySet()).containsExactly("ann");

        ServerFrame.UserStatus status = new ServerFrame.UserStatus("ann", "online", null);
        roster.tell(new Roster.Broadcast(status, "ann"));
        assertThat(bea.expectMessageClass(SessionNotice.Push.class)).isEqualTo(new SessionNotice.Push(status, true));
        ann.expectNoMessage(Duration.ofMillis(100));
        cid.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aSnapshotInPartsReplacesWhatCameFromItsNodeOnceComplete() {
        ActorRef<Roster.Command> roster = kit.spawn(Roster.create());
        String other = "pekko://chat@127.0.0.1:25521";
        roster.tell(new Roster.Replicated("gone", null, other));
        roster.tell(new Roster.Snapshot(other, 5, 0, 2, List.of("u1")));
        assertThat(online(roster, "gone", "u1", "u2")).containsExactly("gone", "u1"); // incomplete: nothing forgotten yet
        roster.tell(new Roster.Snapshot(other, 4, 1, 2, List.of("old"))); // a late part of an older snapshot
        roster.tell(new Roster.Snapshot(other, 5, 1, 2, List.of("u2")));
        assertThat(online(roster, "gone", "u1", "u2", "old")).containsExactly("u1", "u2");

        roster.tell(new Roster.Snapshot(other, 6, 0, 1, List.of())); // that node has nobody left
        assertThat(online(roster, "u1", "u2")).isEmpty();
    }

    @Test
    void aBroadcastReachesTheSessionsOfThisNodeAndASpreadOneFromAnotherNodeToo() {
        ActorRef<Roster.Command> roster = kit.spawn(Roster.create());
        TestProbe<SessionNotice> ann = kit.createTestProbe();
        TestProbe<SessionNotice> bea = kit.createTestProbe();
        String other = "pekko://chat@127.0.0.1:25521";
        roster.tell(new Roster.Online("ann", ann.ref()));
        roster.tell(new Roster.Online("bea", bea.ref()));
        roster.tell(new Roster.Replicated("cid", null, other)); // online on the other node

        ServerFrame.UserStatus status = new ServerFrame.UserStatus("cid", "online", null);
        roster.tell(new Roster.Spread(status, "cid", other)); // the other node's broadcast, heard here
        assertThat(ann.expectMessageClass(SessionNotice.Push.class)).isEqualTo(new SessionNotice.Push(status, true));
        assertThat(bea.expectMessageClass(SessionNotice.Push.class)).isEqualTo(new SessionNotice.Push(status, true));

        roster.tell(new Roster.Spread(status, "cid", "")); // this node's own, back from the topic: already pushed
        assertThat(online(roster, "ann", "bea", "cid")).containsExactly("ann", "bea", "cid");
        ann.expectNoMessage(Duration.ofMillis(100));
        bea.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aUserWhoMovedToAnotherNodeGetsNoBroadcastHere() {
        ActorRef<Roster.Command> roster = kit.spawn(Roster.create());
        TestProbe<SessionNotice> ann = kit.createTestProbe();
        roster.tell(new Roster.Online("ann", ann.ref()));
        roster.tell(new Roster.Replicated("ann", null, "pekko://chat@127.0.0.1:25521")); // logged in there since
        roster.tell(new Roster.Broadcast(new ServerFrame.UserStatus("bob", "online", null), "bob"));
        ann.expectNoMessage(Duration.ofMillis(100));
        assertThat(online(roster, "ann")).containsExactly("ann");
    }

    private static List<String> online(ActorRef<Roster.Command> roster, String... users) {
        TestProbe<Roster.Statuses> reply = kit.createTestProbe();
        roster.tell(new Roster.Lookup(List.of(users), reply.ref()));
        var statuses = reply.receiveMessage().users();
        return java.util.Arrays.stream(users).filter(u -> statuses.get(u).online()).toList();
    }
}
