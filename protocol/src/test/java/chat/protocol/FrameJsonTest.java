package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the JSON of every frame, byte for byte: the lines below are what the hand-written writers
 * produced before frames were bound with Jackson databind. Field names, their order and which
 * optional fields are absent are what the seed clients and the black-box suites read.
 */
class FrameJsonTest {

    private record Pin(Frame frame, String json) {
    }

    private static Pin pin(Frame frame, String json) {
        return new Pin(frame, json);
    }

    private static final ServerFrame.Message m = new ServerFrame.Message(7, "c-1", "alice", "bob",
            "olá 🎉 \"q\" \\ \n\u0001", "2026-11-25 10:00:00", 1764036000000L, null);
    private static final ServerFrame.Message h = new ServerFrame.Message(8, null, "bob", "alice", "x",
            "2026-11-25 10:00:01", 1764036001000L, "read");

    private static final List<Pin> PINS = List.of(
                pin(ServerFrame.RegisterResponse.success(),
                        "{\"type\":\"register_response\",\"status\":\"success\"}"),
                pin(ServerFrame.RegisterResponse.error("user_exists", "that username is taken"),
                        "{\"type\":\"register_response\",\"status\":\"error\",\"code\":\"user_exists\",\"message\":\"that username is taken\"}"),
                pin(ServerFrame.LoginResponse.success("alice", null),
                        "{\"type\":\"login_response\",\"status\":\"success\",\"username\":\"alice\"}"),
                pin(ServerFrame.LoginResponse.success("alice", "tok"),
                        "{\"type\":\"login_response\",\"status\":\"success\",\"username\":\"alice\",\"token\":\"tok\"}"),
                pin(ServerFrame.LoginResponse.error("bad_credentials", "wrong username or password"),
                        "{\"type\":\"login_response\",\"status\":\"error\",\"code\":\"bad_credentials\",\"message\":\"wrong username or password\"}"),
                pin(m,
                        "{\"type\":\"message\",\"msg_id\":7,\"id\":\"c-1\",\"sender\":\"alice\",\"receiver\":\"bob\",\"content\":\"olá 🎉 \\\"q\\\" \\\\ \\n\\u0001\",\"timestamp\":\"2026-11-25 10:00:00\",\"ts\":1764036000000}"),
                pin(h,
                        "{\"type\":\"message\",\"msg_id\":8,\"sender\":\"bob\",\"receiver\":\"alice\",\"content\":\"x\",\"timestamp\":\"2026-11-25 10:00:01\",\"ts\":1764036001000,\"status\":\"read\"}"),
                pin(new ServerFrame.MessageAck("c-1", 7, "bob", 1764036000000L, "2026-11-25 10:00:00"),
                        "{\"type\":\"message_ack\",\"id\":\"c-1\",\"msg_id\":7,\"receiver\":\"bob\",\"ts\":1764036000000,\"timestamp\":\"2026-11-25 10:00:00\"}"),
                pin(new ServerFrame.MessageAck(null, 7, "bob", 1764036000000L, "2026-11-25 10:00:00"),
                        "{\"type\":\"message_ack\",\"msg_id\":7,\"receiver\":\"bob\",\"ts\":1764036000000,\"timestamp\":\"2026-11-25 10:00:00\"}"),
                pin(new ServerFrame.MessageError("zed", "no such user", "c-2", "unknown_user"),
                        "{\"type\":\"message_error\",\"recipient\":\"zed\",\"message\":\"no such user\",\"id\":\"c-2\",\"code\":\"unknown_user\"}"),
                pin(new ServerFrame.MessageError(null, "too big", null, "content_too_large"),
                        "{\"type\":\"message_error\",\"message\":\"too big\",\"code\":\"content_too_large\"}"),
                pin(new ServerFrame.TypingNotification("bob", "typing"),
                        "{\"type\":\"typing_notification\",\"from\":\"bob\",\"status\":\"typing\"}"),
                pin(new ServerFrame.UserStatus("bob", "online", null),
                        "{\"type\":\"user_status\",\"username\":\"bob\",\"status\":\"online\"}"),
                pin(new ServerFrame.UserStatus("bob", "offline", 42L),
                        "{\"type\":\"user_status\",\"username\":\"bob\",\"status\":\"offline\",\"last_seen\":42}"),
                pin(new ServerFrame.UserList(List.of(new ServerFrame.UserInfo("bob", "online", null), new ServerFrame.UserInfo("carol", "offline", 5L))),
                        "{\"type\":\"user_list\",\"users\":[{\"username\":\"bob\",\"status\":\"online\"},{\"username\":\"carol\",\"status\":\"offline\",\"last_seen\":5}]}"),
                pin(new ServerFrame.UserList(List.of()),
                        "{\"type\":\"user_list\",\"users\":[]}"),
                pin(new ServerFrame.Contacts(List.of(new ServerFrame.UserInfo("bob", "offline", 9L))),
                        "{\"type\":\"contacts\",\"users\":[{\"username\":\"bob\",\"status\":\"offline\",\"last_seen\":9}]}"),
                pin(new ServerFrame.Ping(),
                        "{\"type\":\"ping\"}"),
                pin(new ServerFrame.Pong(),
                        "{\"type\":\"pong\"}"),
                pin(new ServerFrame.Receipt(7L, "c-1", "bob", "delivered", null, 9),
                        "{\"type\":\"receipt\",\"msg_id\":7,\"id\":\"c-1\",\"peer\":\"bob\",\"status\":\"delivered\",\"ts\":9}"),
                pin(new ServerFrame.Receipt(null, null, "bob", "read", 42L, 12),
                        "{\"type\":\"receipt\",\"peer\":\"bob\",\"status\":\"read\",\"up_to\":42,\"ts\":12}"),
                pin(new ServerFrame.ReplayDone(3),
                        "{\"type\":\"replay_done\",\"count\":3}"),
                pin(new ServerFrame.HistoryResponse("bob", List.of(h), true),
                        "{\"type\":\"history_response\",\"peer\":\"bob\",\"messages\":[{\"type\":\"message\",\"msg_id\":8,\"sender\":\"bob\",\"receiver\":\"alice\",\"content\":\"x\",\"timestamp\":\"2026-11-25 10:00:01\",\"ts\":1764036001000,\"status\":\"read\"}],\"has_more\":true}"),
                pin(new ServerFrame.HistoryResponse("bob", List.of(), false),
                        "{\"type\":\"history_response\",\"peer\":\"bob\",\"messages\":[],\"has_more\":false}"),
                pin(new ServerFrame.ConversationsResponse(List.of(new ServerFrame.Conversation("bob", "online", null, h, 2), new ServerFrame.Conversation("carol", "offline", 5L, null, 0))),
                        "{\"type\":\"conversations_response\",\"conversations\":[{\"peer\":\"bob\",\"status\":\"online\",\"last\":{\"type\":\"message\",\"msg_id\":8,\"sender\":\"bob\",\"receiver\":\"alice\",\"content\":\"x\",\"timestamp\":\"2026-11-25 10:00:01\",\"ts\":1764036001000,\"status\":\"read\"},\"unread\":2},{\"peer\":\"carol\",\"status\":\"offline\",\"last_seen\":5,\"unread\":0}]}"),
                pin(new ServerFrame.SessionReplaced("another login"),
                        "{\"type\":\"session_replaced\",\"message\":\"another login\"}"),
                pin(new ServerFrame.SessionReplaced(null),
                        "{\"type\":\"session_replaced\"}"),
                pin(new ServerFrame.Error("bad_frame", "nope", "message"),
                        "{\"type\":\"error\",\"code\":\"bad_frame\",\"message\":\"nope\",\"ref\":\"message\"}"),
                pin(new ServerFrame.Error("internal", "oops", null),
                        "{\"type\":\"error\",\"code\":\"internal\",\"message\":\"oops\"}"),
                pin(new ClientFrame.Register("a", "pw123456", null),
                        "{\"type\":\"register\",\"username\":\"a\",\"password\":\"pw123456\"}"),
                pin(new ClientFrame.Register("a", "pw123456", 2),
                        "{\"type\":\"register\",\"username\":\"a\",\"password\":\"pw123456\",\"version\":2}"),
                pin(new ClientFrame.Login("alice", "pw123456", null, 2),
                        "{\"type\":\"login\",\"username\":\"alice\",\"password\":\"pw123456\",\"version\":2}"),
                pin(new ClientFrame.Login("alice", null, "t", null),
                        "{\"type\":\"login\",\"username\":\"alice\",\"token\":\"t\"}"),
                pin(new ClientFrame.Logout(),
                        "{\"type\":\"logout\"}"),
                pin(new ClientFrame.Message("bob", "hi", "c-1"),
                        "{\"type\":\"message\",\"id\":\"c-1\",\"receiver\":\"bob\",\"content\":\"hi\"}"),
                pin(new ClientFrame.Message("bob", "hi", null),
                        "{\"type\":\"message\",\"receiver\":\"bob\",\"content\":\"hi\"}"),
                pin(new ClientFrame.Typing("bob"),
                        "{\"type\":\"typing\",\"recipient\":\"bob\"}"),
                pin(new ClientFrame.StopTyping(null),
                        "{\"type\":\"stop_typing\"}"),
                pin(new ClientFrame.StopTyping("bob"),
                        "{\"type\":\"stop_typing\",\"recipient\":\"bob\"}"),
                pin(new ClientFrame.GetUsers(null, null),
                        "{\"type\":\"get_users\"}"),
                pin(new ClientFrame.GetUsers("b", 10),
                        "{\"type\":\"get_users\",\"query\":\"b\",\"limit\":10}"),
                pin(new ClientFrame.Ping(),
                        "{\"type\":\"ping\"}"),
                pin(new ClientFrame.Pong(),
                        "{\"type\":\"pong\"}"),
                pin(new ClientFrame.Ack(List.of(4L, 5L)),
                        "{\"type\":\"ack\",\"msg_ids\":[4,5]}"),
                pin(new ClientFrame.Read("bob", 42),
                        "{\"type\":\"read\",\"peer\":\"bob\",\"up_to\":42}"),
                pin(new ClientFrame.History("bob", null, null),
                        "{\"type\":\"history\",\"peer\":\"bob\"}"),
                pin(new ClientFrame.History("bob", 9L, 10),
                        "{\"type\":\"history\",\"peer\":\"bob\",\"before\":9,\"limit\":10}"),
                pin(new ClientFrame.AddContact("bob"),
                        "{\"type\":\"add_contact\",\"username\":\"bob\"}"),
                pin(new ClientFrame.RemoveContact("bob"),
                        "{\"type\":\"remove_contact\",\"username\":\"bob\"}"),
                pin(new ClientFrame.GetContacts(),
                        "{\"type\":\"get_contacts\"}"),
                pin(new ClientFrame.Conversations(null),
                        "{\"type\":\"conversations\"}"),
                pin(new ClientFrame.Conversations(5),
                        "{\"type\":\"conversations\",\"limit\":5}"),
                // level 3
                pin(new ServerFrame.Message(9, "g-1", "alice", null, "oi", "2026-11-25 10:00:02", 1764036002000L, null, "g7"),
                        "{\"type\":\"message\",\"msg_id\":9,\"id\":\"g-1\",\"sender\":\"alice\",\"group_id\":\"g7\",\"content\":\"oi\",\"timestamp\":\"2026-11-25 10:00:02\",\"ts\":1764036002000}"),
                pin(new ServerFrame.MessageAck("g-1", 9, null, 1764036002000L, "2026-11-25 10:00:02", "g7"),
                        "{\"type\":\"message_ack\",\"id\":\"g-1\",\"msg_id\":9,\"group_id\":\"g7\",\"ts\":1764036002000,\"timestamp\":\"2026-11-25 10:00:02\"}"),
                pin(ServerFrame.MessageError.forGroup("g7", "you are not a member of this group", "g-2", ErrorCode.NOT_A_MEMBER),
                        "{\"type\":\"message_error\",\"group_id\":\"g7\",\"message\":\"you are not a member of this group\",\"id\":\"g-2\",\"code\":\"not_a_member\"}"),
                pin(new ServerFrame.TypingNotification("bob", "typing", "g7"),
                        "{\"type\":\"typing_notification\",\"from\":\"bob\",\"group_id\":\"g7\",\"status\":\"typing\"}"),
                pin(ServerFrame.Receipt.forGroup("g7", 9L, "g-1", "delivered", null, 13),
                        "{\"type\":\"receipt\",\"msg_id\":9,\"id\":\"g-1\",\"group_id\":\"g7\",\"status\":\"delivered\",\"ts\":13}"),
                pin(new ServerFrame.ReplayDone(4, true),
                        "{\"type\":\"replay_done\",\"count\":4,\"truncated\":true}"),
                pin(new ServerFrame.HistoryResponse(null, List.of(new ServerFrame.GroupEvent(10, "g7", "added", "alice",
                                List.of("carol"), null, 14)), false, "g7"),
                        "{\"type\":\"history_response\",\"group_id\":\"g7\",\"messages\":[{\"type\":\"group_event\",\"msg_id\":10,\"group_id\":\"g7\",\"event\":\"added\",\"by\":\"alice\",\"users\":[\"carol\"],\"ts\":14}],\"has_more\":false}"),
                pin(new ServerFrame.ConversationsResponse(List.of(ServerFrame.Conversation.ofGroup("g7", "Team", null, 3))),
                        "{\"type\":\"conversations_response\",\"conversations\":[{\"group_id\":\"g7\",\"name\":\"Team\",\"unread\":3}]}"),
                pin(new ServerFrame.Group("g7", "Team", List.of(new ServerFrame.Member("alice", "admin"),
                                new ServerFrame.Member("bob", "member")), "alice", 15),
                        "{\"type\":\"group\",\"group_id\":\"g7\",\"name\":\"Team\",\"members\":[{\"username\":\"alice\",\"role\":\"admin\"},{\"username\":\"bob\",\"role\":\"member\"}],\"created_by\":\"alice\",\"ts\":15}"),
                pin(new ServerFrame.GroupsResponse(List.of()),
                        "{\"type\":\"groups_response\",\"groups\":[]}"),
                pin(new ServerFrame.GroupEvent(11, "g7", "renamed", "alice", null, "Team 2", 16),
                        "{\"type\":\"group_event\",\"msg_id\":11,\"group_id\":\"g7\",\"event\":\"renamed\",\"by\":\"alice\",\"name\":\"Team 2\",\"ts\":16}"),
                pin(new ServerFrame.GroupReceiptsResponse("g7", 9, List.of("bob"), List.of()),
                        "{\"type\":\"group_receipts_response\",\"group_id\":\"g7\",\"msg_id\":9,\"delivered\":[\"bob\"],\"read\":[]}"),
                pin(new ServerFrame.ReadMarker(null, "g7", 9),
                        "{\"type\":\"read_marker\",\"group_id\":\"g7\",\"up_to\":9}"),
                pin(new ServerFrame.DevicesResponse(List.of(new ServerFrame.DeviceInfo("laptop-1", "Ana's laptop", true, 17L, true),
                                new ServerFrame.DeviceInfo("default", null, false, 5L, false))),
                        "{\"type\":\"devices_response\",\"devices\":[{\"device\":\"laptop-1\",\"device_name\":\"Ana's laptop\",\"online\":true,\"last_seen\":17,\"current\":true},{\"device\":\"default\",\"online\":false,\"last_seen\":5,\"current\":false}]}"),
                pin(new ServerFrame.SessionRevoked("signed out from another device"),
                        "{\"type\":\"session_revoked\",\"message\":\"signed out from another device\"}"),
                pin(new ClientFrame.Login("alice", null, "t", 3, "laptop-1", "Ana's laptop"),
                        "{\"type\":\"login\",\"username\":\"alice\",\"token\":\"t\",\"version\":3,\"device\":\"laptop-1\",\"device_name\":\"Ana's laptop\"}"),
                pin(ClientFrame.Message.toGroup("g7", "oi", "g-1"),
                        "{\"type\":\"message\",\"id\":\"g-1\",\"group_id\":\"g7\",\"content\":\"oi\"}"),
                pin(new ClientFrame.Typing(null, "g7"),
                        "{\"type\":\"typing\",\"group_id\":\"g7\"}"),
                pin(new ClientFrame.StopTyping(null, "g7"),
                        "{\"type\":\"stop_typing\",\"group_id\":\"g7\"}"),
                pin(new ClientFrame.Read(null, 9, "g7"),
                        "{\"type\":\"read\",\"group_id\":\"g7\",\"up_to\":9}"),
                pin(new ClientFrame.History(null, 20L, 5, "g7"),
                        "{\"type\":\"history\",\"group_id\":\"g7\",\"before\":20,\"limit\":5}"),
                pin(new ClientFrame.CreateGroup("Team", List.of("bob", "carol"), "cg-1"),
                        "{\"type\":\"create_group\",\"name\":\"Team\",\"members\":[\"bob\",\"carol\"],\"id\":\"cg-1\"}"),
                pin(new ClientFrame.GroupUpdate("g7", List.of("dave"), null, List.of("alice", "bob"), "Team 2"),
                        "{\"type\":\"group_update\",\"group_id\":\"g7\",\"add\":[\"dave\"],\"admins\":[\"alice\",\"bob\"],\"name\":\"Team 2\"}"),
                pin(new ClientFrame.LeaveGroup("g7"),
                        "{\"type\":\"leave_group\",\"group_id\":\"g7\"}"),
                pin(new ClientFrame.Groups(),
                        "{\"type\":\"groups\"}"),
                pin(new ClientFrame.GroupReceipts("g7", 9),
                        "{\"type\":\"group_receipts\",\"group_id\":\"g7\",\"msg_id\":9}"),
                pin(new ClientFrame.Devices(),
                        "{\"type\":\"devices\"}"),
                pin(new ClientFrame.RevokeDevice("laptop-1"),
                        "{\"type\":\"revoke_device\",\"device\":\"laptop-1\"}"));

