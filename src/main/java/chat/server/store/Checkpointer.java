package chat.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file from a thread of its own. Left to SQLite,
 * every thousandth page written triggers that copy (and an fsync of the database file) inside the
 * commit that crossed the line, so some senders waited for it. A PASSIVE checkpoint never blocks
 * the writer or the readers; it copies what it can, and the next round continues.
 */
final class Checkpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
    private static final long INTERVAL_MS = 200;

    private final Connection connection;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chat-sqlite-checkpointer");
        t.setDaemon(true);
        return t;
    });
    private boolean failing;

    Checkpointer(Connection connection) {
        this.connection = connection;
        thread.scheduleWithFixedDelay(this::checkpoint, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
            if (failing) {
                log.info("checkpoints work again");
                failing = false;
            }
        } catch (SQLException e) {
            if (!failing) { // once per outage: the writer's own checkpoints are the backstop meanwhile
                log.warn("checkpoint failed: {}", e.getMessage());
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing at shutdown: the next open recovers from the WAL anyway
        }
    }
}
