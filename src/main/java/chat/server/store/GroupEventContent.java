package chat.server.store;

import chat.protocol.ServerFrame;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * How a group event is kept: a messages row of kind 1 (in the group's conversation, so it is
 * replayed, acked and listed by history like the messages around it) whose content is this JSON —
 * what the event frame says besides its place (msg_id, group, ts), which the row itself holds.
 */
public final class GroupEventContent {

    /** messages.kind of a group event; 0 is a message. */
    public static final int KIND = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    record Content(String event, String by, List<String> users, String name) {
    }

    private GroupEventContent() {
    }

    public static String encode(String event, String by, List<String> users, String name) {
        try {
            return JSON.writeValueAsString(new Content(event, by, users, name));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ServerFrame.GroupEvent toFrame(long msgId, String groupId, long ts, String content) {
        try {
            Content c = JSON.readValue(content, Content.class);
            return new ServerFrame.GroupEvent(msgId, groupId, c.event(), c.by(), c.users(), c.name(), ts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("group event " + msgId + " is not readable: " + e.getMessage(), e);
        }
    }
}