    @Test
    void everyFrameEncodesExactlyAsBefore() {
        for (Pin p : PINS) {
            assertThat(FrameCodec.encodeToString(p.frame())).as("%s", p.frame()).isEqualTo(p.json() + "\n");
        }
    }

    @Test
    void thePinsCoverEveryFrameType() {
        Set<Class<?>> pinned = PINS.stream().map(p -> p.frame().getClass()).collect(Collectors.toSet());
        Set<Class<?>> all = new LinkedHashSet<>();
        all.addAll(Arrays.asList(ServerFrame.class.getPermittedSubclasses()));
        all.remove(ServerFrame.Delivery.class);
        all.addAll(Arrays.asList(ServerFrame.Delivery.class.getPermittedSubclasses()));
        all.addAll(Arrays.asList(ClientFrame.class.getPermittedSubclasses()));
        all.removeAll(pinned);
        assertThat(all).isEmpty();
    }

    @Test
    void theTypeFieldIsTheFramesOwnType() {
        for (Pin p : PINS) {
            assertThat(p.json()).startsWith("{\"type\":\"" + p.frame().type() + "\"");
        }
    }

    @Test
    void levelOneFramesKeepTheSeedsFieldsAndNothingNewWhenAbsent() {
        // the seed's own frames, as a level 1 connection gets them: no level 2 field appears
        assertThat(FrameCodec.encodeToString(ServerFrame.LoginResponse.success("kai", null)))
                .isEqualTo("{\"type\":\"login_response\",\"status\":\"success\",\"username\":\"kai\"}\n");
        assertThat(FrameCodec.encodeToString(new ServerFrame.MessageError("zed", "no such user", null, "unknown_user")))
                .isEqualTo("{\"type\":\"message_error\",\"recipient\":\"zed\",\"message\":\"no such user\",\"code\":\"unknown_user\"}\n");
        assertThat(FrameCodec.encodeToString(new ServerFrame.UserStatus("kai", "online", null)))
                .isEqualTo("{\"type\":\"user_status\",\"username\":\"kai\",\"status\":\"online\"}\n");
    }

