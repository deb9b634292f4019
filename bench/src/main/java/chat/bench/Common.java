package chat.bench;

import chat.bench.net.Sources;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Options every load command shares: where the node is, which source addresses to connect from,
 * how many logins may be in flight, and the run id that makes this run's usernames unique.
 */
public record Common(String host, int port, Sources sources, int concurrency, String run, String password) {

    public static final Set<String> OPTIONS = Set.of("host", "port", "sources", "concurrency", "run");
    public static final int DEFAULT_PORT = 12346;
    /** Every bench user has this password: 8 bytes or more, as the node requires. */
    public static final String PASSWORD = "bench-password";

    public static Common from(Args args, int defaultSources) {
        String run = args.string("run", newRunId());
        if (!run.matches("[a-z0-9]{1,12}")) {
            throw new Args.UsageError("--run must be 1-12 lower-case letters or digits, not '" + run + "'");
        }
        try {
            return new Common(
                    args.string("host", "127.0.0.1"),
                    args.integer("port", DEFAULT_PORT, 1, 65535),
                    Sources.loopback(args.integer("sources", defaultSources, 0, 250)),
                    args.integer("concurrency", 64, 1, 100_000),
                    run,
                    PASSWORD);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError(e.getMessage());
        }
    }

    public InetSocketAddress target() {
        return new InetSocketAddress(host, port);
    }

    /** `b-<run>-<suffix>`: at most 32 characters of the node's username alphabet. */
    public String user(String suffix) {
        return "b-" + run + "-" + suffix;
    }

    /** Seconds since the epoch in base 36: a new value every second, six characters for decades. */
    static String newRunId() {
        return Long.toString(System.currentTimeMillis() / 1000 % 2_176_782_336L, 36);
    }
}
