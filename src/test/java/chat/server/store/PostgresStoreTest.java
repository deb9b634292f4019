package chat.server.store;

import chat.server.testing.Postgres;
import java.nio.file.Path;

class PostgresStoreTest extends StoreTest {

    private String url;

    @Override
    Database openDatabase(Path dir) {
        url = Postgres.newDatabase();
        return Database.open(Postgres.store(url, 1));
    }

    @Override
    Database reopen(Path dir) {
        return Database.open(Postgres.store(url, 1));
    }

    @Override
    void poisonInserts(Database db) throws Exception {
        try (var st = db.writer().createStatement()) {
            st.execute("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    + "IF NEW.content = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            st.execute("CREATE TRIGGER refuse BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse()");
            db.writer().commit();
        }
    }
}