    @Test
    void everyServerFrameDecodesBackToItself() throws Exception {
        for (Pin p : PINS) {
            if (p.frame() instanceof ServerFrame f) {
                assertThat(FrameCodec.decodeServer(p.json())).isEqualTo(f);
            }
        }
    }

    @Test
    void everyClientFrameDecodesBackToItselfThroughTheStrictReader() throws Exception {
        for (Pin p : PINS) {
            if (p.frame() instanceof ClientFrame f) {
                assertThat(FrameCodec.decodeClient(p.json())).isEqualTo(f);
            }
        }
    }

    @Test
    void aClientReadsAServersFramesLeniently() throws Exception {
        // a newer server's extra fields are ignored, as PROTOCOL.md allows on every frame
        assertThat(FrameCodec.decodeServer("{\"ts\":9,\"type\":\"replay_done\",\"count\":2,\"later\":true}"))
                .isEqualTo(new ServerFrame.ReplayDone(2));
        ProtocolError unknown = serverError("{\"type\":\"channel\",\"channel_id\":\"c1\"}");
        assertThat(unknown.code()).isEqualTo("unknown_type");
        assertThat(unknown.ref()).isEqualTo("channel");
        assertThat(serverError("{\"status\":\"success\"}").getMessage()).contains("type");
        assertThat(serverError("[1]").code()).isEqualTo("bad_frame");
        assertThat(serverError("null").code()).isEqualTo("bad_frame");
        assertThat(serverError("{\"type\":").code()).isEqualTo("bad_frame");
    }

