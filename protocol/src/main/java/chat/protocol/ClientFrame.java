package chat.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * Frames a client sends. Fields a frame may carry but the server must ignore (a client-supplied
 * `sender`, or `username` on typing frames) are deliberately not modelled: they cannot reach the server's logic.
 */
public sealed interface ClientFrame extends Frame {

    /** `version` absent means level 1, the seed's protocol. */
    record Register(String username, String password, Integer version) implements ClientFrame {
        public String type() {
            return "register";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("username", username);
            out.writeStringField("password", password);
            Json.optInt(out, "version", version);
        }

        @Override
        public String toString() { // never let a password reach a log line
            return "Register[username=" + username + ", version=" + version + "]";
        }
    }

    /** Either `password` or (level 2) `token`. */
    record Login(String username, String password, String token, Integer version) implements ClientFrame {
        public String type() {
            return "login";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optString(out, "username", username);
            Json.optString(out, "password", password);
            Json.optString(out, "token", token);
            Json.optInt(out, "version", version);
        }

        @Override
        public String toString() { // never let a password or token reach a log line
            return "Login[username=" + username + ", version=" + version + "]";
        }
    }

    record Logout() implements ClientFrame {
        public String type() {
            return "logout";
        }

        public void writeFields(JsonGenerator out) {
        }
    }

    /** `id` is the sender's idempotency key (level 2, at most 64 chars). */
    record Message(String receiver, String content, String id) implements ClientFrame {
        public String type() {
            return "message";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optString(out, "id", id);
            out.writeStringField("receiver", receiver);
            out.writeStringField("content", content);
        }
    }

    record Typing(String recipient) implements ClientFrame {
        public String type() {
            return "typing";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("recipient", recipient);
        }
    }

    /** `recipient` absent means whoever the user was last typing to. */
    record StopTyping(String recipient) implements ClientFrame {
        public String type() {
            return "stop_typing";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optString(out, "recipient", recipient);
        }
    }

    record GetUsers(String query, Integer limit) implements ClientFrame {
        public String type() {
            return "get_users";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optString(out, "query", query);
            Json.optInt(out, "limit", limit);
        }
    }

    record Ping() implements ClientFrame {
        public String type() {
            return "ping";
        }

        public void writeFields(JsonGenerator out) {
        }
    }

    record Pong() implements ClientFrame {
        public String type() {
            return "pong";
        }

        public void writeFields(JsonGenerator out) {
        }
    }

    record Ack(List<Long> msgIds) implements ClientFrame {
        public Ack {
            msgIds = List.copyOf(msgIds);
        }

        public String type() {
            return "ack";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.longs(out, "msg_ids", msgIds);
        }
    }

    record Read(String peer, long upTo) implements ClientFrame {
        public String type() {
            return "read";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("peer", peer);
            out.writeNumberField("up_to", upTo);
        }
    }

    record History(String peer, Long before, Integer limit) implements ClientFrame {
        public String type() {
            return "history";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("peer", peer);
            Json.optLong(out, "before", before);
            Json.optInt(out, "limit", limit);
        }
    }

    record AddContact(String username) implements ClientFrame {
        public String type() {
            return "add_contact";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("username", username);
        }
    }

    record RemoveContact(String username) implements ClientFrame {
        public String type() {
            return "remove_contact";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("username", username);
        }
    }

    /** Level 2: the user's contact list, answered with `contacts` (an addition to PROTOCOL.md's frames). */
    record GetContacts() implements ClientFrame {
        public String type() {
            return "get_contacts";
        }

        public void writeFields(JsonGenerator out) {
        }
    }

    record Conversations(Integer limit) implements ClientFrame {
        public String type() {
            return "conversations";
        }

        public void writeFields(JsonGenerator out) throws IOException {
            Json.optInt(out, "limit", limit);
        }
    }
}
