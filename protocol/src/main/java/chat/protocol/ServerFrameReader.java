package chat.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads server frames for clients. A client reads far fewer frames than a server and they nest
 * (user lists, history pages), so a tree is the simple choice here.
 */
final class ServerFrameReader {

    private static final ObjectMapper MAPPER = new ObjectMapper(FrameCodec.JSON);

    private ServerFrameReader() {
    }

    static ServerFrame read(String line) throws ProtocolError {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw ProtocolError.badFrame("invalid JSON: " + FrameCodec.firstLine(e.getOriginalMessage()), null);
        }
        if (n == null || !n.isObject()) {
            throw ProtocolError.badFrame("a frame must be a JSON object", null);
        }
        String type = text(n, "type");
        if (type == null) {
            throw ProtocolError.badFrame("missing field 'type'", null);
        }
        return switch (type) {
            case "register_response" -> new ServerFrame.RegisterResponse(text(n, "status"), text(n, "code"), text(n, "message"));
            case "login_response" -> new ServerFrame.LoginResponse(text(n, "status"), text(n, "username"), text(n, "token"),
                    text(n, "code"), text(n, "message"));
            case "message" -> message(n);
            case "message_ack" -> new ServerFrame.MessageAck(text(n, "id"), num(n, "msg_id"), text(n, "receiver"),
                    num(n, "ts"), text(n, "timestamp"));
            case "message_error" -> new ServerFrame.MessageError(text(n, "recipient"), text(n, "message"), text(n, "id"),
                    text(n, "code"));
            case "typing_notification" -> new ServerFrame.TypingNotification(text(n, "from"), text(n, "status"));
            case "user_status" -> new ServerFrame.UserStatus(text(n, "username"), text(n, "status"), optNum(n, "last_seen"));
            case "user_list" -> new ServerFrame.UserList(users(n));
            case "contacts" -> new ServerFrame.Contacts(users(n));
            case "ping" -> new ServerFrame.Ping();
            case "pong" -> new ServerFrame.Pong();
            case "receipt" -> new ServerFrame.Receipt(optNum(n, "msg_id"), text(n, "id"), text(n, "peer"), text(n, "status"),
                    optNum(n, "up_to"), num(n, "ts"));
            case "replay_done" -> new ServerFrame.ReplayDone(num(n, "count"));
            case "history_response" -> {
                List<ServerFrame.Message> messages = new ArrayList<>();
                for (JsonNode m : n.path("messages")) {
                    messages.add(message(m));
                }
                yield new ServerFrame.HistoryResponse(text(n, "peer"), messages, n.path("has_more").asBoolean(false));
            }
            case "conversations_response" -> {
                List<ServerFrame.Conversation> conversations = new ArrayList<>();
                for (JsonNode c : n.path("conversations")) {
                    JsonNode last = c.get("last");
                    conversations.add(new ServerFrame.Conversation(text(c, "peer"), text(c, "status"), optNum(c, "last_seen"),
                            last != null && last.isObject() ? message(last) : null, num(c, "unread")));
                }
                yield new ServerFrame.ConversationsResponse(conversations);
            }
            case "session_replaced" -> new ServerFrame.SessionReplaced(text(n, "message"));
            case "error" -> new ServerFrame.Error(text(n, "code"), text(n, "message"), text(n, "ref"));
            default -> throw new ProtocolError(ProtocolError.UNKNOWN_TYPE, "unknown frame type '" + type + "'", type);
        };
    }

    private static ServerFrame.Message message(JsonNode n) {
        return new ServerFrame.Message(num(n, "msg_id"), text(n, "id"), text(n, "sender"), text(n, "receiver"),
                text(n, "content"), text(n, "timestamp"), num(n, "ts"), text(n, "status"));
    }

    private static List<ServerFrame.UserInfo> users(JsonNode n) {
        List<ServerFrame.UserInfo> users = new ArrayList<>();
        for (JsonNode u : n.path("users")) {
            users.add(new ServerFrame.UserInfo(text(u, "username"), text(u, "status"), optNum(u, "last_seen")));
        }
        return users;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static long num(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : 0L;
    }

    private static Long optNum(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isIntegralNumber() ? v.asLong() : null;
    }
}
