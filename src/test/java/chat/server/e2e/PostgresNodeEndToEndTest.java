package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.Postgres;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node on PostgreSQL hosting more mailbox partitions than its configured pool has connections:
 * as when the other nodes of a cluster die and every partition moves to the last one. Each
 * partition holds a connection for its commits; the pool must grow to hold them all and still
 * serve the readers, or logins and replays starve.
 */
class PostgresNodeEndToEndTest extends EndToEnd {

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.store.kind", "postgres", "chat.store.postgres.url", Postgres.newDatabase(),
                "chat.store.postgres.user", "postgres", "chat.store.partitions", 8, "chat.store.postgres.pool-size", 4));
    }

    @Test
    void everyPartitionCommitsAndReadersStillGetConnections() {
        List<String> names = List.of(name("ana"), name("bea"), name("cid"), name("dan"), name("eva"), name("fay"),
                name("gus"), name("hal"), name("ivy"));
        String sender = names.get(0);
        WireClient s = online(sender);
        for (String receiver : names.subList(1, names.size())) { // receivers spread over the partitions
            online(receiver).close();
            s.send("message", "id", "to-" + receiver, "receiver", receiver, "content", "hello " + receiver);
            assertThat(s.expect("message_ack").path("id").asText()).isEqualTo("to-" + receiver);
        }
        for (String receiver : names.subList(1, names.size())) {
            WireClient r = connect();
            r.login2(receiver, PASSWORD);
            JsonNode m = r.expect("message");
            assertThat(m.path("content").asText()).isEqualTo("hello " + receiver);
            assertThat(r.expect("replay_done").path("count").asInt()).isEqualTo(1);
        }
    }
}
