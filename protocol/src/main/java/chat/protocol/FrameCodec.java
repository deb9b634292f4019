package chat.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON-lines codec. Frames are encoded, and server frames decoded, by Jackson databind from the
 * frames' annotations: the same binding Pekko's CBOR serializer uses for frames that cross between
 * cluster nodes, so a frame has one encoding. Client frames are decoded with Jackson's streaming
 * parser in one pass, with no tree and no reflection: every field is type-checked by hand, so a wrong
 * JSON type is a `bad_frame` (never silently coerced) and the error can still name the frame's `type`.
 */
public final class FrameCodec {

    /** Longest client idempotency key (PROTOCOL.md). */
    public static final int MAX_CLIENT_ID_CHARS = 64;

    /** Emoji go out as UTF-8, not as pairs of \\u escapes of their surrogates. */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /**
     * The one mapper of the wire. Names, the `type` property and the omission of absent fields come
     * from the frames' annotations, not from here, so that Pekko's own mapper encodes them alike.
     */
    static final JsonMapper MAPPER = JsonMapper.builder(JSON)
            // a newer server may add fields to a frame (PROTOCOL.md: extra fields are fine)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final ObjectReader SERVER_FRAMES = MAPPER.readerFor(ServerFrame.class);

    private FrameCodec() {
    }

    /** One growing buffer per thread: encoding allocates only the finished line. */
    private static final ThreadLocal<ByteArrayBuilder> BUFFERS = ThreadLocal.withInitial(() -> new ByteArrayBuilder(1024));

    /** Encodes a frame as one line: the JSON object and a trailing '\n'. */
    public static byte[] encode(Frame frame) {
        ByteArrayBuilder buffer = BUFFERS.get();
        buffer.reset();
        try (JsonGenerator out = JSON.createGenerator(buffer)) {
            if (frame instanceof ServerFrame || frame instanceof ClientFrame) {
                WRITER.writeValue(out, frame);
            } else {
                out.writeStartObject();
                out.writeStringField("type", frame.type());
                frame.writeFields(out);
                out.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + frame.type(), e); // only from a bug in a binding
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    public static String encodeToString(Frame frame) {
        return new String(encode(frame), StandardCharsets.UTF_8);
    }

    /** Frame.writeFields for frames that do not write their own: the binding's fields, `type` and nulls left out. */
    static void writeFieldsOf(Frame frame, JsonGenerator out) throws IOException {
        ObjectNode fields = MAPPER.valueToTree(frame);
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
            if (!f.getKey().equals("type") && !f.getValue().isNull()) {
                out.writeFieldName(f.getKey());
                MAPPER.writeTree(out, f.getValue());
            }
        }
    }

    public static ClientFrame decodeClient(String line) throws ProtocolError {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return decodeClient(bytes, 0, bytes.length);
    }

    /** Decodes one line (without its '\n') sent by a client. */
    public static ClientFrame decodeClient(byte[] bytes, int offset, int length) throws ProtocolError {
        if (!Utf8.isValid(bytes, offset, length)) {
            throw ProtocolError.badFrame("frame is not valid UTF-8", null);
        }
        ClientFields fields = new ClientFields();
        try (JsonParser in = JSON.createParser(bytes, offset, length)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw ProtocolError.badFrame("a frame must be a JSON object", null);
            }
            fields.read(in);
            if (in.nextToken() != null) {
                throw ProtocolError.badFrame("unexpected data after the JSON object", fields.type);
            }
        } catch (IOException e) {
            throw ProtocolError.badFrame("invalid JSON: " + firstLine(e.getMessage()), fields.type);
        }
        return fields.toFrame();
    }

