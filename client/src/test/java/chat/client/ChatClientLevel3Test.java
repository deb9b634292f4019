package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ServerFrame;
import chat.server.ChatNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client library at level 3 against a real node over real TCP: one person on two devices
 * (copies, read markers, the device list, revoking one), and a group from its creation to a message
 * each member has once, also after the node restarts.
 */
class ChatClientLevel3Test {

    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dataDir;

    private ChatNode node;
    private final List<ChatClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        node = LocalNode.start(dataDir, 0);
    }

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::close);
        if (node != null) {
            node.close();
        }
    }

    /** `user` signed in on a device of its own named `device` (registered first if `register`). */
    private ChatClient device(String user, String device, Recorder hears, boolean register) throws Exception {
        ChatClient c = new ChatClient("127.0.0.1", node.port(), Connector.tcp(null), new Backoff(100, 400, new Random(1)));
        c.useDevice(UUID.randomUUID().toString(), device);
        c.addListener(hears);
        clients.add(c);
        if (register) {
            c.register(user, PASSWORD).get(10, TimeUnit.SECONDS);
        }
        c.signIn(user, PASSWORD).get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void twoDevicesOfOnePersonGetEveryMessageTheCopiesOfEachOthersAndTheirReadMarkers() throws Exception {
        Recorder laptopHears = new Recorder();
        Recorder desktopHears = new Recorder();
        Recorder bobHears = new Recorder();
        ChatClient laptop = device("alice", "laptop", laptopHears, true);
        ChatClient desktop = device("alice", "desktop", desktopHears, false);
        ChatClient bob = device("bob", "phone", bobHears, true);

        long toAlice = bob.send("alice", "to both of you").acked().get(10, TimeUnit.SECONDS).msgId();
        Recorder.await(laptopHears.messages, m -> m.msgId() == toAlice);
        Recorder.await(desktopHears.messages, m -> m.msgId() == toAlice);

        // what the laptop sends reaches bob, and the desktop as a copy from alice to bob
        long fromLaptop = laptop.send("bob", "sent from the laptop").acked().get(10, TimeUnit.SECONDS).msgId();
        Recorder.await(bobHears.messages, m -> m.msgId() == fromLaptop);
        ServerFrame.Message copy = Recorder.await(desktopHears.messages, m -> m.msgId() == fromLaptop);
        assertThat(copy.sender()).isEqualTo("alice");
        assertThat(copy.receiver()).isEqualTo("bob");

        // read on the desktop: the laptop is told how far, and the server counts nothing unread
        desktop.markRead("bob", toAlice);
        ServerFrame.ReadMarker marker = Recorder.await(laptopHears.readMarkers, r -> "bob".equals(r.peer()));
        assertThat(marker.upTo()).isEqualTo(toAlice);
        assertThat(laptop.conversations(10).get(10, TimeUnit.SECONDS)).filteredOn(c -> "bob".equals(c.peer()))
                .extracting(ServerFrame.Conversation::unread).containsExactly(0L);

        // the device list, then the desktop signed out from the laptop
        List<ServerFrame.DeviceInfo> devices = laptop.devices().get(10, TimeUnit.SECONDS);
        assertThat(devices).extracting(ServerFrame.DeviceInfo::deviceName).containsExactlyInAnyOrder("laptop", "desktop");
        assertThat(devices).allMatch(ServerFrame.DeviceInfo::online);
        String desktopId = devices.stream().filter(d -> !d.current()).findFirst().orElseThrow().device();
        assertThat(laptop.revokeDevice(desktopId).get(10, TimeUnit.SECONDS))
                .extracting(ServerFrame.DeviceInfo::deviceName).containsExactly("laptop");
        Recorder.awaitState(desktop, ConnectionState.SignInRequired.class);
        Outgoing late = desktop.send("bob", "after the revoke");
        assertThat(desktop.outbox().get(10, TimeUnit.SECONDS)).as("kept until the device signs in again").contains(late);
        assertThat(desktop.state()).isInstanceOf(ConnectionState.SignInRequired.class);
    }

    @Test
    void aGroupFromItsCreationToAMessageEachMemberHasOnceAlsoAfterARestart() throws Exception {
        Recorder aliceHears = new Recorder();
        Recorder bobHears = new Recorder();
        ChatClient alice = device("alice", "laptop", aliceHears, true);
        ChatClient bob = device("bob", "phone", bobHears, true);

        assertThat(alice.createGroup("Trip", List.of("bob"), "g-1").get(10, TimeUnit.SECONDS)).isTrue();
        ServerFrame.Group made = Recorder.await(bobHears.groups, g -> "Trip".equals(g.name()));
        assertThat(made.members()).extracting(ServerFrame.Member::username).containsExactlyInAnyOrder("alice", "bob");
        Recorder.await(bobHears.events, e -> ServerFrame.GroupEvent.CREATED.equals(e.event()) && e.groupId().equals(made.groupId()));

        long sent = alice.sendToGroup(made.groupId(), "tickets for Saturday?").acked().get(10, TimeUnit.SECONDS).msgId();
        ServerFrame.Message got = Recorder.await(bobHears.messages, m -> m.msgId() == sent);
        assertThat(got.groupId()).isEqualTo(made.groupId());
        assertThat(got.sender()).isEqualTo("alice");
        Recorder.await(aliceHears.receipts, r -> made.groupId().equals(r.groupId()) && "delivered".equals(r.status()));

        // the node restarts: both clients come back by themselves; nothing reaches bob twice
        int port = node.port();
        node.close();
        node = LocalNode.start(dataDir, port);
        Recorder.await(bobHears.states, s -> s instanceof ConnectionState.Reconnecting);
        Recorder.await(aliceHears.states, s -> s instanceof ConnectionState.Reconnecting);
        Recorder.awaitState(bob, ConnectionState.Online.class);
        Recorder.awaitState(alice, ConnectionState.Online.class);
        long after = alice.sendToGroup(made.groupId(), "still there?").acked().get(10, TimeUnit.SECONDS).msgId();
        Recorder.await(bobHears.messages, m -> m.msgId() == after);
        assertThat(bobHears.messages).filteredOn(m -> m.msgId() == sent).hasSize(1);
        assertThat(bobHears.events).filteredOn(e -> ServerFrame.GroupEvent.CREATED.equals(e.event())).hasSize(1);
        assertThat(bob.groupHistory(made.groupId(), null, 10).get(10, TimeUnit.SECONDS).messages()).hasSize(3);
    }
}
