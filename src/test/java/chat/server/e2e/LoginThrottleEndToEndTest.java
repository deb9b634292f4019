package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Brute force against a real node (its own: the per-address count it builds up would throttle
 * other tests' deliberate failures from 127.0.0.1).
 */
class LoginThrottleEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of());
    }

    /** One test: both limits count failures from this test's one address. */
    @Test
    void bruteForceIsThrottledPerNameAndPerAddress() {
        String user = name("brute");
        String resident = name("resident");
        WireClient c = connect();
        c.register(user, PASSWORD);
        c.register(resident, PASSWORD);
        for (int i = 0; i < 5; i++) {
            c.send("login", "username", user, "password", "guess number " + i, "version", 2);
            assertThat(c.expect("login_response").path("code").asText()).isEqualTo("bad_credentials");
        }
        // the name is locked for a while: even the right password is refused
        c.send("login", "username", user, "password", PASSWORD, "version", 2);
        JsonNode limited = c.expect("login_response");
        assertThat(limited.path("status").asText()).isEqualTo("error");
        assertThat(limited.path("code").asText()).isEqualTo("rate_limited");

        // the address is past its limit too: guesses at other names are refused as rate_limited...
        c.send("login", "username", name("spray"), "password", "guess", "version", 2);
        assertThat(c.expect("login_response").path("code").asText()).isEqualTo("rate_limited");
        // ...while a right password from it still gets in
        c.login2(resident, PASSWORD);
    }
}
