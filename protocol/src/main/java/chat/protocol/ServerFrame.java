package chat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Frames the server sends. Level-2-only types are marked; a level 1 connection never receives them.
 *
 * <p>The Jackson annotations are the one encoding of a frame, on the wire (FrameCodec's JSON) and
 * between cluster nodes (Pekko's CBOR, for the messages that carry a frame): `type` names the frame,
 * fields have their wire names, and an absent optional field (null) is left out, never written as null.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerFrame.RegisterResponse.class, name = "register_response"),
        @JsonSubTypes.Type(value = ServerFrame.LoginResponse.class, name = "login_response"),
        @JsonSubTypes.Type(value = ServerFrame.Message.class, name = "message"),
        @JsonSubTypes.Type(value = ServerFrame.MessageAck.class, name = "message_ack"),
        @JsonSubTypes.Type(value = ServerFrame.MessageError.class, name = "message_error"),
        @JsonSubTypes.Type(value = ServerFrame.TypingNotification.class, name = "typing_notification"),
        @JsonSubTypes.Type(value = ServerFrame.UserStatus.class, name = "user_status"),
        @JsonSubTypes.Type(value = ServerFrame.UserList.class, name = "user_list"),
        @JsonSubTypes.Type(value = ServerFrame.Contacts.class, name = "contacts"),
        @JsonSubTypes.Type(value = ServerFrame.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ServerFrame.Receipt.class, name = "receipt"),
        @JsonSubTypes.Type(value = ServerFrame.ReplayDone.class, name = "replay_done"),
        @JsonSubTypes.Type(value = ServerFrame.HistoryResponse.class, name = "history_response"),
        @JsonSubTypes.Type(value = ServerFrame.ConversationsResponse.class, name = "conversations_response"),
        @JsonSubTypes.Type(value = ServerFrame.SessionReplaced.class, name = "session_replaced"),
        @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
        @JsonSubTypes.Type(value = ServerFrame.Group.class, name = "group"),
        @JsonSubTypes.Type(value = ServerFrame.GroupsResponse.class, name = "groups_response"),
        @JsonSubTypes.Type(value = ServerFrame.GroupEvent.class, name = "group_event"),
        @JsonSubTypes.Type(value = ServerFrame.GroupReceiptsResponse.class, name = "group_receipts_response"),
        @JsonSubTypes.Type(value = ServerFrame.ReadMarker.class, name = "read_marker"),
        @JsonSubTypes.Type(value = ServerFrame.DevicesResponse.class, name = "devices_response"),
        @JsonSubTypes.Type(value = ServerFrame.SessionRevoked.class, name = "session_revoked")
})
public sealed interface ServerFrame extends Frame {

    String SUCCESS = "success";
    String ERROR = "error";
    String ONLINE = "online";
    String OFFLINE = "offline";

    /** True for the types that exist in the seed's protocol, which a level 1 connection may receive. */
    default boolean level1() {
        return false;
    }

    /** True for the types (and fields) of level 3: a level 1 or 2 connection never receives them. */
    default boolean level3() {
        return false;
    }

    /**
     * What a user's stream carries, each with its place in it: messages and (level 3) group events.
     * Both are stored, replayed in msg_id order, acked by each device and listed by history.
     */
    sealed interface Delivery extends ServerFrame permits Message, GroupEvent {
        long msgId();

        /** The group the delivery belongs to, or null for a one-to-one message. */
        String groupId();

        String sender();
    }

    record RegisterResponse(String status, String code, String message) implements ServerFrame {
        public static RegisterResponse success() {
            return new RegisterResponse(SUCCESS, null, null);
        }

        public static RegisterResponse error(String code, String message) {
            return new RegisterResponse(ERROR, code, message);
        }

        public static RegisterResponse error(ErrorCode code, String message) {
            return error(code.wire(), message);
        }

        public String type() {
            return "register_response";
        }

        public boolean level1() {
            return true;
        }
    }