    /**
     * Decodes one line sent by a server; used by the client library and the load generator. Lenient
     * as a client should be: unknown fields are ignored, an unknown `type` is an `unknown_type` error.
     */
    public static ServerFrame decodeServer(String line) throws ProtocolError {
        try (JsonParser in = MAPPER.createParser(line)) {
            if (in.nextToken() != JsonToken.START_OBJECT) { // databind would read an array as [type, fields]
                throw ProtocolError.badFrame("a frame must be a JSON object", null);
            }
            return SERVER_FRAMES.readValue(in);
        } catch (InvalidTypeIdException e) {
            String type = e.getTypeId();
            if (type == null) {
                throw ProtocolError.badFrame("missing field 'type'", null);
            }
            throw new ProtocolError(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + type + "'", type);
        } catch (JsonProcessingException e) {
            throw ProtocolError.badFrame("invalid JSON: " + firstLine(e.getOriginalMessage()), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String has no I/O to fail
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        return first.length() > 200 ? first.substring(0, 200) : first;
    }

    /** The union of all client frame fields, read in one pass; wrong types are remembered, not thrown, until the type is known. */
    private static final class ClientFields {
        private static final Object WRONG = new Object();

        String type;
        boolean typeWrong;
        Object username;
        Object password;
        Object token;
        Object receiver;
        Object content;
        Object recipient;
        Object id;
        Object peer;
        Object query;
        Object version;
        Object limit;
        Object before;
        Object upTo;
        Object msgIds;
        Object groupId;
        Object device;
        Object deviceName;
        Object groupName;
        Object members;
        Object add;
        Object remove;
        Object admins;
        Object msgId;

        void read(JsonParser in) throws IOException {
            JsonToken t;
            while ((t = in.nextToken()) == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                switch (name) {
                    case "type" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            type = in.getText();
                            typeWrong = false;
                        } else {
                            type = null;
                            typeWrong = true;
                            in.skipChildren();
                        }
                    }
                    case "username" -> username = string(in, value);
                    case "password" -> password = string(in, value);
                    case "token" -> token = string(in, value);
                    case "receiver" -> receiver = string(in, value);
                    case "content" -> content = string(in, value);
                    case "recipient" -> recipient = string(in, value);
                    case "id" -> id = string(in, value);
                    case "peer" -> peer = string(in, value);
                    case "query" -> query = string(in, value);
                    case "version" -> version = integer(in, value);
                    case "limit" -> limit = integer(in, value);
                    case "before" -> before = integer(in, value);
                    case "up_to" -> upTo = integer(in, value);
                    case "msg_ids" -> msgIds = integers(in, value);
                    case "group_id" -> groupId = string(in, value);
                    case "device" -> device = string(in, value);
                    case "device_name" -> deviceName = string(in, value);
                    case "name" -> groupName = string(in, value);
                    case "members" -> members = strings(in, value);
                    case "add" -> add = strings(in, value);
                    case "remove" -> remove = strings(in, value);
                    case "admins" -> admins = strings(in, value);
                    case "msg_id" -> msgId = integer(in, value);
                    default -> in.skipChildren(); // unknown fields are ignored, `sender` among them
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IOException("unterminated object");
            }
        }

        private static Object string(JsonParser in, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                return in.getText();
            }
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            in.skipChildren();
            return WRONG;
        }

        private static Object integer(JsonParser in, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NUMBER_INT) {
                try {
                    return in.getLongValue();
                } catch (IOException outOfRange) {
                    return WRONG;
                }
            }
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            in.skipChildren();
            return WRONG;
        }

