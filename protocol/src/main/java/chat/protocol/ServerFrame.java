package chat.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * Frames the server sends. Level-2-only types are marked; a level 1 connection never receives them.
 * (The Jackson annotations are for messages between cluster nodes that carry a frame, not for the wire.)
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "@frame")
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

        public String type() {
            return "register_response";
        }

        public boolean level1() {
            return true;
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("status", status);
            Json.optString(out, "code", code);
            Json.optString(out, "message", message);
        }
    }

    /** `token` only for level 2. */
    record LoginResponse(String status, String username, String token, String code, String message)
            implements ServerFrame {
        public static LoginResponse success(String username, String token) {
            return new LoginResponse(SUCCESS, username, token, null, null);
        }

        public static LoginResponse error(String code, String message) {
            return new LoginResponse(ERROR, null, null, code, message);
        }

        public String type() {
            return "login_response";
        }

        public boolean level1() {
            return true;
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("status", status);
            Json.optString(out, "username", username);
            Json.optString(out, "token", token);
            Json.optString(out, "code", code);
            Json.optString(out, "message", message);
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
    record Message(long msgId, String id, String sender, String receiver, String content, String timestamp,
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

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeNumberField("msg_id", msgId);
            Json.optString(out, "id", id);
            out.writeStringField("sender", sender);
            out.writeStringField("receiver", receiver);
            out.writeStringField("content", content);
            out.writeStringField("timestamp", timestamp);
            out.writeNumberField("ts", ts);
            Json.optString(out, "status", status);
        }
    }

    /** Level 2: the message is committed to the store. Sent again, identical, for an idempotent resend. */
    record MessageAck(String id, long msgId, String receiver, long ts, String timestamp) implements ServerFrame {
        public String type() {
            return "message_ack";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optString(out, "id", id);
            out.writeNumberField("msg_id", msgId);
            out.writeStringField("receiver", receiver);
            out.writeNumberField("ts", ts);
            out.writeStringField("timestamp", timestamp);
        }
    }

    /** Codes: unknown_user, content_too_large, rate_limited, mailbox_full, store_unavailable. */
    record MessageError(String recipient, String message, String id, String code) implements ServerFrame {
        public static final String UNKNOWN_USER = "unknown_user";
        public static final String CONTENT_TOO_LARGE = "content_too_large";
        public static final String RATE_LIMITED = "rate_limited";
        public static final String MAILBOX_FULL = "mailbox_full";
        public static final String STORE_UNAVAILABLE = "store_unavailable";

        public String type() {
            return "message_error";
        }

        public boolean level1() {
            return true;
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optString(out, "recipient", recipient);
            out.writeStringField("message", message);
            Json.optString(out, "id", id);
            out.writeStringField("code", code);
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

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("from", from);
            out.writeStringField("status", status);
        }
    }

    record UserStatus(String username, String status, Long lastSeen) implements ServerFrame {
        public String type() {
            return "user_status";
        }

        public boolean level1() {
            return true;
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("username", username);
            out.writeStringField("status", status);
            Json.optLong(out, "last_seen", lastSeen);
        }
    }

    /** One row of `user_list` and `contacts`. */
    record UserInfo(String username, String status, Long lastSeen) {
        void write(JsonGenerator out) throws IOException {
            out.writeStartObject();
            out.writeStringField("username", username);
            out.writeStringField("status", status);
            Json.optLong(out, "last_seen", lastSeen);
            out.writeEndObject();
        }
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

        public void writeFields(JsonGenerator out) throws IOException {
            writeUsers(out, users);
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

        public void writeFields(JsonGenerator out) throws IOException {
            writeUsers(out, users);
        }
    }

    record Ping() implements ServerFrame {
        public String type() {
            return "ping";
        }

        public boolean level1() {
            return true;
        }

        public void writeFields(JsonGenerator out) {
        }
    }

    record Pong() implements ServerFrame {
        public String type() {
            return "pong";
        }

        public void writeFields(JsonGenerator out) {
        }
    }

    /**
     * Level 2. "delivered" names one message (`msg_id`, and the sender's `id` when it gave one);
     * "read" names everything from the reader up to `up_to`. `peer` is the other party.
     */
    record Receipt(Long msgId, String id, String peer, String status, Long upTo, long ts) implements ServerFrame {
        public static final String DELIVERED = "delivered";
        public static final String READ = "read";

        public String type() {
            return "receipt";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optLong(out, "msg_id", msgId);
            Json.optString(out, "id", id);
            out.writeStringField("peer", peer);
            out.writeStringField("status", status);
            Json.optLong(out, "up_to", upTo);
            out.writeNumberField("ts", ts);
        }
    }

    /** Level 2: every pending message has been sent; `count` of them. */
    record ReplayDone(long count) implements ServerFrame {
        public String type() {
            return "replay_done";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeNumberField("count", count);
        }
    }

    record HistoryResponse(String peer, List<Message> messages, boolean hasMore) implements ServerFrame {
        public HistoryResponse {
            messages = List.copyOf(messages);
        }

        public String type() {
            return "history_response";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("peer", peer);
            out.writeArrayFieldStart("messages");
            for (Message m : messages) {
                writeObject(out, m);
            }
            out.writeEndArray();
            out.writeBooleanField("has_more", hasMore);
        }
    }

    /** One row of `conversations_response`; `unread` counts messages from `peer` above the read marker. */
    record Conversation(String peer, String status, Long lastSeen, Message last, long unread) {
        void write(JsonGenerator out) throws IOException {
            out.writeStartObject();
            out.writeStringField("peer", peer);
            out.writeStringField("status", status);
            Json.optLong(out, "last_seen", lastSeen);
            if (last != null) {
                out.writeFieldName("last");
                writeObject(out, last);
            }
            out.writeNumberField("unread", unread);
            out.writeEndObject();
        }
    }

    record ConversationsResponse(List<Conversation> conversations) implements ServerFrame {
        public ConversationsResponse {
            conversations = List.copyOf(conversations);
        }

        public String type() {
            return "conversations_response";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeArrayFieldStart("conversations");
            for (Conversation c : conversations) {
                c.write(out);
            }
            out.writeEndArray();
        }
    }

    /** Level 2: a newer login of the same user took over; this connection closes next. */
    record SessionReplaced(String message) implements ServerFrame {
        public String type() {
            return "session_replaced";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optString(out, "message", message);
        }
    }

    /** Codes: bad_frame, unknown_type, frame_too_large, not_authenticated, rate_limited, internal. */
    record Error(String code, String message, String ref) implements ServerFrame {
        public String type() {
            return "error";
        }

        public boolean level1() {
            return true; // the one new type level 1 connections may get (PROTOCOL.md)
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("code", code);
            out.writeStringField("message", message);
            Json.optString(out, "ref", ref);
        }
    }

    private static void writeUsers(JsonGenerator out, List<UserInfo> users) throws IOException {
        out.writeArrayFieldStart("users");
        for (UserInfo u : users) {
            u.write(out);
        }
        out.writeEndArray();
    }

    private static void writeObject(JsonGenerator out, Frame frame) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", frame.type());
        frame.writeFields(out);
        out.writeEndObject();
    }
}
