package chat.server.testing;

import chat.server.Settings;
import chat.server.store.Database;
import java.nio.file.Path;

/** Real SQLite databases in a test's temporary directory. */
public final class Stores {

    private Stores() {
    }

    public static Database open(Path dir) {
        return Database.open(new Settings.Store("sqlite", dir, "FULL", 1000, 2));
    }
}
