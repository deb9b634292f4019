package chat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Frames a client sends. Fields a frame may carry but the server must ignore (a client-supplied
 * `sender`, or `username` on typing frames) are deliberately not modelled: they cannot reach the server's logic.
 *
 * <p>Clients encode them through the Jackson annotations (FrameCodec's mapper, as for server frames);
 * the server decodes them with FrameCodec's strict reader, which names the frame in every error.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientFrame.Register.class, name = "register"),
        @JsonSubTypes.Type(value = ClientFrame.Login.class, name = "login"),
        @JsonSubTypes.Type(value = ClientFrame.Logout.class, name = "logout"),
        @JsonSubTypes.Type(value = ClientFrame.Message.class, name = "message"),
        @JsonSubTypes.Type(value = ClientFrame.Typing.class, name = "typing"),
        @JsonSubTypes.Type(value = ClientFrame.StopTyping.class, name = "stop_typing"),
        @JsonSubTypes.Type(value = ClientFrame.GetUsers.class, name = "get_users"),
        @JsonSubTypes.Type(value = ClientFrame.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = ClientFrame.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ClientFrame.Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = ClientFrame.Read.class, name = "read"),
        @JsonSubTypes.Type(value = ClientFrame.History.class, name = "history"),
        @JsonSubTypes.Type(value = ClientFrame.AddContact.class, name = "add_contact"),
        @JsonSubTypes.Type(value = ClientFrame.RemoveContact.class, name = "remove_contact"),
        @JsonSubTypes.Type(value = ClientFrame.GetContacts.class, name = "get_contacts"),
        @JsonSubTypes.Type(value = ClientFrame.Conversations.class, name = "conversations")
})
public sealed interface ClientFrame extends Frame {

    /** `version` absent means level 1, the seed's protocol. */
    record Register(String username, String password, Integer version) implements ClientFrame {
        public String type() {
            return "register";
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

        @Override
        public String toString() { // never let a password or token reach a log line
            return "Login[username=" + username + ", version=" + version + "]";
        }
    }

    record Logout() implements ClientFrame {
        public String type() {
            return "logout";
        }
    }

    /** `id` is the sender's idempotency key (level 2, at most 64 chars). */
    @JsonPropertyOrder({"id", "receiver", "content"})
    record Message(String receiver, String content, String id) implements ClientFrame {
        public String type() {
            return "message";
        }
    }

    record Typing(String recipient) implements ClientFrame {
        public String type() {
            return "typing";
        }
    }

    /** `recipient` absent means whoever the user was last typing to. */
    record StopTyping(String recipient) implements ClientFrame {
        public String type() {
            return "stop_typing";
        }
    }

    record GetUsers(String query, Integer limit) implements ClientFrame {
        public String type() {
            return "get_users";
        }
    }

    record Ping() implements ClientFrame {
        public String type() {
            return "ping";
        }
    }

    record Pong() implements ClientFrame {
        public String type() {
            return "pong";
        }
    }

    record Ack(@JsonProperty("msg_ids") List<Long> msgIds) implements ClientFrame {
        public Ack {
            msgIds = List.copyOf(msgIds);
        }

        public String type() {
            return "ack";
        }
    }

    record Read(String peer, @JsonProperty("up_to") long upTo) implements ClientFrame {
        public String type() {
            return "read";
        }
    }

    record History(String peer, Long before, Integer limit) implements ClientFrame {
        public String type() {
            return "history";
        }
    }

    record AddContact(String username) implements ClientFrame {
        public String type() {
            return "add_contact";
        }
    }

    record RemoveContact(String username) implements ClientFrame {
        public String type() {
            return "remove_contact";
        }
    }

    /** Level 2: the user's contact list, answered with `contacts` (an addition to PROTOCOL.md's frames). */
    record GetContacts() implements ClientFrame {
        public String type() {
            return "get_contacts";
        }
    }

    record Conversations(Integer limit) implements ClientFrame {
        public String type() {
            return "conversations";
        }
    }
}
