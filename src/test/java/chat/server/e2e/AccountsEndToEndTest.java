package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** register, login (password and token), logout, throttling: over real TCP against a real node. */
class AccountsEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of());
    }

    @Test
    void registrationAnswersEveryOutcome() {
        WireClient c = connect();
        String user = name("Reg");
        assertThat(c.register(user, PASSWORD).path("status").asText()).isEqualTo("success");
        JsonNode taken = c.register(user.toUpperCase(), PASSWORD); // names are case-folded: one account
        assertThat(taken.path("status").asText()).isEqualTo("error");
        assertThat(taken.path("code").asText()).isEqualTo("user_exists");
        assertThat(taken.path("message").asText()).isNotBlank();
        for (String bad : new String[] {"has space", "x".repeat(33), "", "émile", "a/b"}) {
            assertThat(c.register(bad, PASSWORD).path("code").asText()).as(bad).isEqualTo("invalid_username");
        }
        assertThat(c.register(name("short"), "1234567").path("code").asText()).isEqualTo("invalid_password");
        assertThat(c.register(name("long"), "p".repeat(1025)).path("code").asText()).isEqualTo("invalid_password");
        assertThat(c.register(name("edge"), "p".repeat(1024)).path("status").asText()).isEqualTo("success");
    }

    @Test
    void loginAtLevelOneAndTwo() {
        String user = name("Login");
        connect().register(user, PASSWORD);

        WireClient l1 = connect();
        l1.send("login", "username", user.toUpperCase(), "password", PASSWORD);
        JsonNode r1 = l1.expect("login_response");
        assertThat(r1.path("status").asText()).isEqualTo("success");
        assertThat(r1.path("username").asText()).isEqualTo(user.toLowerCase());
        assertThat(r1.has("token")).as("level 1 gets no token").isFalse();
        l1.expectNothing(java.time.Duration.ofMillis(300)); // and no replay_done, a level 2 frame

        WireClient l2 = connect();
        JsonNode r2 = l2.login2(user, PASSWORD);
        assertThat(r2.path("token").asText()).hasSizeGreaterThanOrEqualTo(22); // >= 128 bits
        assertThat(l2.expect("replay_done").path("count").asLong()).isZero();

        l2.send("login", "username", user, "password", PASSWORD, "version", 2);
        JsonNode again = l2.expect("login_response");
        assertThat(again.path("status").asText()).isEqualTo("error");
        assertThat(again.path("code").asText()).isEqualTo("already_logged_in");
    }

    @Test
    void wrongPasswordsAndUnknownUsersGetTheSameAnswer() {
        String user = name("creds");
        connect().register(user, PASSWORD);
        WireClient c = connect();
        c.send("login", "username", user, "password", "wrong password", "version", 2);
        JsonNode wrong = c.expect("login_response");
        c.send("login", "username", name("ghost"), "password", PASSWORD, "version", 2);
        JsonNode unknown = c.expect("login_response");
        assertThat(wrong.path("code").asText()).isEqualTo("bad_credentials");
        assertThat(unknown.path("code").asText()).isEqualTo("bad_credentials");
        assertThat(wrong.path("message").asText()).isEqualTo(unknown.path("message").asText());
        // a failed login leaves nothing behind: the same connection can log in now
        c.login2(user, PASSWORD);
        c.expect("replay_done");
    }

    @Test
    void aTokenLogsInWithoutThePasswordUntilLogout() {
        String user = name("tok");
        WireClient first = online(user);
        String token;
        WireClient withPassword = connect();
        token = withPassword.login2(user, PASSWORD).path("token").asText();
        withPassword.expect("replay_done");
        first.await("session_replaced");

        WireClient byToken = connect();
        byToken.send("login", "username", user, "token", token, "version", 2);
        JsonNode ok = byToken.expect("login_response");
        assertThat(ok.path("status").asText()).isEqualTo("success");
        assertThat(ok.path("token").asText()).isEqualTo(token);
        byToken.expect("replay_done");

        byToken.send("logout");
        byToken.expectClosed();

        WireClient after = connect();
        after.send("login", "username", user, "token", token, "version", 2);
        assertThat(after.expect("login_response").path("code").asText()).isEqualTo("bad_credentials");
        after.send("login", "username", user, "token", "made-up", "version", 2);
        assertThat(after.expect("login_response").path("code").asText()).isEqualTo("bad_credentials");
    }
}
