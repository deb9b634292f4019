package chat.server.testing;

import chat.server.ChatNode;
import chat.server.NodeConfig;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real node in this JVM on a free port, with its store in a test's temporary directory. */
public final class TestNode implements AutoCloseable {

    /** Fast hashing for tests; the cost itself is tested in the accounts tests. */
    public static final int TEST_ITERATIONS = 1000;

    private final ChatNode node;

    private TestNode(ChatNode node) {
        this.node = node;
    }

    public static TestNode start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public static TestNode start(Path dataDir, Map<String, Object> settings) {
        return start(dataDir, settings, Clock.systemUTC());
    }

    /** On `clock`: stored data (tokens, devices) judged at the time it was written. */
    public static TestNode start(Path dataDir, Map<String, Object> settings, Clock clock) {
        Map<String, Object> all = new HashMap<>();
        all.put("chat.server.port", 0);
        all.put("chat.store.data-dir", dataDir.toString());
        all.put("chat.auth.pbkdf2-iterations", TEST_ITERATIONS);
        all.put("pekko.management.http.port", 0); // several nodes may run at once
        all.putAll(settings);
        return new TestNode(ChatNode.start(NodeConfig.build(ConfigFactory.parseMap(all), ConfigFactory.empty()),
                Duration.ofSeconds(60), clock));
    }

    public int port() {
        return node.port();
    }

    public ChatNode node() {
        return node;
    }

    public WireClient connect() {
        return WireClient.connect(port());
    }

    @Override
    public void close() {
        node.close();
    }
}
