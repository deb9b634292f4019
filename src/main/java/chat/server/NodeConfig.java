package chat.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Builds the node's configuration, strongest layer first: the given overrides (command-line flags,
 * or a test's settings), -Dkey=value system properties, the user's file, the node's Pekko settings
 * (`chat.pekko` in reference.conf), and every library's reference.conf.
 */
public final class NodeConfig {

    private NodeConfig() {
    }

    public static Config build(Config overrides, Config userFile) {
        Config reference = ConfigFactory.defaultReference();
        return overrides
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(userFile)
                .withFallback(reference.getConfig("chat.pekko").atKey("pekko"))
                .withFallback(reference)
                .resolve();
    }
}
