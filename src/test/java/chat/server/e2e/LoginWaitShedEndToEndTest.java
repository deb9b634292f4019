package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose password checks would keep a login waiting longer than chat.auth.max-login-wait
 * sheds it at once, telling it to come back once the checks ahead would have finished at the rate
 * the node has been finishing them (far under the caps on logins in flight, which stay at their
 * defaults here). Every login it takes in is served.
 */
class LoginWaitShedEndToEndTest extends EndToEnd {

    private static final int USERS = 40;
    private static final long MAX_WAIT_MS = 100;
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void start() {
        // some 10-30 ms of CPU per check on 2 hashing threads: 40 checks at once are far over 100 ms of work
        startNode(Map.of("chat.auth.pbkdf2-iterations", 100_000, "chat.auth.max-login-wait", MAX_WAIT_MS + "ms",
                "chat.auth.shed-retry-after", "10ms"));
    }

    @Test
    void loginsThatWouldWaitTooLongAreToldHowLongToWait() {
        List<String> users = new ArrayList<>();
        List<WireClient> registering = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(name("burst"));
            registering.add(connect().send("register", "username", users.get(i), "password", PASSWORD));
        }
        registering.forEach(c -> assertThat(c.expect("register_response", ANSWER_WAIT).path("status").asText()).isEqualTo("success"));

        // a first round teaches the node its rate (no rate yet: nothing is shed for waiting until ~10 are done)
        List<JsonNode> first = burst(users);
        assertThat(first).allSatisfy(r -> assertThat(r.path("status").asText().equals("success") || isShed(r)).isTrue());

        // the same burst again: the node knows how fast it checks, and does not queue more than 100 ms of it
        List<JsonNode> second = burst(users);
        List<JsonNode> shed = second.stream().filter(LoginWaitShedEndToEndTest::isShed).toList();
        assertThat(shed).as("logins shed for the wait").isNotEmpty();
        assertThat(shed).allSatisfy(r -> assertThat(r.path("retry_after_ms").asLong())
                .as("come back once the checks ahead are done, not at once").isGreaterThan(MAX_WAIT_MS));
        assertThat(second.stream().filter(r -> r.path("status").asText().equals("success")).count())
                .as("logins taken in and served").isGreaterThan(0).isEqualTo(USERS - shed.size());
    }

    /** Every user logs in at once, each on a connection of its own; the answers in the users' order. */
    private List<JsonNode> burst(List<String> users) {
        List<WireClient> clients = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            clients.add(connect());
        }
        for (int i = 0; i < users.size(); i++) {
            clients.get(i).send("login", "username", users.get(i), "password", PASSWORD, "version", 2);
        }
        List<JsonNode> answers = new ArrayList<>();
        for (WireClient c : clients) {
            JsonNode r = c.expect("login_response", ANSWER_WAIT);
            if (isShed(r)) {
                c.expectClosed();
            }
            answers.add(r);
        }
        clients.forEach(WireClient::close);
        return answers;
    }

    private static boolean isShed(JsonNode r) {
        return r.path("code").asText().equals("rate_limited") && r.has("retry_after_ms");
    }
}
