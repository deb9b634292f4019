package chat.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ServerFrame;
import chat.server.accounts.Passwords;
import chat.server.testing.Stores;
import chat.server.testing.TestNode;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import chat.server.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the release before V2 (src/test/resources/upgrade/v1, README there says how
 * it was made over TCP) opened by this code: every account, token, message and its state, waiting
 * receipt, contact and read marker is still there and behaves.
 */
class UpgradeFromV1Test {

    /** When the fixture's token was created; its validity is checked at that time, not today's. */
    private static final long FIXTURE_TIME = 1796231470631L;
    private static final String DAVE_TOKEN = "w7F6a7lG4KGfMiPqTxqEp0mGZ5T_4kEQvo8xW6pRZMc";

    @TempDir
    Path dir;

    @BeforeEach
    void copyFixture() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/upgrade/v1/chat.db")) {
            Files.copy(in, dir.resolve("chat.db"));
        }
    }

    @Test
    void everyRowOfTheOldReleaseIsCarriedOver() throws Exception {
        try (Database db = Stores.open(dir)) {
            checkCarriedOver(db);
        }
    }

    /**
     * PostgreSQL: a database migrated to V1 only, filled with the fixture's rows table by table (as
     * the previous release would have written them), then opened by this code.
     */
    @Test
    void theSameUpgradeOnPostgresql() throws Exception {
        String url = Postgres.newDatabase();
        Flyway.configure()
                .dataSource(url, "postgres", "")
                .locations("classpath:db/migration")
                .placeholders(Map.of("id_column", "BIGSERIAL PRIMARY KEY", "name", "VARCHAR(32) COLLATE \"C\"",
                        "reset_message_ids", ""))
                .target("1")
                .load()
                .migrate();
        try (Connection from = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chat.db"));
             Connection to = DriverManager.getConnection(url, "postgres", "")) {
            for (String table : List.of("users", "tokens", "messages", "receipts", "contacts", "read_markers")) {
                copy(from, to, table);
            }
            try (Statement st = to.createStatement()) {
                // as BIGSERIAL would stand after the old release wrote these rows itself
                st.execute("SELECT setval(pg_get_serial_sequence('messages', 'msg_id'), (SELECT MAX(msg_id) FROM messages))");
                st.execute("SELECT setval(pg_get_serial_sequence('receipts', 'receipt_id'), (SELECT MAX(receipt_id) FROM receipts))");
            }
        }
        try (Database db = Database.open(Postgres.store(url, 1))) {
            checkCarriedOver(db);
        }
    }

    private static void copy(Connection from, Connection to, String table) throws Exception {
        try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            int n = rs.getMetaData().getColumnCount();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
            try (PreparedStatement insert = to.prepareStatement(sql)) {
                int rows = 0;
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        insert.setObject(i, rs.getObject(i)); // PostgreSQL casts on assignment
                    }
                    insert.addBatch();
                    rows++;
                }
                insert.executeBatch();
                assertThat(rows).as(table).isPositive();
            }
        }
    }

    private static void checkCarriedOver(Database db) throws Exception {
        {
            UserStore users = new UserStore(db);
            MessageQueries queries = new MessageQueries(db);
            for (String u : List.of("alice", "bob", "carol", "dave")) {
                assertThat(users.readPasswordHash(u)).as(u).startsWith("pbkdf2-sha256$1000$");
            }
            assertThat(users.readTokenOwner(Passwords.tokenHash(DAVE_TOKEN), FIXTURE_TIME + 86_400_000L).username()).isEqualTo("dave");

            assertThat(queries.pending("bob", 0, 10)).extracting(ServerFrame.Message::msgId, ServerFrame.Message::content)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "three"),
                            org.assertj.core.groups.Tuple.tuple(4L, "from carol"));
            assertThat(queries.pending("carol", 0, 10)).extracting(ServerFrame.Message::content)
                    .containsExactly("hi carol, level 1");
            assertThat(queries.pendingTotal()).isEqualTo(3);

            assertThat(queries.receipts("alice", 0, 10)).extracting(r -> r.receipt())
                    .extracting(ServerFrame.Receipt::status, ServerFrame.Receipt::msgId, ServerFrame.Receipt::id,
                            ServerFrame.Receipt::upTo)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("delivered", 1L, "a-1", null),
                            org.assertj.core.groups.Tuple.tuple("delivered", 2L, "a-2", null),
                            org.assertj.core.groups.Tuple.tuple("read", null, null, 1L));

            assertThat(queries.history("bob", "alice", null, 50).messages())
                    .map(ServerFrame.Message.class::cast).extracting(ServerFrame.Message::msgId, ServerFrame.Message::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "read"),
                            org.assertj.core.groups.Tuple.tuple(2L, "delivered"),
                            org.assertj.core.groups.Tuple.tuple(3L, "sent"));
            Map<String, Long> unread = new LinkedHashMap<>();
            for (MessageQueries.Conversation c : queries.conversations("bob", 10)) {
                unread.put(c.peer(), c.unread());
            }
            assertThat(unread).containsExactly(Map.entry("carol", 1L), Map.entry("alice", 2L));

            assertThat(queries.contacts("carol")).extracting(MessageQueries.UserRow::username).containsExactly("bob", "dave");
            assertThat(queries.watchers("alice")).containsExactly("bob"); // carol removed her

            // every user has the device 'default', at the position its delivered messages allow
            assertThat(rows(db, "SELECT username, device, delivered_up_to FROM devices ORDER BY username"))
                    .containsExactly("alice default 0", "bob default 2", "carol default 4", "dave default 0");
            assertThat(rows(db, "SELECT device FROM tokens")).containsExactly("default");
            assertThat(rows(db, "SELECT user_a, user_b FROM conversations ORDER BY conversation_id"))
                    .containsExactly("alice bob", "bob carol", "carol dave");

            MessageWriter writer = new MessageWriter(db, Clock.systemUTC(), 1000);
            Written.Accepted resent = (Written.Accepted) writer.apply(List.of(new Write.Send("alice", "bob", "a-1", "one")))
                    .get(0);
            assertThat(resent.duplicate()).isTrue();
            assertThat(resent.message().msgId()).isEqualTo(1);
            Written.Accepted fresh = (Written.Accepted) writer.apply(List.of(new Write.Send("alice", "bob", "a-4", "four")))
                    .get(0);
            assertThat(fresh.duplicate()).isFalse();
            assertThat(fresh.newPair()).isFalse();
            // after the copied ids, none reused (the resend's refused insert may have taken one)
            assertThat(fresh.message().msgId()).isGreaterThan(5);
            assertThat(queries.pending("bob", 4, 10)).extracting(ServerFrame.Message::content).containsExactly("four");
            writer.close();
        }
    }

    @Test
    void theUpgradedNodeReplaysWhatWasPendingAndDeliversTheWaitingReceipts() {
        try (TestNode node = TestNode.start(dir)) {
            try (WireClient bob = node.connect()) {
                bob.login2("bob", "secret-pw-bob");
                List<Long> replayed = new ArrayList<>();
                JsonNode f;
                while (!(f = bob.next()).path("type").asText().equals("replay_done")) {
                    if (f.path("type").asText().equals("message")) {
                        replayed.add(f.path("msg_id").asLong());
                    }
                }
                assertThat(replayed).containsExactly(3L, 4L);
                assertThat(f.path("count").asInt()).isEqualTo(2);
            }
            try (WireClient alice = node.connect()) {
                alice.login2("alice", "secret-pw-alice");
                List<String> receipts = new ArrayList<>();
                JsonNode f;
                while (!(f = alice.next()).path("type").asText().equals("replay_done")) {
                    if (f.path("type").asText().equals("receipt")) {
                        receipts.add(f.path("status").asText() + " " + f.path("msg_id").asText(f.path("up_to").asText()));
                    }
                }
                assertThat(receipts).containsExactly("delivered 1", "delivered 2", "read 1");
                alice.send("conversations");
                JsonNode conversations = alice.expect("conversations_response").path("conversations");
                assertThat(conversations.get(0).path("peer").asText()).isEqualTo("bob");
                assertThat(conversations.get(0).path("last").path("msg_id").asLong()).isEqualTo(3);
            }
            try (WireClient carol = node.connect()) {
                carol.login1("carol", "secret-pw-carol");
                JsonNode m = carol.expect("message");
                assertThat(m.path("msg_id").asLong()).isEqualTo(5);
                assertThat(m.path("sender").asText()).isEqualTo("dave");
            }
        }
    }

    private static List<String> rows(Database db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.reader(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cols.add(rs.getString(i));
                }
                out.add(String.join(" ", cols));
            }
        }
        return out;
    }
}
