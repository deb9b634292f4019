package chat.server.store;

import chat.server.Settings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The node's database: one write connection, owned by the single store-writer thread (SQLite has
 * one writer; group commit makes that enough), and a pool of read connections, which WAL lets run
 * beside the writer. The schema comes from Flyway migrations.
 */
public final class Database implements AutoCloseable {

    private final Connection writer;
    private final HikariDataSource readers;

    private Database(Connection writer, HikariDataSource readers) {
        this.writer = writer;
        this.readers = readers;
    }

    public static Database open(Settings.Store settings) {
        if (!settings.kind().equals("sqlite")) {
            throw new StoreUnavailable("chat.store.kind '" + settings.kind() + "' is not supported by this build (use sqlite)", null);
        }
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
            migrate(url);
            Connection writer = sqliteConfig(settings, false).createConnection(url);
            writer.setAutoCommit(false);
            return new Database(writer, readPool(url, settings));
        } catch (SQLException | RuntimeException e) {
            throw new StoreUnavailable("cannot open the database " + dir.resolve("chat.db") + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(String url) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl(url);
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .placeholders(Map.of("id_column", "INTEGER PRIMARY KEY AUTOINCREMENT"))
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

    private static HikariDataSource readPool(String url, Settings.Store settings) {
        SQLiteDataSource ds = new SQLiteDataSource(sqliteConfig(settings, true));
        ds.setUrl(url);
        HikariConfig config = new HikariConfig();
        config.setDataSource(ds);
        config.setPoolName("chat-readers");
        config.setMaximumPoolSize(settings.readPoolSize());
        config.setMinimumIdle(1);
        config.setReadOnly(true);
        return new HikariDataSource(config);
    }

    /** The write connection (auto-commit off). Only the store-writer thread may touch it. */
    public Connection writer() {
        return writer;
    }

    /** A pooled read-only connection; close it to give it back. */
    public Connection reader() throws SQLException {
        return readers.getConnection();
    }

    @Override
    public void close() {
        readers.close();
        try {
            writer.close();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing left to save
        }
    }
}
