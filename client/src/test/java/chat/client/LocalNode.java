package chat.client;

import chat.server.ChatNode;
import chat.server.NodeConfig;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real chat node in the test JVM, on a given port (0: any) with its store in a temp directory. */
final class LocalNode {

    private LocalNode() {
    }

    static ChatNode start(Path dataDir, int port) {
        return ChatNode.start(NodeConfig.build(ConfigFactory.parseMap(Map.of(
                "chat.server.port", port,
                "chat.store.data-dir", dataDir.toString(),
                "chat.auth.pbkdf2-iterations", 1000)), ConfigFactory.empty()), Duration.ofSeconds(60));
    }
}
