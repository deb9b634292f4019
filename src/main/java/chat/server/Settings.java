package chat.server;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** The `chat` section of the configuration, read once at start. Every default is in reference.conf. */
public record Settings(
        String host,
        int port,
        int backlog,
        int acceptors,
        Tls tls,
        Store store,
        Limits limits,
        Auth auth,
        boolean presenceToAll,
        Duration typingTtl,
        int maxTypingTargets,
        Duration heartbeatInterval,
        Duration heartbeatTick,
        Duration heartbeatTimeout,
        int replayPageSize,
        Devices devices) {

    /** The optional TLS listener; `keystore` null when disabled. */
    public record Tls(boolean enabled, int port, Path keystore, String keystorePassword, String keystoreType) {
        @Override
        public String toString() {
            return "Tls[enabled=" + enabled + ", port=" + port + ", keystore=" + keystore + "]";
        }
    }

    public record Store(String kind, Path dataDir, String sqliteSynchronous, int maxBatch, int readPoolSize,
                        Duration busyTimeout, int partitions, Postgres postgres) {
        public Store(String kind, Path dataDir, String sqliteSynchronous, int maxBatch, int readPoolSize) {
            this(kind, dataDir, sqliteSynchronous, maxBatch, readPoolSize, Duration.ofSeconds(5), 1, null);
        }

        public boolean postgresql() {
            return kind.equals("postgres");
        }
    }

    public record Postgres(String url, String user, String password, int poolSize) {
        @Override
        public String toString() {
            return "Postgres[" + url + ", user=" + user + "]";
        }
    }

    public record Limits(int maxFrameBytes, int maxContentBytes, double messagesPerSecond, double messagesBurst,
                         int connectionsPerAddress, int maxPendingPerUser, int outboundFrames, int maxInFlightSends,
                         int maxContacts, int userList, int maxGroupMembers, int maxDevices) {
    }

    /** Level 3: `forgetAfter` — a device unseen this long is forgotten. */
    public record Devices(Duration forgetAfter) {
    }

    /** `maxLoginsInFlight`, `maxPasswordChecksInFlight`: past them a login is shed (rate_limited, retry after `shedRetryAfter`). */
    public record Auth(int pbkdf2Iterations, int maxFailedLogins, Duration failedLoginWindow, Duration tokenTtl,
                       int maxLoginsInFlight, int maxPasswordChecksInFlight, Duration maxLoginWait,
                       Duration shedRetryAfter) {
    }

    private static Tls tls(Config t) {
        boolean enabled = t.getBoolean("enabled");
        String keystore = t.getString("keystore");
        if (enabled && keystore.isBlank()) {
            throw new IllegalArgumentException("chat.server.tls.enabled needs chat.server.tls.keystore");
        }
        return new Tls(enabled, t.getInt("port"), keystore.isBlank() ? null : Path.of(keystore),
                t.getString("keystore-password"), t.getString("keystore-type"));
    }

    public static Settings from(Config config) {
        Config c = config.getConfig("chat");
        double rate = c.getDouble("limits.messages-per-second");
        double burst = c.getDouble("limits.messages-burst");
        String scope = c.getString("presence.scope");
        String kind = c.getString("store.kind");
        if (!kind.equals("sqlite") && !kind.equals("postgres")) {
            throw new IllegalArgumentException("chat.store.kind must be 'sqlite' or 'postgres', not '" + kind + "'");
        }
        if (kind.equals("sqlite") && c.getInt("store.partitions") != 1) {
            throw new IllegalArgumentException("SQLite has one writer: chat.store.partitions must be 1 with it");
        }
        if (kind.equals("sqlite") && config.hasPath("pekko.cluster.seed-nodes") && !config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            throw new IllegalArgumentException("a cluster (pekko.cluster.seed-nodes) needs a shared store: chat.store.kind = postgres");
        }
        if (!scope.equals("contacts") && !scope.equals("all")) {
            throw new IllegalArgumentException("chat.presence.scope must be 'contacts' or 'all', not '" + scope + "'");
        }
        return new Settings(
                c.getString("server.host"),
                c.getInt("server.port"),
                c.getInt("server.backlog"),
                acceptors(c.getInt("server.acceptors")),
                tls(c.getConfig("server.tls")),
                new Store(
                        c.getString("store.kind"),
                        Path.of(c.getString("store.data-dir")),
                        c.getString("store.sqlite-synchronous"),
                        c.getInt("store.max-batch"),
                        c.getInt("store.read-pool-size"),
                        c.getDuration("store.busy-timeout"),
                        c.getInt("store.partitions"),
                        new Postgres(c.getString("store.postgres.url"), c.getString("store.postgres.user"),
                                c.getString("store.postgres.password"), c.getInt("store.postgres.pool-size"))),
                new Limits(
                        c.getInt("limits.max-frame-bytes"),
                        c.getInt("limits.max-content-bytes"),
                        rate,
                        burst > 0 ? burst : 2 * rate,
                        c.getInt("limits.connections-per-address"),
                        c.getInt("limits.max-pending-per-user"),
                        c.getInt("limits.outbound-frames"),
                        c.getInt("limits.max-in-flight-sends"),
                        c.getInt("limits.max-contacts"),
                        c.getInt("limits.user-list"),
                        c.getInt("limits.max-group-members"),
                        c.getInt("limits.max-devices")),
                new Auth(
                        c.getInt("auth.pbkdf2-iterations"),
                        c.getInt("auth.max-failed-logins"),
                        c.getDuration("auth.failed-login-window"),
                        c.getDuration("auth.token-ttl"),
                        c.getInt("auth.max-logins-in-flight"),
                        c.getInt("auth.max-password-checks-in-flight"),
                        c.getDuration("auth.max-login-wait"),
                        c.getDuration("auth.shed-retry-after")),
                scope.equals("all"),
                c.getDuration("typing.ttl"),
                c.getInt("typing.max-targets"),
                c.getDuration("heartbeat.interval"),
                c.getDuration("heartbeat.tick"),
                c.getDuration("heartbeat.timeout"),
                c.getInt("replay.page-size"),
                new Devices(c.getDuration("devices.forget-after")));
    }

    private static int acceptors(int n) {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("chat.server.acceptors must be 1 to 64, not " + n);
        }
        return n;
    }
}
