package chat.server.testing;

import chat.server.Settings;
import chat.server.store.Database;
import java.nio.file.Path;
import java.time.Clock;

/** Real SQLite databases in a test's temporary directory. */
public final class Stores {

    private Stores() {
    }

    public static Database open(Path dir) {
        return open(dir, Clock.systemUTC());
    }

    /** Opened at `clock`'s time: the tokens expired by then are pruned, no others. */
    public static Database open(Path dir, Clock clock) {
        return Database.open(new Settings.Store("sqlite", dir, "FULL", 1000, 2), clock);
    }
}