        private static Object integers(JsonParser in, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value != JsonToken.START_ARRAY) {
                in.skipChildren();
                return WRONG;
            }
            List<Long> ids = new ArrayList<>();
            boolean wrong = false;
            JsonToken t;
            while ((t = in.nextToken()) != JsonToken.END_ARRAY) {
                Object n = integer(in, t);
                if (n instanceof Long l) {
                    ids.add(l);
                } else {
                    wrong = true;
                }
            }
            return wrong ? WRONG : ids;
        }

        private static Object strings(JsonParser in, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value != JsonToken.START_ARRAY) {
                in.skipChildren();
                return WRONG;
            }
            List<String> out = new ArrayList<>();
            boolean wrong = false;
            JsonToken t;
            while ((t = in.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_STRING) {
                    out.add(in.getText());
                } else {
                    in.skipChildren();
                    wrong = true;
                }
            }
            return wrong ? WRONG : out;
        }

        ClientFrame toFrame() throws ProtocolError {
            if (typeWrong) {
                throw ProtocolError.badFrame("field 'type' must be a string", null);
            }
            if (type == null) {
                throw ProtocolError.badFrame("missing field 'type'", null);
            }
            return switch (type) {
                case "register" -> new ClientFrame.Register(
                        required(username, "username"), required(password, "password"), version());
                case "login" -> login();
                case "logout" -> new ClientFrame.Logout();
                case "message" -> {
                    String clientId = optional(id, "id");
                    if (clientId != null && clientId.length() > MAX_CLIENT_ID_CHARS) {
                        throw ProtocolError.badFrame("field 'id' is longer than " + MAX_CLIENT_ID_CHARS + " characters", type);
                    }
                    String group = optional(groupId, "group_id");
                    // a level 1 or 2 session that gets a group_id without a receiver answers "missing field 'receiver'"
                    yield new ClientFrame.Message(group == null ? required(receiver, "receiver") : optional(receiver, "receiver"),
                            required(content, "content"), clientId, group);
                }
                case "typing" -> {
                    String group = optional(groupId, "group_id");
                    yield new ClientFrame.Typing(group == null ? required(recipient, "recipient")
                            : optional(recipient, "recipient"), group);
                }
                case "stop_typing" -> new ClientFrame.StopTyping(optional(recipient, "recipient"), optional(groupId, "group_id"));
                case "get_users" -> new ClientFrame.GetUsers(optional(query, "query"), optionalInt(limit, "limit"));
                case "ping" -> new ClientFrame.Ping();
                case "pong" -> new ClientFrame.Pong();
                case "ack" -> new ClientFrame.Ack(requiredIds());
                case "read" -> {
                    String group = optional(groupId, "group_id");
                    yield new ClientFrame.Read(group == null ? required(peer, "peer") : optional(peer, "peer"),
                            requiredLong(upTo, "up_to"), group);
                }
                case "history" -> {
                    String group = optional(groupId, "group_id");
                    yield new ClientFrame.History(group == null ? required(peer, "peer") : optional(peer, "peer"),
                            optionalLong(before, "before"), optionalInt(limit, "limit"), group);
                }
                case "add_contact" -> new ClientFrame.AddContact(required(username, "username"));
                case "remove_contact" -> new ClientFrame.RemoveContact(required(username, "username"));
                case "conversations" -> new ClientFrame.Conversations(optionalInt(limit, "limit"));
                case "get_contacts" -> new ClientFrame.GetContacts();
                case "create_group" -> {
                    String clientId = optional(id, "id");
                    if (clientId != null && clientId.length() > MAX_CLIENT_ID_CHARS) {
                        throw ProtocolError.badFrame("field 'id' is longer than " + MAX_CLIENT_ID_CHARS + " characters", type);
                    }
                    List<String> listed = optionalStrings(members, "members");
                    yield new ClientFrame.CreateGroup(required(groupName, "name"), listed == null ? List.of() : listed, clientId);
                }
                case "group_update" -> new ClientFrame.GroupUpdate(required(groupId, "group_id"), optionalStrings(add, "add"),
                        optionalStrings(remove, "remove"), optionalStrings(admins, "admins"), optional(groupName, "name"));
                case "leave_group" -> new ClientFrame.LeaveGroup(required(groupId, "group_id"));
                case "groups" -> new ClientFrame.Groups();
                case "group_receipts" -> new ClientFrame.GroupReceipts(required(groupId, "group_id"),
                        requiredLong(msgId, "msg_id"));
                case "devices" -> new ClientFrame.Devices();
                case "revoke_device" -> new ClientFrame.RevokeDevice(required(device, "device"));
                default -> throw new ProtocolError(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + abbreviate(type) + "'",
                        abbreviate(type));
            };
        }

        private ClientFrame login() throws ProtocolError {
            String user = required(username, "username");
            String pass = optional(password, "password");
            String tok = optional(token, "token");
            if (pass == null && tok == null) {
                throw ProtocolError.badFrame("login needs 'password' or 'token'", type);
            }
            return new ClientFrame.Login(user, pass, tok, version(), optional(device, "device"),
                    optional(deviceName, "device_name"));
        }

        private Integer version() throws ProtocolError {
            Integer v = optionalInt(version, "version");
            if (v != null && v < 1) {
                throw ProtocolError.badFrame("field 'version' must be 1 or more", type);
            }
            return v;
        }

        private String required(Object value, String name) throws ProtocolError {
            String s = optional(value, name);
            if (s == null) {
                throw ProtocolError.badFrame("missing field '" + name + "'", type);
            }
            return s;
        }

        private String optional(Object value, String name) throws ProtocolError {
            if (value == WRONG) {
                throw ProtocolError.badFrame("field '" + name + "' must be a string", type);
            }
            return (String) value;
        }

        private Long optionalLong(Object value, String name) throws ProtocolError {
            if (value == WRONG) {
                throw ProtocolError.badFrame("field '" + name + "' must be an integer", type);
            }
            return (Long) value;
        }

        private long requiredLong(Object value, String name) throws ProtocolError {
            Long l = optionalLong(value, name);
            if (l == null) {
                throw ProtocolError.badFrame("missing field '" + name + "'", type);
            }
            return l;
        }

        private Integer optionalInt(Object value, String name) throws ProtocolError {
            Long l = optionalLong(value, name);
            if (l == null) {
                return null;
            }
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
        }

        @SuppressWarnings("unchecked")
        private List<String> optionalStrings(Object value, String name) throws ProtocolError {
            if (value == WRONG) {
                throw ProtocolError.badFrame("field '" + name + "' must be an array of strings", type);
            }
            return (List<String>) value;
        }

        @SuppressWarnings("unchecked")
        private List<Long> requiredIds() throws ProtocolError {
            if (msgIds == WRONG) {
                throw ProtocolError.badFrame("field 'msg_ids' must be an array of integers", type);
            }
            if (msgIds == null) {
                throw ProtocolError.badFrame("missing field 'msg_ids'", type);
            }
            return (List<Long>) msgIds;
        }

        private static String abbreviate(String s) {
            return s.length() > 64 ? s.substring(0, 64) : s;
        }
    }
}
