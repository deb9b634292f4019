package chat.server.store;

import static chat.server.store.UpgradedFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.Postgres;
import chat.server.testing.Stores;
import chat.server.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the release before V2 (src/test/resources/upgrade/v1, README there says how
 * it was made over TCP) opened by this code: every account, token, message and its state, waiting
 * receipt, contact and read marker is still there and behaves.
 */
class UpgradeFromV1Test {

    private static final UpgradedFixture FIXTURE = new UpgradedFixture("/upgrade/v1/chat.db",
            "w7F6a7lG4KGfMiPqTxqEp0mGZ5T_4kEQvo8xW6pRZMc", 1796231470631L);

    @TempDir
    Path dir;

    @BeforeEach
    void copyFixture() throws Exception {
        FIXTURE.copyTo(dir);
    }

    @Test
    void everyRowOfTheOldReleaseIsCarriedOver() throws Exception {
        try (Database db = Stores.open(dir, FIXTURE.clock())) {
            checkCarriedOver(db);
        }
    }

    /**
     * PostgreSQL: a database migrated to V1 only, filled with the fixture's rows table by table (as
     * the previous release would have written them), then opened by this code.
     */
    @Test
    void theSameUpgradeOnPostgresql() throws Exception {
        Map<String, Integer> tables = new LinkedHashMap<>();
        tables.put("users", 4);
        tables.put("tokens", 1);
        tables.put("messages", 5);
        tables.put("receipts", 3);
        tables.put("contacts", 7);
        tables.put("read_markers", 1);
        String url = FIXTURE.onPostgresql(dir, "1", tables);
        try (Database db = Database.open(Postgres.store(url, 1), FIXTURE.clock())) {
            checkCarriedOver(db);
        }
    }

    private static void checkCarriedOver(Database db) throws Exception {
        assertThat(rows(db, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .startsWith("1").contains("2", "3", "4", "5", "6");
        FIXTURE.checkStored(db);
        // V2: every user has the device 'default'; V5: none of them has logged in on level 3;
        // V6: 'default' starts at the newest message (its pending ones it reads by their status)
        assertThat(rows(db, "SELECT username, device, delivered_up_to, level3 FROM devices ORDER BY username"))
                .containsExactly("alice default 5 0", "bob default 5 0", "carol default 5 0", "dave default 5 0");
        // V3 indexed the rows there were
        assertThat(rows(db, "SELECT msg_id FROM messages WHERE indexed = 0")).isEmpty();
        FIXTURE.checkFirstWrites(db);
    }

    @Test
    void theUpgradedNodeReplaysWhatWasPendingAndDeliversTheWaitingReceipts() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of(), FIXTURE.clock())) {
            JsonNode devices = FIXTURE.checkOverTcp(node);
            // the device 'default' V2 made for bob, and the first level 3 one, asking
            assertThat(devices).extracting(d -> d.path("device").asText() + " " + d.path("current").asBoolean())
                    .containsExactly("default false", "bob-laptop true");
        }
        try (Database db = Stores.open(dir, FIXTURE.clock())) {
            assertThat(rows(db, "SELECT username, device, level3, delivered_up_to FROM devices ORDER BY username, device"))
                    .containsExactly("alice default 0 5", "bob bob-laptop 1 4", "bob bob-phone 1 5", "bob default 0 5",
                            "carol default 0 5", "dave default 0 5"); // 'default' never moves back from V6's start
        }
    }
}
