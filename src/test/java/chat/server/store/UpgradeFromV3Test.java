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
 * A database written by the release before V4 (src/test/resources/upgrade/v3, README there says how
 * it was made over TCP) opened by this code: every account, token, message and its state, waiting
 * receipt, contact and read marker is still there and behaves, the messages the old writer left
 * in its unindexed tail included, and bob's first level 3 devices start where none had acked.
 */
class UpgradeFromV3Test {

    private static final UpgradedFixture FIXTURE = new UpgradedFixture("/upgrade/v3/chat.db",
            "97Xu5WWo1M0zluw0LE_u69hOkIG-NJFSTx8X24ZQ2LI", 1796290323172L);

    @TempDir
    Path dir;

    @BeforeEach
    void copyFixture() throws Exception {
        FIXTURE.copyTo(dir);
    }

    @Test
    void everyRowOfTheOldReleaseIsCarriedOver() throws Exception {
        try (Database db = Stores.open(dir, FIXTURE.clock())) {
            checkCarriedOver(db, "2026-12-03 09:31:59.747");
        }
    }

    /**
     * PostgreSQL: a database migrated to V3 only, filled with the fixture's rows table by table (as
     * the previous release would have written them), then opened by this code.
     */
    @Test
    void theSameUpgradeOnPostgresql() throws Exception {
        Map<String, Integer> tables = new LinkedHashMap<>();
        tables.put("users", 4);
        tables.put("tokens", 1);
        tables.put("conversations", 3);
        tables.put("messages", 5);
        tables.put("receipts", 3);
        tables.put("contacts", 7);
        tables.put("conversation_reads", 1);
        // empty as the old release left them: the tail was not indexed yet, nobody had a device row
        tables.put("conversation_log", 0);
        tables.put("client_ids", 0);
        tables.put("devices", 0);
        tables.put("device_acks", 0);
        tables.put("groups", 0);
        tables.put("group_members", 0);
        String url = FIXTURE.onPostgresql(dir, "3", tables);
        try (Database db = Database.open(Postgres.store(url, 1), FIXTURE.clock())) {
            checkCarriedOver(db, null);
        }
    }

    /** `v3InstalledOn`: when the old release applied V3 (SQLite: kept in the fixture), or null. */
    private static void checkCarriedOver(Database db, String v3InstalledOn) throws Exception {
        assertThat(rows(db, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .startsWith("1", "2", "3").contains("4", "5", "6");
        if (v3InstalledOn != null) {
            assertThat(rows(db, "SELECT installed_on FROM flyway_schema_history WHERE version = '3'"))
                    .as("the old release's own migrations are not run again").containsExactly(v3InstalledOn);
        }
        // the old writer's tail: fewer than its flush threshold, never indexed, found through
        // messages_unindexed by every read of checkStored
        assertThat(rows(db, "SELECT msg_id FROM messages WHERE indexed = 0 ORDER BY msg_id"))
                .containsExactly("1", "2", "3", "4", "5");
        assertThat(rows(db, "SELECT msg_id FROM conversation_log")).isEmpty();
        assertThat(rows(db, "SELECT msg_id FROM client_ids")).isEmpty();
        FIXTURE.checkStored(db);
        // V2 made the device 'default' only for the users there were then, and these came after;
        // V5's level3 and group_members.delivered_up_to have no rows to fill
        assertThat(rows(db, "SELECT username FROM devices")).isEmpty();
        assertThat(rows(db, "SELECT username FROM group_members")).isEmpty();
        FIXTURE.checkFirstWrites(db);
    }

    @Test
    void theUpgradedNodeReplaysWhatWasPendingAndDeliversTheWaitingReceipts() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of(), FIXTURE.clock())) {
            JsonNode devices = FIXTURE.checkOverTcp(node);
            // bob had no device row: his level 2 login before made 'default', offline now
            assertThat(devices).extracting(d -> d.path("device").asText() + " " + d.path("device_name").asText() + " "
                            + d.path("online").asBoolean() + " " + d.path("current").asBoolean())
                    .containsExactly("default  false false", "bob-laptop bob-laptop of bob true true");
        }
        try (Database db = Stores.open(dir, FIXTURE.clock())) {
            assertThat(rows(db, "SELECT username, device, device_name, level3, delivered_up_to FROM devices "
                    + "ORDER BY username, device"))
                    .containsExactly("alice default null 0 5", "bob bob-laptop bob-laptop of bob 1 4",
                            "bob bob-phone bob-phone of bob 1 5", "bob default null 0 5", "carol default null 0 5",
                            "dave default null 0 5"); // 'default' made by each one's level 1 or 2 login
            // the old messages went into the log when the node's writer started, each once
            assertThat(rows(db, "SELECT conversation_id, msg_id FROM conversation_log ORDER BY conversation_id, msg_id"))
                    .containsExactly("1 1", "1 2", "1 3", "2 4", "3 5");
        }
    }
}
