package chat.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import chat.protocol.ServerFrame;
import chat.server.accounts.Passwords;
import chat.server.testing.Postgres;
import chat.server.testing.TestNode;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * A database of src/test/resources/upgrade, written by an older release through
 * upgrade/v1/make-fixture.py over TCP: whatever schema it was written in, it holds the same
 * accounts, messages, receipts, contacts and read marker, so every upgrade must pass the same
 * checks, which are here. Each test adds what the migrations after its schema make of those rows.
 */
final class UpgradedFixture {

    private static final long DAY = 86_400_000L;
    /** As Database.openPostgres migrates: V2 moves the messages with their ids, the sequence follows them. */
    private static final String POSTGRES_RESET_MESSAGE_IDS = "SELECT setval(pg_get_serial_sequence('messages', 'msg_id'), "
            + "COALESCE((SELECT MAX(msg_id) FROM messages), 0) + 1, false);";

    private final String resource;
    private final String daveToken;
    private final Clock clock;

    /**
     * `tokenCreatedAt`: when dave's token was created, which is when the fixture was written. Its
     * 30 days of validity are judged by a clock that runs from a day after that moment, not by
     * today's date: the fixture must open the same way in a year.
     */
    UpgradedFixture(String resource, String daveToken, long tokenCreatedAt) {
        this.resource = resource;
        this.daveToken = daveToken;
        this.clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(tokenCreatedAt + DAY - System.currentTimeMillis()));
    }

    /** The node's and the store's clock for this fixture. */
    Clock clock() {
        return clock;
    }

    /** The fixture as `dir`/chat.db, where a node or {@code Stores.open} finds it. */
    void copyTo(Path dir) throws Exception {
        try (InputStream in = UpgradedFixture.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, dir.resolve("chat.db"));
        }
    }

    // ---- the store, before any write -----------------------------------------------------------

    /** Every row the old release wrote, as this code reads it, before anything is written. */
    void checkStored(Database db) throws Exception {
        UserStore users = new UserStore(db);
        MessageQueries queries = new MessageQueries(db);
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            assertThat(users.readPasswordHash(u)).as(u).startsWith("pbkdf2-sha256$1000$");
        }
        assertThat(users.readTokenOwner(Passwords.tokenHash(daveToken), clock.millis()))
                .isEqualTo(new UserStore.TokenOwner("dave", "default"));
        assertThat(rows(db, "SELECT username, device FROM tokens")).containsExactly("dave default");

        // every message intact, in its conversation; none from a device (V4: sent before devices existed)
        assertThat(rows(db, "SELECT msg_id, conversation_id, kind, sender, receiver, client_id, content, status, sender_device "
                + "FROM messages ORDER BY msg_id")).containsExactly(
                "1 1 0 alice bob a-1 one 2 null",
                "2 1 0 alice bob a-2 two 1 null",
                "3 1 0 alice bob a-3 three 0 null",
                "4 2 0 carol bob c-1 from carol 0 null",
                "5 3 0 dave carol null hi carol, level 1 0 null");
        assertThat(rows(db, "SELECT conversation_id, kind, user_a, user_b, group_id FROM conversations ORDER BY conversation_id"))
                .containsExactly("1 1 alice bob null", "2 1 bob carol null", "3 1 carol dave null");
        assertThat(rows(db, "SELECT owner, conversation_id, up_to FROM conversation_reads")).containsExactly("bob 1 1");
        assertThat(rows(db, "SELECT group_id FROM groups")).isEmpty();

        assertThat(queries.pending("bob", 0, 10)).extracting(ServerFrame.Message::msgId, ServerFrame.Message::id,
                        ServerFrame.Message::sender, ServerFrame.Message::content)
                .containsExactly(tuple(3L, "a-3", "alice", "three"), tuple(4L, "c-1", "carol", "from carol"));
        assertThat(queries.pending("carol", 0, 10)).extracting(ServerFrame.Message::msgId, ServerFrame.Message::content)
                .containsExactly(tuple(5L, "hi carol, level 1"));
        assertThat(queries.pending("alice", 0, 10)).isEmpty();
        assertThat(queries.pendingTotal()).isEqualTo(3);

        assertThat(queries.receipts("alice", "default", 0, 10)).extracting(r -> r.receipt())
                .extracting(ServerFrame.Receipt::status, ServerFrame.Receipt::msgId, ServerFrame.Receipt::id,
                        ServerFrame.Receipt::upTo, ServerFrame.Receipt::peer)
                .containsExactly(tuple("delivered", 1L, "a-1", null, "bob"),
                        tuple("delivered", 2L, "a-2", null, "bob"),
                        tuple("read", null, null, 1L, "bob"));
        assertThat(queries.receipts("dave", "default", 0, 10)).isEmpty();

        assertThat(history(queries, "bob", "alice")).containsExactly("1 read one", "2 delivered two", "3 sent three");
        assertThat(history(queries, "carol", "dave")).containsExactly("5 sent hi carol, level 1");
        Map<String, Long> unread = new LinkedHashMap<>();
        for (MessageQueries.Conversation c : queries.conversations("bob", 10)) {
            unread.put(c.peer(), c.unread());
        }
        assertThat(unread).containsExactly(Map.entry("carol", 1L), Map.entry("alice", 2L));

        assertThat(queries.contacts("carol")).extracting(MessageQueries.UserRow::username).containsExactly("bob", "dave");
        assertThat(queries.contacts("bob")).extracting(MessageQueries.UserRow::username).containsExactly("alice", "carol");
        assertThat(queries.watchers("alice")).containsExactly("bob"); // carol removed her
        assertThat(rows(db, "SELECT owner, contact, listed FROM contacts ORDER BY owner, contact")).containsExactly(
                "alice bob 1", "bob alice 1", "bob carol 1", "carol alice 0", "carol bob 1", "carol dave 1", "dave carol 1");
    }

    // ---- the store's first writes --------------------------------------------------------------

    /**
     * The writer's first commits on the old rows: a resend of an old client id is that message, a
     * new message takes an id after the old ones, and the old messages are in the history and
     * idempotency indexes (V3 made their entries for older rows; the writer's start makes them for
     * a tail the old release left unindexed), each found once.
     */
    void checkFirstWrites(Database db) throws Exception {
        MessageQueries queries = new MessageQueries(db);
        MessageWriter writer = new MessageWriter(db, clock, 1000);
        try {
            Written.Accepted resent = (Written.Accepted) writer.apply(List.of(new Write.Send("alice", "bob", "a-1", "one")))
                    .get(0);
            assertThat(resent.duplicate()).isTrue();
            assertThat(resent.message().msgId()).isEqualTo(1);
            Written.Accepted carolResent = (Written.Accepted) writer.apply(List.of(new Write.Send("carol", "bob", "c-1",
                    "from carol"))).get(0);
            assertThat(carolResent.duplicate()).isTrue();
            assertThat(carolResent.message().msgId()).isEqualTo(4);
            Written.Accepted fresh = (Written.Accepted) writer.apply(List.of(new Write.Send("alice", "bob", "a-4", "four")))
                    .get(0);
            assertThat(fresh.duplicate()).isFalse();
            assertThat(fresh.newPair()).isFalse();
            long id = fresh.message().msgId();
            // after the copied ids, none reused (a refused insert may have taken one)
            assertThat(id).isGreaterThan(5);
            assertThat(queries.pending("bob", 4, 10)).extracting(ServerFrame.Message::content).containsExactly("four");
            assertThat(rows(db, "SELECT conversation_id FROM messages WHERE msg_id = " + id)).containsExactly("1");

            assertThat(rows(db, "SELECT conversation_id, msg_id FROM conversation_log ORDER BY conversation_id, msg_id"))
                    .containsExactly("1 1", "1 2", "1 3", "2 4", "3 5");
            assertThat(rows(db, "SELECT sender, client_id, msg_id FROM client_ids ORDER BY sender, client_id"))
                    .containsExactly("alice a-1 1", "alice a-2 2", "alice a-3 3", "carol c-1 4");
            // only the new message waits behind the log, far below the writer's flush threshold
            assertThat(rows(db, "SELECT msg_id FROM messages WHERE indexed = 0")).containsExactly(String.valueOf(id));
            assertThat(history(queries, "bob", "alice"))
                    .containsExactly("1 read one", "2 delivered two", "3 sent three", id + " sent four");
        } finally {
            writer.close();
        }
    }

    // ---- a node over TCP -----------------------------------------------------------------------

    /**
     * A node on the upgraded store, over TCP: level 2 and level 1 logins get what was pending and
     * the receipts that waited, dave's old token still logs him in, and bob's first level 3 devices
     * start where no device of his had acked. Returns the devices_response bob's first level 3
     * device got (its devices differ with the schema the fixture was written in).
     */
    JsonNode checkOverTcp(TestNode node) {
        try (WireClient bob = node.connect()) {
            bob.login2("bob", "secret-pw-bob");
            Replay r = replay(bob, "message", UpgradedFixture::describe);
            assertThat(r.frames()).containsExactly("3 alice a-3 three", "4 carol c-1 from carol");
            assertThat(r.done().path("count").asInt()).isEqualTo(2);
        } // not acked: both stay pending

        try (WireClient alice = node.connect()) {
            alice.login2("alice", "secret-pw-alice");
            Replay r = replay(alice, "receipt", UpgradedFixture::receipt);
            assertThat(r.frames()).containsExactly("delivered 1 a-1", "delivered 2 a-2", "read 1");
            alice.send("conversations");
            JsonNode conversations = alice.expect("conversations_response").path("conversations");
            assertThat(conversations).hasSize(1);
            assertThat(conversations.get(0).path("peer").asText()).isEqualTo("bob");
            assertThat(conversations.get(0).path("last").path("msg_id").asLong()).isEqualTo(3);

            // dave first, before carol's level 1 delivery of his message could keep a receipt for him
            try (WireClient dave = node.connect()) {
                dave.send("login", "username", "dave", "token", daveToken, "version", 2);
                JsonNode ok = dave.expect("login_response");
                assertThat(ok.path("status").asText()).as("login %s", ok).isEqualTo("success");
                assertThat(ok.path("token").asText()).as("a token login keeps its token").isEqualTo(daveToken);
                Replay d = replay(dave, "message", UpgradedFixture::describe);
                assertThat(d.frames()).isEmpty();
                assertThat(d.done().path("count").asInt()).isZero();
            }

            try (WireClient carol = node.connect()) {
                carol.login1("carol", "secret-pw-carol");
                JsonNode m = carol.expect("message");
                assertThat(describe(m)).isEqualTo("5 dave null hi carol, level 1");
            }

            return checkLevel3(node, alice);
        }
    }

    /** Bob's first level 3 devices, with alice (the sender of his pending 3) online at level 2. */
    private JsonNode checkLevel3(TestNode node, WireClient alice) {
        JsonNode devices;
        try (WireClient laptop = node.connect()) {
            assertThat(laptop.login3("bob", "secret-pw-bob", "bob-laptop").path("status").asText()).isEqualTo("success");
            Replay r = replay(laptop, "message", UpgradedFixture::describe);
            assertThat(r.frames()).as("what no device of bob's acked, in msg_id order")
                    .containsExactly("3 alice a-3 three", "4 carol c-1 from carol");
            assertThat(r.done().path("count").asInt()).isEqualTo(2);
            assertThat(r.done().path("truncated").asBoolean()).isFalse();

            laptop.send("ack", "msg_ids", List.of(3, 4));
            laptop.send("read", "peer", "alice", "up_to", 3);
            List<String> receipts = new ArrayList<>();
            while (!receipts.contains("read 3")) {
                receipts.add(receipt(alice.await("receipt")));
            }
            // the device's ack reached the level 2 sender; so did the read, told after the position
            assertThat(receipts).containsExactly("delivered 3 a-3", "read 3");

            laptop.send("devices");
            devices = laptop.expect("devices_response").path("devices");
        }

        // with 3 and 4 acked by a device of bob's, a new one starts after them
        try (WireClient phone = node.connect()) {
            assertThat(phone.login3("bob", "secret-pw-bob", "bob-phone").path("status").asText()).isEqualTo("success");
            Replay r = replay(phone, "message", UpgradedFixture::describe);
            assertThat(r.frames()).isEmpty();
            assertThat(r.done().path("count").asInt()).isZero();

            // the laptop's session stores its position as it ends, before it goes offline
            awaitOffline(phone, "bob-laptop");
            try (WireClient laptop = node.connect()) {
                assertThat(laptop.login3("bob", "secret-pw-bob", "bob-laptop").path("status").asText()).isEqualTo("success");
                Replay again = replay(laptop, "message", UpgradedFixture::describe);
                assertThat(again.frames()).as("what it acked is not replayed").isEmpty();
                assertThat(again.done().path("count").asInt()).isZero();
            }
        }
        return devices;
    }

    /** Polls bob's devices (a fact the node reports) until `device` is offline. */
    private static void awaitOffline(WireClient asker, String device) {
        long deadline = System.nanoTime() + 3 * WireClient.WAIT.toNanos();
        while (true) {
            asker.send("devices");
            JsonNode list = asker.expect("devices_response").path("devices");
            boolean online = false;
            for (JsonNode d : list) {
                online |= d.path("device").asText().equals(device) && d.path("online").asBoolean();
            }
            if (!online) {
                return;
            }
            assertThat(System.nanoTime()).as("waiting for %s to go offline", device).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private record Replay(List<String> frames, JsonNode done) {
    }

    /** The frames of `type` up to replay_done, described; other frames (presence) are passed over. */
    private static Replay replay(WireClient c, String type, Function<JsonNode, String> describe) {
        List<String> frames = new ArrayList<>();
        JsonNode f;
        while (!(f = c.next()).path("type").asText().equals("replay_done")) {
            assertThat(c.isClosedFrame(f)).as("closed before replay_done").isFalse();
            if (f.path("type").asText().equals(type)) {
                frames.add(describe.apply(f));
            }
        }
        return new Replay(frames, f);
    }

    private static String describe(JsonNode m) {
        return m.path("msg_id").asLong() + " " + m.path("sender").asText() + " " + (m.has("id") ? m.path("id").asText() : "null")
                + " " + m.path("content").asText();
    }

    private static String receipt(JsonNode r) {
        return r.path("status").asText() + " " + (r.has("up_to") ? r.path("up_to").asText()
                : r.path("msg_id").asText() + " " + r.path("id").asText());
    }

    private static List<String> history(MessageQueries queries, String user, String peer) {
        return queries.history(user, peer, null, 50).messages().stream().map(ServerFrame.Message.class::cast)
                .map(m -> m.msgId() + " " + m.status() + " " + m.content()).toList();
    }

    // ---- PostgreSQL ----------------------------------------------------------------------------

    /**
     * A new PostgreSQL database migrated up to `target` only, holding the SQLite fixture's rows
     * (from `dir`) table by table, as the old release would have written them there; its JDBC URL.
     * `tables`: each table to copy, with the rows it must hold.
     */
    String onPostgresql(Path dir, String target, Map<String, Integer> tables) throws Exception {
        String url = Postgres.newDatabase();
        Flyway.configure()
                .dataSource(url, "postgres", "")
                .locations("classpath:db/migration")
                .placeholders(Map.of("id_column", "BIGSERIAL PRIMARY KEY", "name", "VARCHAR(32) COLLATE \"C\"",
                        "reset_message_ids", POSTGRES_RESET_MESSAGE_IDS))
                .target(target)
                .load()
                .migrate();
        try (Connection from = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chat.db"));
             Connection to = DriverManager.getConnection(url, "postgres", "")) {
            for (Map.Entry<String, Integer> t : tables.entrySet()) {
                assertThat(copy(from, to, t.getKey())).as(t.getKey()).isEqualTo(t.getValue());
            }
            try (Statement st = to.createStatement()) {
                // as BIGSERIAL would stand after the old release wrote these rows itself
                for (String[] serial : List.of(new String[] {"messages", "msg_id"}, new String[] {"receipts", "receipt_id"},
                        new String[] {"conversations", "conversation_id"})) {
                    if (tables.containsKey(serial[0])) {
                        st.execute("SELECT setval(pg_get_serial_sequence('" + serial[0] + "', '" + serial[1] + "'), "
                                + "(SELECT MAX(" + serial[1] + ") FROM " + serial[0] + "))");
                    }
                }
            }
        }
        return url;
    }

    /** Copies a table's rows; how many. */
    private static int copy(Connection from, Connection to, String table) throws Exception {
        try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            int n = rs.getMetaData().getColumnCount();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(n, "?")) + ")";
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
                return rows;
            }
        }
    }

    /** The rows of `sql`, each its columns joined by spaces (null as "null"). */
    static List<String> rows(Database db, String sql) throws Exception {
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
