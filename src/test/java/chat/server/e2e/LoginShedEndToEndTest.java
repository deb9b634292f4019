package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node past its login capacity sheds: the login is answered rate_limited with retry_after_ms and
 * its connection closed at once, instead of waiting in a queue (chat.auth.max-logins-in-flight = 1,
 * and a hash slow enough that the first login is still being checked when the second arrives).
 */
class LoginShedEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        // a wrong name is checked against a decoy hash of this cost: ~1 s of CPU, twice for the first login
        startNode(Map.of("chat.auth.max-logins-in-flight", 1, "chat.auth.pbkdf2-iterations", 4_000_000,
                "chat.auth.shed-retry-after", "2s"));
    }

    @Test
    void aLoginPastTheCapIsAnsweredWithARetryDelayAndClosed() {
        WireClient first = connect();
        long before = loginsReceived();
        first.send("login", "username", name("nobody"), "password", "some password", "version", 2);
        // the node has taken the first login in: it is being hashed, the one slot is taken
        until("the first login in flight", () -> loginsReceived() == before + 1);

        WireClient second = connect();
        second.send("login", "username", name("other"), "password", "another password", "version", 2);
        JsonNode shed = second.expect("login_response");
        assertThat(shed.path("status").asText()).isEqualTo("error");
        assertThat(shed.path("code").asText()).isEqualTo("rate_limited");
        assertThat(shed.path("retry_after_ms").asLong()).isBetween(2_000L, 4_000L);
        second.expectClosed();

        // the login in flight is served as usual
        assertThat(first.expect("login_response", java.time.Duration.ofSeconds(60)).path("code").asText())
                .isEqualTo("bad_credentials");
    }

    @Test
    void aLevel1LoginPastTheCapIsShedTheSameWay() {
        WireClient first = connect();
        long before = loginsReceived();
        first.send("login", "username", name("nobody"), "password", "some password");
        until("the first login in flight", () -> loginsReceived() == before + 1);

        WireClient second = connect();
        second.send("login", "username", name("other"), "password", "another password");
        JsonNode shed = second.expect("login_response");
        assertThat(shed.path("code").asText()).isEqualTo("rate_limited");
        assertThat(shed.has("retry_after_ms")).isTrue();
        second.expectClosed();
        first.expect("login_response", java.time.Duration.ofSeconds(60));
    }
}