    /** `token` only for level 2; `retryAfterMs` only on a login the node shed for load (rate_limited). */
    record LoginResponse(String status, String username, String token, String code, String message,
                         @JsonProperty("retry_after_ms") Long retryAfterMs) implements ServerFrame {
        public LoginResponse(String status, String username, String token, String code, String message) {
            this(status, username, token, code, message, null);
        }

        public static LoginResponse success(String username, String token) {
            return new LoginResponse(SUCCESS, username, token, null, null);
        }

        public static LoginResponse error(String code, String message) {
            return new LoginResponse(ERROR, null, null, code, message);
        }

        public static LoginResponse error(ErrorCode code, String message) {
            return error(code.wire(), message);
        }

        /** The node is past what it can serve: try again in `retryAfterMs`; the connection closes. */
        public static LoginResponse shed(long retryAfterMs) {
            return new LoginResponse(ERROR, null, null, ErrorCode.RATE_LIMITED.wire(), "the server is busy; try again later",
                    retryAfterMs);
        }

        public String type() {
            return "login_response";
        }

        public boolean level1() {
            return true;
        }


        @Override
        public String toString() { // tokens never reach a log line
            return "LoginResponse[status=" + status + ", username=" + username + ", code=" + code + "]";
        }
    }

    /**
     * A chat message as delivered, replayed or listed in history. `timestamp` is the seed's
     * "YYYY-MM-DD HH:MM:SS" in server local time, `ts` epoch milliseconds. `status` is set only in
     * history and conversation listings: "sent", "delivered" or "read".
     */
    @JsonPropertyOrder({"msg_id", "id", "sender", "receiver", "group_id", "content", "timestamp", "ts", "status"})
    record Message(@JsonProperty("msg_id") long msgId, String id, String sender, String receiver, String content, String timestamp,
                   long ts, String status, @JsonProperty("group_id") String groupId) implements Delivery {
        public Message(long msgId, String id, String sender, String receiver, String content, String timestamp, long ts,
                       String status) {
            this(msgId, id, sender, receiver, content, timestamp, ts, status, null);
        }

        public Message withStatus(String newStatus) {
            return new Message(msgId, id, sender, receiver, content, timestamp, ts, newStatus, groupId);
        }

        public String type() {
            return "message";
        }

        public boolean level1() {
            return true;
        }

        /** A group message is for level 3 devices only (a 1:1 copy of the user's own is decided by the session). */
        public boolean level3() {
            return groupId != null;
        }
    }

    /** Level 2: the message is committed to the store. Sent again, identical, for an idempotent resend. */
    @JsonPropertyOrder({"id", "msg_id", "receiver", "group_id", "ts", "timestamp"})
    record MessageAck(String id, @JsonProperty("msg_id") long msgId, String receiver, long ts, String timestamp,
                      @JsonProperty("group_id") String groupId) implements ServerFrame {
        public MessageAck(String id, long msgId, String receiver, long ts, String timestamp) {
            this(id, msgId, receiver, ts, timestamp, null);
        }

        public String type() {
            return "message_ack";
        }
    }

    /** Codes: unknown_user, content_too_large, rate_limited, mailbox_full, store_unavailable (level 3: not_a_member ...). */
    @JsonPropertyOrder({"recipient", "group_id", "message", "id", "code"})
    record MessageError(String recipient, String message, String id, String code,
                        @JsonProperty("group_id") String groupId) implements ServerFrame {
        // as strings for the callers that compare them; see ErrorCode
        public static final String UNKNOWN_USER = ErrorCode.UNKNOWN_USER.wire();
        public static final String CONTENT_TOO_LARGE = ErrorCode.CONTENT_TOO_LARGE.wire();
        public static final String RATE_LIMITED = ErrorCode.RATE_LIMITED.wire();
        public static final String MAILBOX_FULL = ErrorCode.MAILBOX_FULL.wire();
        public static final String STORE_UNAVAILABLE = ErrorCode.STORE_UNAVAILABLE.wire();

        public MessageError(String recipient, String message, String id, String code) {
            this(recipient, message, id, code, null);
        }

        public MessageError(String recipient, String message, String id, ErrorCode code) {
            this(recipient, message, id, code.wire());
        }

        /** A refused group message (level 3). */
        public static MessageError forGroup(String groupId, String message, String id, ErrorCode code) {
            return new MessageError(null, message, id, code.wire(), groupId);
        }

        public String type() {
            return "message_error";
        }

        public boolean level1() {
            return true;
        }
    }

    /** `status` is "typing" or "stopped". */
    @JsonPropertyOrder({"from", "group_id", "status"})
    record TypingNotification(String from, String status, @JsonProperty("group_id") String groupId) implements ServerFrame {
        public static final String TYPING = "typing";
        public static final String STOPPED = "stopped";

