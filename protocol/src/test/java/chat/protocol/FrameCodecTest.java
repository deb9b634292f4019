package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void decodesTheSeedsFramesExactlyAsTheSeedClientSendsThem() throws Exception {
        assertThat(FrameCodec.decodeClient("{\"type\": \"register\", \"username\": \"adri\", \"password\": \"12345678\"}"))
                .isEqualTo(new ClientFrame.Register("adri", "12345678", null));
        assertThat(FrameCodec.decodeClient("{\"type\": \"message\", \"sender\": \"mallory\", \"receiver\": \"kai\", \"content\": \"oi\"}"))
                .isEqualTo(new ClientFrame.Message("kai", "oi", null));
        assertThat(FrameCodec.decodeClient("{\"type\": \"typing\", \"username\": \"adri\", \"recipient\": \"sol\"}"))
                .isEqualTo(new ClientFrame.Typing("sol"));
        assertThat(FrameCodec.decodeClient("{\"type\": \"stop_typing\", \"username\": \"adri\", \"recipient\": \"sol\"}"))
                .isEqualTo(new ClientFrame.StopTyping("sol"));
        assertThat(FrameCodec.decodeClient("{\"type\": \"get_users\"}")).isEqualTo(new ClientFrame.GetUsers(null, null));
        assertThat(FrameCodec.decodeClient("{\"type\": \"logout\"}")).isEqualTo(new ClientFrame.Logout());
    }

    @Test
    void decodesLevelTwoFrames() throws Exception {
        assertThat(FrameCodec.decodeClient("{\"type\":\"login\",\"username\":\"a\",\"token\":\"t\",\"version\":2}"))
                .isEqualTo(new ClientFrame.Login("a", null, "t", 2));
        assertThat(FrameCodec.decodeClient("{\"type\":\"ack\",\"msg_ids\":[1,2,3]}"))
                .isEqualTo(new ClientFrame.Ack(List.of(1L, 2L, 3L)));
        assertThat(FrameCodec.decodeClient("{\"type\":\"read\",\"peer\":\"bob\",\"up_to\":42}"))
                .isEqualTo(new ClientFrame.Read("bob", 42));
        assertThat(FrameCodec.decodeClient("{\"type\":\"history\",\"peer\":\"bob\",\"before\":9,\"limit\":20}"))
                .isEqualTo(new ClientFrame.History("bob", 9L, 20));
        assertThat(FrameCodec.decodeClient("{\"limit\":5,\"type\":\"conversations\",\"extra\":{\"deep\":[1,{}]}}"))
                .isEqualTo(new ClientFrame.Conversations(5));
    }

    @Test
    void wrongFieldTypesAreBadFramesThatStillNameTheType() {
        ProtocolError e = error("{\"type\":\"message\",\"receiver\":7,\"content\":\"x\"}");
        assertThat(e.code()).isEqualTo("bad_frame");
        assertThat(e.ref()).isEqualTo("message");
        assertThat(e.getMessage()).contains("receiver");

        assertThat(error("{\"type\":\"ack\",\"msg_ids\":[1,\"2\"]}").code()).isEqualTo("bad_frame");
        assertThat(error("{\"type\":\"read\",\"peer\":\"b\",\"up_to\":1.5}").code()).isEqualTo("bad_frame");
        assertThat(error("{\"type\":\"read\",\"peer\":\"b\",\"up_to\":99999999999999999999999}").code()).isEqualTo("bad_frame");
    }

    @Test
    void aWrongTypeInAFieldTheFrameDoesNotUseIsIgnored() throws Exception {
        assertThat(FrameCodec.decodeClient("{\"type\":\"ping\",\"receiver\":[1]}")).isEqualTo(new ClientFrame.Ping());
    }

    @Test
    void rejectsWhatIsNotAFrame() {
        assertThat(error("[1,2]").getMessage()).contains("object");
        assertThat(error("\"ping\"").code()).isEqualTo("bad_frame");
        assertThat(error("{\"type\":").code()).isEqualTo("bad_frame");
        assertThat(error("{\"type\":\"ping\"} {}").code()).isEqualTo("bad_frame");
        assertThat(error("{\"type\":5}").getMessage()).contains("type");
        assertThat(error("{\"username\":\"x\"}").getMessage()).contains("type");
        ProtocolError unknown = error("{\"type\":\"teleport\"}");
        assertThat(unknown.code()).isEqualTo("unknown_type");
        assertThat(unknown.ref()).isEqualTo("teleport");
    }

    @Test
    void rejectsInvalidUtf8IncludingOverlongAndSurrogateForms() {
        for (byte[] bad : List.of(
                new byte[] {'{', '"', (byte) 0xC3, '"', '}'},
                new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'},
                new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
                new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'},
                new byte[] {(byte) 0xFF})) {
            assertThatThrownBy(() -> FrameCodec.decodeClient(bad, 0, bad.length))
                    .isInstanceOfSatisfying(ProtocolError.class, e -> assertThat(e.getMessage()).contains("UTF-8"));
        }
    }

    @Test
    void keepsAccentsAndEmojiIntactBothWays() throws Exception {
        String content = "olá, coração 🎉👍🏽 日本";
        byte[] line = ("{\"type\":\"message\",\"receiver\":\"bob\",\"content\":\"" + content + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(((ClientFrame.Message) FrameCodec.decodeClient(line, 0, line.length)).content()).isEqualTo(content);

        ServerFrame.Message out = new ServerFrame.Message(7, "c1", "alice", "bob", content, "2026-11-25 10:00:00", 1L, null);
        String encoded = FrameCodec.encodeToString(out);
        assertThat(encoded).endsWith("\n").contains(content);
        assertThat(FrameCodec.decodeServer(encoded.trim())).isEqualTo(out);
    }

    @Test
    void encodesOnlyPresentOptionalFields() {
        assertThat(FrameCodec.encodeToString(ServerFrame.LoginResponse.success("alice", null)))
                .isEqualTo("{\"type\":\"login_response\",\"status\":\"success\",\"username\":\"alice\"}\n");
        assertThat(FrameCodec.encodeToString(new ServerFrame.UserStatus("bob", "offline", 5L)))
                .isEqualTo("{\"type\":\"user_status\",\"username\":\"bob\",\"status\":\"offline\",\"last_seen\":5}\n");
    }

    @Test
    void serverFramesRoundTrip() throws Exception {
        ServerFrame.Message m = new ServerFrame.Message(1, null, "a", "b", "x", "t", 2, "read");
        List<ServerFrame> frames = List.of(
                new ServerFrame.MessageAck("a-1", 42, "bob", 10, "2026-11-25 02:00:00"),
                new ServerFrame.Receipt(42L, "a-1", "bob", "delivered", null, 11),
                new ServerFrame.Receipt(null, null, "bob", "read", 42L, 12),
                new ServerFrame.ReplayDone(3),
                new ServerFrame.HistoryResponse("bob", List.of(m), true),
                new ServerFrame.ConversationsResponse(List.of(new ServerFrame.Conversation("bob", "online", null, m, 2))),
                new ServerFrame.Contacts(List.of(new ServerFrame.UserInfo("bob", "offline", 9L))),
                new ServerFrame.UserList(List.of(new ServerFrame.UserInfo("bob", "online", null))),
                new ServerFrame.Error("bad_frame", "nope", "message"),
                new ServerFrame.SessionReplaced("another login"),
                new ServerFrame.MessageError("zed", "no such user", "c-9", "unknown_user"));
        for (ServerFrame f : frames) {
            assertThat(FrameCodec.decodeServer(FrameCodec.encodeToString(f).trim())).isEqualTo(f);
        }
    }

    @Test
    void clientFramesRoundTripThroughTheServersDecoder() throws Exception {
        List<ClientFrame> frames = List.of(
                new ClientFrame.Login("alice", "pw123456", null, 2),
                new ClientFrame.Message("bob", "hi", "c-1"),
                new ClientFrame.Ack(List.of(4L, 5L)),
                new ClientFrame.History("bob", null, 10),
                new ClientFrame.StopTyping(null));
        for (ClientFrame f : frames) {
            assertThat(FrameCodec.decodeClient(FrameCodec.encodeToString(f).trim())).isEqualTo(f);
        }
    }

    @Test
    void foldsUsernamesAndChecksPasswords() {
        assertThat(Usernames.fold("Alice.B-2_")).isEqualTo("alice.b-2_");
        assertThat(Usernames.fold("a b")).isNull();
        assertThat(Usernames.fold("x".repeat(33))).isNull();
        assertThat(Usernames.fold("")).isNull();
        assertThat(Usernames.validPassword("1234567")).isFalse();
        assertThat(Usernames.validPassword("12345678")).isTrue();
    }

    private static ProtocolError error(String line) {
        try {
            FrameCodec.decodeClient(line);
        } catch (ProtocolError e) {
            return e;
        }
        throw new AssertionError("decoded without error: " + line);
    }
}
