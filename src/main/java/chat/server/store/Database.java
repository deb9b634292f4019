package chat.server.store;

import chat.server.Settings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The node's database, SQLite (embedded, the default) or PostgreSQL (shared by a cluster), with the
 * same Flyway migrations. Writes go through dedicated connections, each used by one thread at a
 * time: with SQLite a single one (it has one writer; group commit makes that enough), with
 * PostgreSQL one per mailbox partition plus one for accounts. Reads use a pool (WAL lets SQLite's
 * readers run beside its writer). SQLite's readers keep their prepared statements
 * ({@link StatementCache}; the writers keep theirs themselves, PostgreSQL's driver its own).
 */
public final class Database implements AutoCloseable {

    private static final int WRITER_CACHE_KIB = 64 * 1024;
    private static final int BACKSTOP_CHECKPOINT_PAGES = 10_000;

    private final boolean sqlite;
    private final Connection writer;
    private final HikariDataSource readers;
    private final HikariDataSource writers; // PostgreSQL only
    private final Checkpointer checkpointer; // SQLite only

    private Database(boolean sqlite, Connection writer, HikariDataSource readers, HikariDataSource writers,
                     Checkpointer checkpointer) {
        this.sqlite = sqlite;
        this.writer = writer;
        this.readers = readers;
        this.writers = writers;
        this.checkpointer = checkpointer;
    }

    public static Database open(Settings.Store settings) {
        return open(settings, Clock.systemUTC());
    }

    /** `clock`: the node's time, by which expired tokens are pruned at start. */
    public static Database open(Settings.Store settings, Clock clock) {
        return settings.postgresql() ? openPostgres(settings) : openSqlite(settings, clock);
    }

    private static Database openSqlite(Settings.Store settings, Clock clock) {
        Path dir = settings.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreUnavailable("cannot create the data directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new StoreUnavailable("the data directory " + dir + " is not writable", null);
        }
        String url = "jdbc:sqlite:" + dir.resolve("chat.db");
        try {
            SQLiteDataSource migrations = new SQLiteDataSource();
            migrations.setUrl(url);
            migrate(migrations, "INTEGER PRIMARY KEY AUTOINCREMENT", "VARCHAR(32)", "");
            SQLiteConfig writing = sqliteConfig(settings, false);
            // The writer's working set is the newest page of every index for every active user: far
            // more than SQLite's default 2 MB cache once thousands of users chat.
            writing.setCacheSize(-WRITER_CACHE_KIB);
            // Checkpoints (copying the WAL into the database file, with its fsync) run on a thread of
            // their own, not inside the commits whose senders wait for them; the writer's own
            // automatic checkpoint stays as a backstop should that thread fall behind.
            writing.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, String.valueOf(BACKSTOP_CHECKPOINT_PAGES));
            Connection writer = writing.createConnection(url); // its writers keep their own statements
            writer.setAutoCommit(false);
            pruneExpiredTokens(writer, clock.millis());
            Checkpointer checkpointer = new Checkpointer(sqliteConfig(settings, false).createConnection(url));
            SQLiteDataSource reading = new SQLiteDataSource(sqliteConfig(settings, true)) {
                @Override
                public Connection getConnection() throws SQLException { // what the pool calls
                    return StatementCache.wrap(super.getConnection());
                }
            };
            reading.setUrl(url);
            return new Database(true, writer, pool("chat-readers", reading, settings.readPoolSize(), true), null,
                    checkpointer);
        } catch (SQLException | RuntimeException e) {
            throw new StoreUnavailable("cannot open the database " + dir.resolve("chat.db") + ": " + e.getMessage(), e);
        }
    }

    /**
     * A real write at start: SQLite opens a file it may not write read-only without a word, and the
     * node would then refuse every message; this way it stops at once with the reason.
     */
    private static void pruneExpiredTokens(Connection writer, long now) throws SQLException {
        try (var st = writer.prepareStatement("DELETE FROM tokens WHERE expires_at < ?")) {
            st.setLong(1, now);
            st.executeUpdate();
        }
        writer.commit();
    }

    private static Database openPostgres(Settings.Store settings) {
        Settings.Postgres pg = settings.postgres();
        try {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(pg.url());
            config.setUsername(pg.user());
            config.setPassword(pg.password());
            config.setPoolName("chat-postgres");
            // Each mailbox partition a node hosts holds a connection for its commits, and when nodes
            // die every partition may end up on one node: the pool must hold them all, plus the
            // accounts' writer and the readers, or the survivors starve.
            config.setMaximumPoolSize(Math.max(pg.poolSize(), settings.partitions() + 1 + settings.readPoolSize()));
            config.setMinimumIdle(2);
            config.setConnectionTimeout(5_000);
            config.setInitializationFailTimeout(10_000);
            HikariDataSource all = new HikariDataSource(config);
            migrate(all, "BIGSERIAL PRIMARY KEY", "VARCHAR(32) COLLATE \"C\"",
                    "SELECT setval(pg_get_serial_sequence('messages', 'msg_id'), "
                            + "COALESCE((SELECT MAX(msg_id) FROM messages), 0) + 1, false);");
            Connection writer = all.getConnection();
            writer.setAutoCommit(false);
            return new Database(false, writer, all, all, null);
        } catch (SQLException | RuntimeException e) {
            throw new StoreUnavailable("cannot open the PostgreSQL database " + pg.url() + ": " + e.getMessage(), e);
        }
    }

    /**
     * `resetMessageIds`: a statement run after V2 copies the messages into their new table with
     * their ids; PostgreSQL's sequence must continue after them, SQLite's AUTOINCREMENT does itself.
     */
    private static void migrate(DataSource ds, String idColumn, String nameColumn, String resetMessageIds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .placeholders(Map.of("id_column", idColumn, "name", nameColumn, "reset_message_ids", resetMessageIds))
                .load()
                .migrate();
    }

    private static SQLiteConfig sqliteConfig(Settings.Store settings, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(settings.sqliteSynchronous().toUpperCase()));
        config.setBusyTimeout((int) settings.busyTimeout().toMillis());
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setReadOnly(readOnly);
        return config;
    }

    private static HikariDataSource pool(String name, DataSource ds, int size, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(ds);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setReadOnly(readOnly);
        return new HikariDataSource(config);
    }

    public boolean sqlite() {
        return sqlite;
    }

    /** The accounts' write connection (auto-commit off). Only the store-writer thread may touch it. */
    public Connection writer() {
        return writer;
    }

    /**
     * A write connection for a mailbox partition (auto-commit off), used by one thread at a time.
     * SQLite: the one writer, shared with accounts on the single store-writer thread.
     */
    public Connection partitionWriter() {
        if (sqlite) {
            return writer;
        }
        try {
            Connection c = writers.getConnection();
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            throw new StoreUnavailable("no connection to the store: " + e.getMessage(), e);
        }
    }

    /** Gives back a connection from {@link #partitionWriter()} (PostgreSQL; SQLite's one writer stays open). */
    public void release(Connection partitionWriter) {
        if (sqlite || partitionWriter == writer) {
            return;
        }
        try {
            partitionWriter.rollback(); // nothing half-done goes back to the pool
            partitionWriter.close();
        } catch (SQLException ignored) {
            // a broken connection: the pool replaces it
        }
    }

    /** A pooled read connection; close it to give it back. */
    public Connection reader() throws SQLException {
        return readers.getConnection();
    }

    /** Whether the store answers now (the readiness check). */
    public boolean reachable() {
        try (Connection c = reader(); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (checkpointer != null) {
            checkpointer.close();
        }
        try {
            writer.close(); // first: with PostgreSQL it goes back to the pool closed below
        } catch (SQLException ignored) {
            // closing at shutdown: nothing left to save
        }
        readers.close();
        if (writers != null && writers != readers) {
            writers.close();
        }
    }
}
