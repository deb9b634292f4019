package chat.server;

import chat.server.store.StoreUnavailable;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar chat-server.jar [--host H] [--port P] [--data-dir D] [--config FILE]}
 *
 * Settings come, strongest first, from the flags, -Dkey=value system properties, the --config file
 * (or ./application.conf when there is one), and the defaults in reference.conf.
 */
public final class Main {

    private static final String USAGE = "usage: java -jar chat-server.jar [--host H] [--port P] [--data-dir D] [--config FILE]";

    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        Settings settings;
        try {
            config = load(args);
            settings = Settings.from(config);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("chat-server: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        ChatNode node;
        try {
            node = ChatNode.start(config, Duration.ofSeconds(60));
        } catch (StoreUnavailable | IllegalStateException e) {
            log.error("cannot start: {}", e.getMessage());
            System.err.println("chat-server: cannot start: " + e.getMessage());
            System.exit(e instanceof StoreUnavailable ? 3 : 1);
            return;
        }
        // SIGTERM and SIGINT run the graceful shutdown and end with status 0 (the JVM's own handler would exit 143)
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> node.shutdown());
        }
        node.awaitTermination();
        log.info("stopped");
        System.exit(0);
    }

    static Config load(String[] args) {
        Map<String, Object> flags = new HashMap<>();
        File file = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--host" -> flags.put("chat.server.host", value);
                case "--port" -> flags.put("chat.server.port", port(value));
                case "--data-dir" -> flags.put("chat.store.data-dir", value);
                case "--config" -> {
                    file = new File(value);
                    if (!file.isFile()) {
                        throw new IllegalArgumentException("no config file " + value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (file == null && new File("application.conf").isFile()) {
            file = new File("application.conf");
        }
        Config fromFile = file == null ? ConfigFactory.empty() : ConfigFactory.parseFile(file);
        return NodeConfig.build(ConfigFactory.parseMap(flags, "command line"), fromFile);
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number from 0 to 65535, not '" + value + "'");
        }
    }
}