    /** A frame defined outside the module, as the load generator's seed-format message is. */
    private record Foreign(String sender, String receiver) implements Frame {
        public String type() {
            return "message";
        }
    }

    private record OwnWriter(String x) implements Frame {
        public String type() {
            return "own";
        }

        @Override
        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("written", x);
        }
    }

    @Test
    void framesFromElsewhereAreEncodedFromTheirFieldsOrTheirOwnWriter() {
        assertThat(FrameCodec.encodeToString(new Foreign("a", null)))
                .isEqualTo("{\"type\":\"message\",\"sender\":\"a\"}\n");
        assertThat(FrameCodec.encodeToString(new OwnWriter("y")))
                .isEqualTo("{\"type\":\"own\",\"written\":\"y\"}\n");
    }

    @Test
    void errorCodesHaveTheirWireStrings() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wire)).containsExactlyInAnyOrder(
                "bad_frame", "unknown_type", "frame_too_large", "not_authenticated", "rate_limited", "internal",
                "unknown_user", "too_many_contacts", "content_too_large", "mailbox_full", "store_unavailable",
                "user_exists", "invalid_username", "invalid_password", "bad_credentials", "already_logged_in",
                "forbidden", "not_a_member", "unknown_group", "too_many_members", "too_many_devices");
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(ErrorCode.fromWire(c.wire())).isSameAs(c);
            assertThat(c.is(c.wire())).isTrue();
        }
        assertThat(ErrorCode.fromWire("no_such_code")).isNull();
        assertThat(ErrorCode.fromWire(null)).isNull();
        assertThat(ProtocolError.BAD_FRAME).isEqualTo("bad_frame");
        assertThat(ServerFrame.MessageError.MAILBOX_FULL).isEqualTo("mailbox_full");
        assertThat(new ServerFrame.Error(ErrorCode.RATE_LIMITED, "slow down", null))
                .isEqualTo(new ServerFrame.Error("rate_limited", "slow down", null));
        assertThat(new ProtocolError(ErrorCode.NOT_AUTHENTICATED, "log in first", "ack").toFrame())
                .isEqualTo(new ServerFrame.Error("not_authenticated", "log in first", "ack"));
    }

    private static ProtocolError serverError(String line) {
        try {
            FrameCodec.decodeServer(line);
        } catch (ProtocolError e) {
            return e;
        }
        throw new AssertionError("decoded without error: " + line);
    }
}
