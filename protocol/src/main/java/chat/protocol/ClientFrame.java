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
        @JsonSubTypes.Type(value = ClientFrame.Conversations.class, name = "conversations"),
        @JsonSubTypes.Type(value = ClientFrame.CreateGroup.class, name = "create_group"),
        @JsonSubTypes.Type(value = ClientFrame.GroupUpdate.class, name = "group_update"),
        @JsonSubTypes.Type(value = ClientFrame.LeaveGroup.class, name = "leave_group"),
        @JsonSubTypes.Type(value = ClientFrame.Groups.class, name = "groups"),
        @JsonSubTypes.Type(value = ClientFrame.GroupReceipts.class, name = "group_receipts"),
        @JsonSubTypes.Type(value = ClientFrame.Devices.class, name = "devices"),
        @JsonSubTypes.Type(value = ClientFrame.RevokeDevice.class, name = "revoke_device")
})
public sealed interface ClientFrame extends Frame {

    /** True for the types of level 3 (groups and devices): a level 1 or 2 connection gets unknown_type for them. */
    default boolean level3() {
        return false;
    }

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

    /** Either `password` or (level 2) `token`; level 3 names its `device` (and a `device_name` for people). */
    @JsonPropertyOrder({"username", "password", "token", "version", "device", "device_name"})
    record Login(String username, String password, String token, Integer version, String device,
                 @JsonProperty("device_name") String deviceName) implements ClientFrame {
        public Login(String username, String password, String token, Integer version) {
            this(username, password, token, version, null, null);
        }

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
    /** Level 3: `group_id` instead of `receiver` for a group message. */
    @JsonPropertyOrder({"id", "receiver", "group_id", "content"})
    record Message(String receiver, String content, String id, @JsonProperty("group_id") String groupId)
            implements ClientFrame {
        public Message(String receiver, String content, String id) {
            this(receiver, content, id, null);
        }

        public static Message toGroup(String groupId, String content, String id) {
            return new Message(null, content, id, groupId);
        }

        public String type() {
            return "message";
        }
    }

    /** `recipient`, or (level 3) `group_id`. */
    record Typing(String recipient, @JsonProperty("group_id") String groupId) implements ClientFrame {
        public Typing(String recipient) {
            this(recipient, null);
        }

        public String type() {
            return "typing";
        }
    }

    /** `recipient` absent means whoever the user was last typing to. */
    record StopTyping(String recipient, @JsonProperty("group_id") String groupId) implements ClientFrame {
        public StopTyping(String recipient) {
            this(recipient, null);
        }

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

    /** `peer`, or (level 3) `group_id`. */
    @JsonPropertyOrder({"peer", "group_id", "up_to"})
    record Read(String peer, @JsonProperty("up_to") long upTo, @JsonProperty("group_id") String groupId)
            implements ClientFrame {
        public Read(String peer, long upTo) {
            this(peer, upTo, null);
        }

        public String type() {
            return "read";
        }
    }

    /** `peer`, or (level 3) `group_id`. */
    @JsonPropertyOrder({"peer", "group_id", "before", "limit"})
    record History(String peer, Long before, Integer limit, @JsonProperty("group_id") String groupId)
            implements ClientFrame {
        public History(String peer, Long before, Integer limit) {
            this(peer, before, limit, null);
        }

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

    // ---- level 3 -----------------------------------------------------------------------------

    /** `id`: idempotency key, as for a message: a resend creates nothing and gets the same group. */
    record CreateGroup(String name, List<String> members, String id) implements ClientFrame {
        public CreateGroup {
            members = List.copyOf(members);
        }

        public String type() {
            return "create_group";
        }

        public boolean level3() {
            return true;
        }
    }

    /** Admins only. `admins`, when present, is the complete new admin list. */
    @JsonPropertyOrder({"group_id", "add", "remove", "admins", "name"})
    record GroupUpdate(@JsonProperty("group_id") String groupId, List<String> add, List<String> remove,
                       List<String> admins, String name) implements ClientFrame {
        public GroupUpdate {
            add = add == null ? null : List.copyOf(add);
            remove = remove == null ? null : List.copyOf(remove);
            admins = admins == null ? null : List.copyOf(admins);
        }

        public String type() {
            return "group_update";
        }

        public boolean level3() {
            return true;
        }
    }

    record LeaveGroup(@JsonProperty("group_id") String groupId) implements ClientFrame {
        public String type() {
            return "leave_group";
        }

        public boolean level3() {
            return true;
        }
    }

    record Groups() implements ClientFrame {
        public String type() {
            return "groups";
        }

        public boolean level3() {
            return true;
        }
    }

    record GroupReceipts(@JsonProperty("group_id") String groupId, @JsonProperty("msg_id") long msgId)
            implements ClientFrame {
        public String type() {
            return "group_receipts";
        }

        public boolean level3() {
            return true;
        }
    }

    record Devices() implements ClientFrame {
        public String type() {
            return "devices";
        }

        public boolean level3() {
            return true;
        }
    }

    record RevokeDevice(String device) implements ClientFrame {
        public String type() {
            return "revoke_device";
        }

        public boolean level3() {
            return true;
        }
    }
}
