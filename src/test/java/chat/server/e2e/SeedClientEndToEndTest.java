package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A level 1 conversation with exactly the frames the seed's Python client writes (json.dumps with
 * its spaces, its `sender` and `username` fields, no version, no acks), and nothing but level 1
 * frame types coming back.
 */
class SeedClientEndToEndTest extends EndToEnd {

    private static final Set<String> LEVEL1 = Set.of("register_response", "login_response", "message", "message_error",
            "typing_notification", "user_status", "user_list", "ping", "error");

    @BeforeAll
    static void start() {
        startNode(Map.of());
    }

    private static String seed(String json) {
        return json; // kept verbatim: these strings are what the seed client sends
    }

    private static JsonNode next(WireClient c) {
        JsonNode f = c.next();
        assertThat(LEVEL1).as("level 1 frame %s", f).contains(f.path("type").asText());
        return f;
    }

    /** The next frame that is not a presence change (those may come at any point once users are contacts). */
    private static JsonNode nextSkippingStatus(WireClient c) {
        JsonNode f = next(c);
        return f.path("type").asText().equals("user_status") ? nextSkippingStatus(c) : f;
    }

    @Test
    void theSeedsWholeConversationWorksUnchanged() {
        String adri = name("adri");
        String sol = name("sol");
        String kai = name("kai");
        WireClient a = connect();
        WireClient s = connect();
        a.sendLine(seed("{\"type\": \"register\", \"username\": \"" + adri + "\", \"password\": \"12345678\"}"));
        assertThat(next(a).path("status").asText()).isEqualTo("success");
        a.sendLine(seed("{\"type\": \"login\", \"username\": \"" + adri + "\", \"password\": \"12345678\"}"));
        JsonNode login = next(a);
        assertThat(login.path("type").asText()).isEqualTo("login_response");
        assertThat(login.path("status").asText()).isEqualTo("success");
        assertThat(login.path("username").asText()).isEqualTo(adri);
        a.sendLine(seed("{\"type\": \"get_users\"}"));
        assertThat(next(a).path("type").asText()).isEqualTo("user_list");

        WireClient k = connect();
        k.sendLine(seed("{\"type\": \"register\", \"username\": \"" + kai + "\", \"password\": \"12345678\"}"));
        next(k);
        k.close();
        // kai is offline: the message is stored for later
        a.sendLine(seed("{\"type\": \"typing\", \"username\": \"" + adri + "\", \"recipient\": \"" + kai + "\"}"));
        a.sendLine(seed("{\"type\": \"message\", \"sender\": \"" + adri + "\", \"receiver\": \"" + kai + "\", \"content\": \"oi\"}"));
        a.sendLine(seed("{\"type\": \"stop_typing\", \"username\": \"" + adri + "\", \"recipient\": \"" + kai + "\"}"));

        s.sendLine(seed("{\"type\": \"register\", \"username\": \"" + sol + "\", \"password\": \"12345678\"}"));
        next(s);
        s.sendLine(seed("{\"type\": \"login\", \"username\": \"" + sol + "\", \"password\": \"12345678\"}"));
        assertThat(next(s).path("status").asText()).isEqualTo("success");
        s.sendLine(seed("{\"type\": \"message\", \"sender\": \"" + sol + "\", \"receiver\": \"" + adri + "\", \"content\": \"oi\"}"));
        JsonNode fromSol = nextSkippingStatus(a);
        assertThat(fromSol.path("type").asText()).isEqualTo("message");
        assertThat(fromSol.path("sender").asText()).isEqualTo(sol);
        assertThat(fromSol.path("content").asText()).isEqualTo("oi");
        assertThat(fromSol.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

        a.sendLine(seed("{\"type\": \"typing\", \"username\": \"" + adri + "\", \"recipient\": \"" + sol + "\"}"));
        JsonNode typing = next(s);
        assertThat(typing.path("type").asText()).isEqualTo("typing_notification");
        assertThat(typing.path("from").asText()).isEqualTo(adri);
        assertThat(typing.path("status").asText()).isEqualTo("typing");
        a.sendLine(seed("{\"type\": \"message\", \"sender\": \"" + adri + "\", \"receiver\": \"" + sol + "\", \"content\": \"tudo bem ?\"}"));
        JsonNode stopped = next(s); // sending ends the typing
        assertThat(stopped.path("status").asText()).isEqualTo("stopped");
        assertThat(next(s).path("content").asText()).isEqualTo("tudo bem ?");

        a.sendLine(seed("{\"type\": \"message\", \"sender\": \"" + adri + "\", \"receiver\": \"alice\", \"content\": \"oii\"}"));
        JsonNode error = nextSkippingStatus(a);
        assertThat(error.path("type").asText()).isEqualTo("message_error");
        assertThat(error.path("recipient").asText()).isEqualTo("alice");
        assertThat(error.path("message").asText()).isNotBlank();

        // logout: sol (a contact since they talked) sees adri go offline; the connection closes
        a.sendLine(seed("{\"type\": \"logout\"}"));
        a.expectClosed();
        JsonNode off = next(s);
        assertThat(off.path("type").asText()).isEqualTo("user_status");
        assertThat(off.path("username").asText()).isEqualTo(adri);
        assertThat(off.path("status").asText()).isEqualTo("offline");

        // kai logs in: the stored message arrives, once
        WireClient k2 = connect();
        k2.sendLine(seed("{\"type\": \"login\", \"username\": \"" + kai + "\", \"password\": \"12345678\"}"));
        assertThat(next(k2).path("status").asText()).isEqualTo("success");
        JsonNode pending = next(k2);
        assertThat(pending.path("type").asText()).isEqualTo("message");
        assertThat(pending.path("sender").asText()).isEqualTo(adri);
        assertThat(pending.path("content").asText()).isEqualTo("oi");
        k2.sendLine(seed("{\"type\": \"get_users\"}")); // also orders the check below after the delivery mark
        next(k2);
        k2.close();
        WireClient k3 = connect();
        k3.sendLine(seed("{\"type\": \"login\", \"username\": \"" + kai + "\", \"password\": \"12345678\"}"));
        next(k3);
        k3.sendLine(seed("{\"type\": \"get_users\"}"));
        assertThat(next(k3).path("type").asText()).as("the message was delivered once, at level 1 on write")
                .isEqualTo("user_list");
    }
}
