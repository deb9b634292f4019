package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Framing and hostile input over real TCP: the session answers and goes on, or closes only on an oversize line. */
class FramingEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.limits.max-frame-bytes", 4096));
    }

    @Test
    void badFramesAreAnsweredAndTheConnectionGoesOn() {
        WireClient c = online(name("fuzzy"));
        String[][] cases = {
                {"this is not json", "bad_frame", ""},
                {"[1,2,3]", "bad_frame", ""},
                {"\"message\"", "bad_frame", ""},
                {"{\"type\":42}", "bad_frame", ""},
                {"{\"receiver\":\"x\"}", "bad_frame", ""},
                {"{\"type\":\"message\",\"receiver\":[],\"content\":\"x\"}", "bad_frame", "message"},
                {"{\"type\":\"message\",\"receiver\":\"bob\"}", "bad_frame", "message"},
                {"{\"type\":\"ack\",\"msg_ids\":\"1\"}", "bad_frame", "ack"},
                {"{\"type\":\"teleport\"}", "unknown_type", "teleport"},
                {"{\"type\":\"ping\"} trailing", "bad_frame", "ping"},
        };
        for (String[] k : cases) {
            c.sendLine(k[0]);
            JsonNode e = c.expect("error");
            assertThat(e.path("code").asText()).as(k[0]).isEqualTo(k[1]);
            assertThat(e.path("message").asText()).isNotBlank();
            if (!k[2].isEmpty()) {
                assertThat(e.path("ref").asText()).as(k[0]).isEqualTo(k[2]);
            }
        }
        c.sendRaw(new byte[] {'{', '"', 't', (byte) 0xC3, '"', '}', '\n'}); // invalid UTF-8
        assertThat(c.expect("error").path("code").asText()).isEqualTo("bad_frame");
        c.sendLine("");
        c.sendLine("   ");
        c.send("ping");
        c.expect("pong"); // blank lines were ignored, and the session is still there
    }

    @Test
    void anOversizeLineIsAnsweredThenTheConnectionCloses() {
        WireClient c = online(name("big"));
        byte[] huge = new byte[20_000]; // no newline needed: the limit holds while the line is still arriving
        java.util.Arrays.fill(huge, (byte) 'x');
        c.sendRaw(huge);
        JsonNode e = c.expect("error");
        assertThat(e.path("code").asText()).isEqualTo("frame_too_large");
        c.expectClosed();
    }

    @Test
    void beforeLoginOnlyRegisterLoginAndPingAreAccepted() {
        WireClient c = connect();
        for (String type : new String[] {"message", "get_users", "typing", "history", "logout", "ack"}) {
            c.send(type, "receiver", "x", "content", "y", "recipient", "x", "peer", "x", "msg_ids", new int[] {1});
            JsonNode e = c.expect("error");
            assertThat(e.path("code").asText()).as(type).isEqualTo("not_authenticated");
            assertThat(e.path("ref").asText()).isEqualTo(type);
        }
        // a frame that would be malformed after login is still refused for want of a login first
        for (String type : new String[] {"message", "history", "ack", "add_contact"}) {
            c.send(type);
            JsonNode e = c.expect("error");
            assertThat(e.path("code").asText()).as(type).isEqualTo("not_authenticated");
            assertThat(e.path("ref").asText()).isEqualTo(type);
        }
        c.send("ping"); // level 1 until a login says otherwise: no answer
        c.expectNothing(Duration.ofMillis(300));
        c.register(name("late"), PASSWORD);
    }

    @Test
    void framesSplitIntoSingleBytesAndManyFramesInOneWriteAreBothRead() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient b = online(bob);
        WireClient a = connect();
        a.register(alice, PASSWORD);
        byte[] login = ("{\"type\":\"login\",\"username\":\"" + alice + "\",\"password\":\"" + PASSWORD
                + "\",\"version\":2}\r\n").getBytes(StandardCharsets.UTF_8);
        for (byte x : login) {
            a.sendRaw(new byte[] {x});
        }
        a.expect("login_response");
        a.expect("replay_done");
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            burst.append("{\"type\":\"message\",\"id\":\"b").append(i).append("\",\"receiver\":\"").append(bob)
                    .append("\",\"content\":\"n").append(i).append("\"}\n");
        }
        a.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 50; i++) {
            assertThat(a.expect("message_ack").path("id").asText()).isEqualTo("b" + i);
            assertThat(b.expect("message").path("content").asText()).isEqualTo("n" + i);
        }
    }

    @Test
    void accentsAndEmojiSurviveRawAndEscaped() {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        String text = "Olá, coração! ção 🎉👍🏽 日本語";
        a.send("message", "receiver", bob, "content", text);
        assertThat(b.expect("message").path("content").asText()).isEqualTo(text);
        // the seed's Python client escapes everything non-ASCII, emoji as surrogate pairs
        a.sendLine("{\"type\": \"message\", \"receiver\": \"" + bob + "\", \"content\": \"ol\\u00e1 \\ud83c\\udf89\"}");
        assertThat(b.expect("message").path("content").asText()).isEqualTo("olá 🎉");
    }

    @Test
    void pingIsAnsweredAtLevelTwo() {
        WireClient c = online(name("pinger"));
        c.send("ping");
        c.expect("pong");
        c.send("pong"); // answering a server ping: no reply
        c.expectNothing(Duration.ofMillis(300));
    }
}
