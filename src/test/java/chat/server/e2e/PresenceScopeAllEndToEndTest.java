package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.WireClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** chat.presence.scope = all: the seed's broadcast to every online user. */
class PresenceScopeAllEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.presence.scope", "all"));
    }

    @Test
    void everyOnlineUserHearsOfEveryLoginAndLogout() {
        WireClient watcher = online(name("watcher"));
        String stranger = name("stranger");
        WireClient s = online(stranger);
        assertThat(watcher.expect("user_status").path("username").asText()).isEqualTo(stranger);
        s.send("logout");
        assertThat(watcher.expect("user_status").path("status").asText()).isEqualTo("offline");
    }
}