        public TypingNotification(String from, String status) {
            this(from, status, null);
        }

        public boolean level3() {
            return groupId != null;
        }

        public String type() {
            return "typing_notification";
        }

        public boolean level1() {
            return true;
        }
    }

    record UserStatus(String username, String status, @JsonProperty("last_seen") Long lastSeen) implements ServerFrame {
        public String type() {
            return "user_status";
        }

        public boolean level1() {
            return true;
        }
    }

    /** One row of `user_list` and `contacts`. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UserInfo(String username, String status, @JsonProperty("last_seen") Long lastSeen) {
    }

    record UserList(List<UserInfo> users) implements ServerFrame {
        public UserList {
            users = List.copyOf(users);
        }

        public String type() {
            return "user_list";
        }

        public boolean level1() {
            return true;
        }
    }

    /** Level 2: the user's contact list after `add_contact` / `remove_contact`. */
    record Contacts(List<UserInfo> users) implements ServerFrame {
        public Contacts {
            users = List.copyOf(users);
        }

        public String type() {
            return "contacts";
        }
    }

    record Ping() implements ServerFrame {
        public String type() {
            return "ping";
        }

        public boolean level1() {
            return true;
        }
    }

    record Pong() implements ServerFrame {
        public String type() {
            return "pong";
        }
    }

    /**
     * Level 2. "delivered" names one message (`msg_id`, and the sender's `id` when it gave one);
     * "read" names everything from the reader up to `up_to`. `peer` is the other party.
     */
    @JsonPropertyOrder({"msg_id", "id", "peer", "group_id", "status", "up_to", "ts"})
    record Receipt(@JsonProperty("msg_id") Long msgId, String id, String peer, String status,
                   @JsonProperty("up_to") Long upTo, long ts, @JsonProperty("group_id") String groupId) implements ServerFrame {
        public static final String DELIVERED = "delivered";
        public static final String READ = "read";

        public Receipt(Long msgId, String id, String peer, String status, Long upTo, long ts) {
            this(msgId, id, peer, status, upTo, ts, null);
        }

        /** Level 3's aggregated receipt for a group message (delivered: `msgId`; read: `upTo`). */
        public static Receipt forGroup(String groupId, Long msgId, String id, String status, Long upTo, long ts) {
            return new Receipt(msgId, id, null, status, upTo, ts, groupId);
        }

        public boolean level3() {
            return groupId != null;
        }

        public String type() {
            return "receipt";
        }
    }

    /** Level 2: every pending message has been sent; `count` of them. */
    /** `truncated` (level 3, else absent): the device was too far behind and got only the newest; history has the rest. */
    record ReplayDone(long count, Boolean truncated) implements ServerFrame {
        public ReplayDone(long count) {
            this(count, null);
        }

        public String type() {
            return "replay_done";
        }
    }

    /** `messages`: message frames and (level 3, a group's history) group_event frames. */
    @JsonPropertyOrder({"peer", "group_id", "messages", "has_more"})
    record HistoryResponse(String peer, List<Delivery> messages, @JsonProperty("has_more") boolean hasMore,
                           @JsonProperty("group_id") String groupId) implements ServerFrame {
        public HistoryResponse {
            messages = List.copyOf(messages);
        }

        public HistoryResponse(String peer, List<? extends Delivery> messages, boolean hasMore) {
            this(peer, List.copyOf(messages), hasMore, null);
        }

        public String type() {
            return "history_response";
        }
    }

