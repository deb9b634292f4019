package chat.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.FrameCodec;
import chat.protocol.ServerFrame;
import chat.server.NodeConfig;
import chat.server.mailbox.Mailbox;
import chat.server.presence.Presence;
import chat.server.presence.Roster;
import chat.server.presence.SessionNotice;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message that can cross between nodes survives the node's own serializer (CBOR through Jackson). */
class SerializationTest {

    private static final ActorTestKit kit = ActorTestKit.create(NodeConfig.build(ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "local")), ConfigFactory.empty()));

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void crossNodeMessagesRoundTrip() {
        TestProbe<SessionNotice> session = kit.createTestProbe();
        TestProbe<Mailbox.SendOutcome> sender = kit.createTestProbe();
        TestProbe<Mailbox.ContactOutcome> contacts = kit.createTestProbe();
        TestProbe<Mailbox.PendingPage> pages = kit.createTestProbe();
        ServerFrame.Message message = new ServerFrame.Message(7, "c-1", "alice", "bob", "olá 🎉", "2026-11-25 10:00:00", 5, null);
        ServerFrame.Receipt receipt = new ServerFrame.Receipt(7L, "c-1", "bob", "delivered", null, 9);
        List<Object> messages = List.of(
                new Presence.Connect(session.ref(), 2),
                new Presence.Disconnect(session.ref()),
                new Presence.Deliver(message),
                new Presence.Notify(receipt),
                new Presence.Notify(new ServerFrame.UserStatus("bob", "offline", 42L)),
                new Presence.Notify(new ServerFrame.TypingNotification("bob", "typing")),
                new Presence.ContactChanged("carol", true),
                new Presence.StartTyping("bob"),
                new Presence.StopTyping(null),
                new SessionNotice.Deliver(message),
                new SessionNotice.Push(receipt, false),
                new SessionNotice.Push(new ServerFrame.UserStatus("bob", "online", null), true),
                new SessionNotice.Replaced(),
                new SessionNotice.Connected(),
                new Mailbox.Send("alice", "bob", "c-1", "hi", sender.ref()),
                new Mailbox.Stored(new ServerFrame.MessageAck("c-1", 7, "bob", 5, "t")),
                new Mailbox.Refused(new ServerFrame.MessageError("zed", "no such user", "c-2", "unknown_user")),
                new Mailbox.MarkDelivered("bob", List.of(7L, 8L)),
                new Mailbox.KeepReceipt("alice", receipt, Set.of("laptop")),
                new Presence.AllDevicesReached(Set.of("laptop", "default")),
                new Mailbox.FetchPending("bob", 0, 100, pages.ref()),
                new Mailbox.PendingPage(3, List.of(message), false),
                new Mailbox.ReceiptPage(0, List.of(new Mailbox.KeptReceipt(3, receipt)), false),
                new Mailbox.ChangeContact("alice", "bob", true, 1000, contacts.ref()),
                new Mailbox.ContactChanged(true),
                new Mailbox.ContactRefused("unknown_user", "no"),
                new Roster.Online("bob", session.ref()),
                new Roster.Offline("bob", 42),
                new Roster.Replicated("bob", null, "pekko://chat@127.0.0.1:2551"),
                new Roster.Replicated(null, new Roster.Offline("bob", 42), "pekko://chat@127.0.0.1:2551"),
                new Roster.Snapshot("pekko://chat@127.0.0.1:2552", 1, 0, 1, List.of("bob")),
                new Roster.Spread(new ServerFrame.UserStatus("bob", "online", null), "bob", "pekko://chat@127.0.0.1:2551"));
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
        for (Object m : messages) {
            var serializer = serialization.findSerializerFor(m);
            assertThat(serializer.getClass().getSimpleName()).as("serializer of %s", m).contains("Jackson");
            byte[] bytes = serialization.serialize(m).get();
            Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, m)).get();
            assertThat(back).as("round trip of %s", m.getClass().getSimpleName()).isEqualTo(m);
        }
    }

    /**
     * A frame crossing between nodes is encoded by the same binding as on the wire: the CBOR that
     * Pekko writes holds exactly the fields, names and values of the frame's JSON line, absent
     * optional fields left out alike.
     */
    @Test
    void aFrameCrossesBetweenNodesWithItsWireFields() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
        ServerFrame.Message message = new ServerFrame.Message(7, null, "alice", "bob", "olá 🎉", "2026-11-25 10:00:00",
                1_764_036_000_000L, null);
        List<ServerFrame> frames = List.of(
                message,
                new ServerFrame.Receipt(null, null, "bob", "read", 42L, 12),
                new ServerFrame.UserStatus("bob", "offline", 42L),
                new ServerFrame.UserStatus("bob", "online", null),
                new ServerFrame.TypingNotification("bob", "stopped"));
        for (ServerFrame frame : frames) {
            Object carrier = frame instanceof ServerFrame.Message m ? new Presence.Deliver(m) : new Presence.Notify(frame);
            JsonNode sent = cbor.readTree(serialization.serialize(carrier).get());
            JsonNode carried = sent.elements().next(); // the carrier's one field: the frame
            JsonNode wire = json.readTree(FrameCodec.encode(frame));
            assertThat(carried).as("%s between nodes", frame).isEqualTo(wire);
        }
    }

    @Test
    void aFullSnapshotPartFitsInOneArteryFrame() {
        List<String> users = new java.util.ArrayList<>();
        for (int i = 0; users.size() < Roster.SNAPSHOT_CHUNK; i++) {
            users.add(String.format("user-with-a-long-name-%010d", i)); // 32 characters, the longest name
        }
        Object part = new Roster.Snapshot("pekko://chat@127.0.0.1:25520", 1, 0, 1, users);
        byte[] bytes = SerializationExtension.get(Adapter.toClassic(kit.system())).serialize(part).get();
        assertThat(bytes.length).isLessThan(256 * 1024); // Artery refuses frames over 256 KiB
    }
}
