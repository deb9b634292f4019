package chat.server.store;

import chat.server.testing.Stores;
import java.nio.file.Path;

class SqliteStoreTest extends StoreTest {

    @Override
    Database openDatabase(Path dir) {
        return Stores.open(dir);
    }

    @Override
    Database reopen(Path dir) {
        return Stores.open(dir);
    }

    @Override
    void poisonInserts(Database db) throws Exception {
        try (var st = db.writer().createStatement()) {
            st.execute("CREATE TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.content = 'poison' "
                    + "BEGIN SELECT RAISE(ABORT, 'refused'); END");
            db.writer().commit();
        }
    }
}