    /** One row of `conversations_response`; `unread` counts messages from `peer` above the read marker. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"peer", "group_id", "name", "status", "last_seen", "last", "unread"})
    record Conversation(String peer, String status, @JsonProperty("last_seen") Long lastSeen, Message last, long unread,
                        @JsonProperty("group_id") String groupId, String name) {
        public Conversation(String peer, String status, Long lastSeen, Message last, long unread) {
            this(peer, status, lastSeen, last, unread, null, null);
        }

        /** Level 3: a group's row (`last` absent when nothing was said in it yet). */
        public static Conversation ofGroup(String groupId, String name, Message last, long unread) {
            return new Conversation(null, null, null, last, unread, groupId, name);
        }
    }

    record ConversationsResponse(List<Conversation> conversations) implements ServerFrame {
        public ConversationsResponse {
            conversations = List.copyOf(conversations);
        }

        public String type() {
            return "conversations_response";
        }
    }

    /** Level 2: a newer login of the same user took over; this connection closes next. */
    record SessionReplaced(String message) implements ServerFrame {
        public String type() {
            return "session_replaced";
        }
    }

    /** Codes: bad_frame, unknown_type, frame_too_large, not_authenticated, rate_limited, internal. */
    record Error(String code, String message, String ref) implements ServerFrame {
        public Error(ErrorCode code, String message, String ref) {
            this(code.wire(), message, ref);
        }

        public String type() {
            return "error";
        }

        public boolean level1() {
            return true; // the one new type level 1 connections may get (PROTOCOL.md)
        }
    }

    // ---- level 3 -----------------------------------------------------------------------------

    /** A group member and its role, "member" or "admin". */
    record Member(String username, String role) {
        public static final String MEMBER = "member";
        public static final String ADMIN = "admin";
    }

    /** Level 3: a group as it is now (after create_group or group_update, and in groups_response). */
    @JsonPropertyOrder({"group_id", "name", "members", "created_by", "ts"})
    record Group(@JsonProperty("group_id") String groupId, String name, List<Member> members,
                 @JsonProperty("created_by") String createdBy, long ts) implements ServerFrame {
        public Group {
            members = List.copyOf(members);
        }

        public String type() {
            return "group";
        }

        public boolean level3() {
            return true;
        }
    }

    record GroupsResponse(List<Group> groups) implements ServerFrame {
        public GroupsResponse {
            groups = List.copyOf(groups);
        }

        public String type() {
            return "groups_response";
        }

        public boolean level3() {
            return true;
        }
    }

    /**
     * Level 3: a membership change, in the group's stream like a message (delivered, acked,
     * replayed, in history). `event`: created, added, removed, left, renamed, admins; `users` the
     * users it names, `name` the new name (created, renamed).
     */
    @JsonPropertyOrder({"msg_id", "group_id", "event", "by", "users", "name", "ts"})
    record GroupEvent(@JsonProperty("msg_id") long msgId, @JsonProperty("group_id") String groupId, String event,
                      String by, List<String> users, String name, long ts) implements Delivery {
        public static final String CREATED = "created";
        public static final String ADDED = "added";
        public static final String REMOVED = "removed";
        public static final String LEFT = "left";
        public static final String RENAMED = "renamed";
        public static final String ADMINS = "admins";

        public GroupEvent {
            users = users == null ? null : List.copyOf(users);
        }

        public String sender() {
            return by;
        }

        public String type() {
            return "group_event";
        }

        public boolean level3() {
            return true;
        }
    }

    @JsonPropertyOrder({"group_id", "msg_id", "delivered", "read"})
    record GroupReceiptsResponse(@JsonProperty("group_id") String groupId, @JsonProperty("msg_id") long msgId,
                                 List<String> delivered, List<String> read) implements ServerFrame {
        public GroupReceiptsResponse {
            delivered = List.copyOf(delivered);
            read = List.copyOf(read);
        }

        public String type() {
            return "group_receipts_response";
        }

        public boolean level3() {
            return true;
        }
    }

    /** Level 3: the user read up to `up_to` on another device (live only; `conversations` has it later). */
    @JsonPropertyOrder({"peer", "group_id", "up_to"})
    record ReadMarker(String peer, @JsonProperty("group_id") String groupId, @JsonProperty("up_to") long upTo)
            implements ServerFrame {
        public String type() {
            return "read_marker";
        }

        public boolean level3() {
            return true;
        }
    }

    /** One row of devices_response; `current`: the device of the connection that asked. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"device", "device_name", "online", "last_seen", "current"})
    record DeviceInfo(String device, @JsonProperty("device_name") String deviceName, boolean online,
                      @JsonProperty("last_seen") Long lastSeen, boolean current) {
    }

    record DevicesResponse(List<DeviceInfo> devices) implements ServerFrame {
        public DevicesResponse {
            devices = List.copyOf(devices);
        }

        public String type() {
            return "devices_response";
        }

        public boolean level3() {
            return true;
        }
    }

    /** Level 3: this device was signed out from another one (revoke_device); the connection closes next. */
    record SessionRevoked(String message) implements ServerFrame {
        public String type() {
            return "session_revoked";
        }

        public boolean level3() {
            return true;
        }
    }
}
