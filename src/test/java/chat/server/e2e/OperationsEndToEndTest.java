package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.testing.NodeProcess;
import chat.server.testing.WireClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /alive, /ready and /metrics on the management port of a running node. */
class OperationsEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void healthAndMetricsAnswer() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, Map.of())) {
            Matcher m = Pattern.compile("management endpoints at http://([0-9.]+):(\\d+)")
                    .matcher(String.join("\n", awaitLine(node, "management endpoints at")));
            assertThat(m.find()).isTrue();
            String base = "http://" + m.group(1) + ":" + m.group(2);
            WireClient c = node.connect();
            c.register("alice", "correct horse");
            c.login2("alice", "correct horse");
            c.expect("replay_done");
            WireClient registering = node.connect(); // stays connected, not logged in: a session, not a user online
            registering.register("bob", "battery staple");
            for (String id : new String[] {"b1", "b2"}) { // bob is offline: both stay pending
                c.send("message", "id", id, "receiver", "bob", "content", "for later");
                c.expect("message_ack");
            }

            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, base + "/alive").statusCode()).isEqualTo(200);
            assertThat(get(http, base + "/ready").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(http, base + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("chat_sessions 2")
                    .contains("chat_users_online 1")
                    .containsPattern("chat_messages_accepted_total [1-9]")
                    .containsPattern("chat_frames_in_total [1-9]")
                    .contains("chat_commit_batch_size_bucket{le=\"+Inf\"}")
                    .contains("chat_commit_seconds_count")
                    .contains("chat_delivery_seconds_count")
                    .contains("chat_messages_pending 2");
        }
    }

    private static java.util.List<String> awaitLine(NodeProcess node, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (node.output().stream().anyMatch(l -> l.contains(text))) {
                return node.output();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never logged: " + text + "\n" + node.output());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
