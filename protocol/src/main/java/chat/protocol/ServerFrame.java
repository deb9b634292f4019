package chat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
        @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error")
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
    record Message(@JsonProperty("msg_id") long msgId, String id, String sender, String receiver, String content, String timestamp,
                   long ts, String status) implements ServerFrame {
        public Message withStatus(String newStatus) {
            return new Message(msgId, id, sender, receiver, content, timestamp, ts, newStatus);
        }

        public String type() {
            return "message";
        }

        public boolean level1() {
            return true;
        }
    }

    /** Level 2: the message is committed to the store. Sent again, identical, for an idempotent resend. */
    record MessageAck(String id, @JsonProperty("msg_id") long msgId, String receiver, long ts, String timestamp) implements ServerFrame {
        public String type() {
            return "message_ack";
        }
    }

    /** Codes: unknown_user, content_too_large, rate_limited, mailbox_full, store_unavailable (level 3: not_a_member ...). */
    record MessageError(String recipient, String message, String id, String code) implements ServerFrame {
        // as strings for the callers that compare them; see ErrorCode
        public static final String UNKNOWN_USER = ErrorCode.UNKNOWN_USER.wire();
        public static final String CONTENT_TOO_LARGE = ErrorCode.CONTENT_TOO_LARGE.wire();
        public static final String RATE_LIMITED = ErrorCode.RATE_LIMITED.wire();
        public static final String MAILBOX_FULL = ErrorCode.MAILBOX_FULL.wire();
        public static final String STORE_UNAVAILABLE = ErrorCode.STORE_UNAVAILABLE.wire();

        public MessageError(String recipient, String message, String id, ErrorCode code) {
            this(recipient, message, id, code.wire());
        }

        public String type() {
            return "message_error";
        }

        public boolean level1() {
            return true;
        }
    }

    /** `status` is "typing" or "stopped". */
    record TypingNotification(String from, String status) implements ServerFrame {
        public static final String TYPING = "typing";
        public static final String STOPPED = "stopped";

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
    record Receipt(@JsonProperty("msg_id") Long msgId, String id, String peer, String status,
                   @JsonProperty("up_to") Long upTo, long ts) implements ServerFrame {
        public static final String DELIVERED = "delivered";
        public static final String READ = "read";

        public String type() {
            return "receipt";
        }
    }

    /** Level 2: every pending message has been sent; `count` of them. */
    record ReplayDone(long count) implements ServerFrame {
        public String type() {
            return "replay_done";
        }
    }

    record HistoryResponse(String peer, List<Message> messages, @JsonProperty("has_more") boolean hasMore) implements ServerFrame {
        public HistoryResponse {
            messages = List.copyOf(messages);
        }

        public String type() {
            return "history_response";
        }
    }

    /** One row of `conversations_response`; `unread` counts messages from `peer` above the read marker. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Conversation(String peer, String status, @JsonProperty("last_seen") Long lastSeen, Message last, long unread) {
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
}
