package chat.server.testing;

import chat.server.NodeConfig;
import chat.server.Settings;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/** Node settings for actor tests: the defaults of reference.conf with some keys changed. */
public final class TestSettings {

    private TestSettings() {
    }

    public static Settings with(Map<String, Object> overrides) {
        return Settings.from(NodeConfig.build(ConfigFactory.parseMap(overrides), ConfigFactory.empty()));
    }
}
