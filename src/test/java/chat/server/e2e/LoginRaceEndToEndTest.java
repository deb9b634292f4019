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
 * Guesses sent all at once, on many connections, while the first ones are still being hashed: the
 * per-name limit must hold for them too (a node of its own, as its failures throttle the address).
 */
class LoginRaceEndToEndTest extends EndToEnd {

    private static final int GUESSES = 12;
    /**
     * Past the limit the node answers `rate_limited` after a delay that doubles up to 10 s
     * (LoginThrottle), behind 12 real hashes on a 2-thread pool: more than WireClient's usual wait.
     */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(40);

    @BeforeAll
    static void start() {
        // the real hashing cost: each check takes long enough for all the guesses to arrive meanwhile
        startNode(Map.of("chat.auth.max-failed-logins", 5, "chat.auth.pbkdf2-iterations", 600_000));
    }

    @Test
    void guessesInFlightTogetherCountAgainstTheLimit() {
        String user = name("target");
        connect().register(user, PASSWORD);
        List<WireClient> guessers = new ArrayList<>();
        for (int i = 0; i < GUESSES; i++) {
            guessers.add(connect());
        }
        // frames on different connections are not ordered: the right guess goes out only once the
        // node reports it has taken in the eleven wrong ones (being hashed, or already failed)
        long before = loginsReceived();
        for (int i = 0; i < GUESSES - 1; i++) {
            guessers.get(i).send("login", "username", user, "password", "guess number " + i, "version", 2);
        }
        until("the wrong guesses taken in", () -> loginsReceived() == before + GUESSES - 1);
        guessers.get(GUESSES - 1).send("login", "username", user, "password", PASSWORD, "version", 2);
        int checked = 0;
        for (WireClient g : guessers.subList(0, GUESSES - 1)) {
            String code = g.expect("login_response", ANSWER_WAIT).path("code").asText();
            assertThat(code).isIn("bad_credentials", "rate_limited");
            checked += code.equals("bad_credentials") ? 1 : 0;
        }
        assertThat(checked).as("wrong guesses answered as such").isLessThanOrEqualTo(5);
        JsonNode lucky = guessers.get(GUESSES - 1).expect("login_response", ANSWER_WAIT);
        assertThat(lucky.path("status").asText()).as("the right password behind 11 guesses in flight").isEqualTo("error");
        assertThat(lucky.path("code").asText()).isEqualTo("rate_limited");
    }
}
