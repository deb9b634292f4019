package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted peer that sheds a login as an overloaded node does:
 * `login_response{status:"error", code:"rate_limited", retry_after_ms}`, then close. A real node's
 * shedding cannot be provoked on cue, so the peer plays that part; everything else about the
 * client is tested against a real node (ChatClientTest).
 */
class ServerBusyTest {

    private static final long RETRY_AFTER_MS = 1_500;
    private static final String BUSY = "{\"type\":\"login_response\",\"status\":\"error\",\"code\":\"rate_limited\","
            + "\"message\":\"server busy\",\"retry_after_ms\":" + RETRY_AFTER_MS + "}";
    private static final String WELCOME = "{\"type\":\"login_response\",\"status\":\"success\",\"username\":\"alice\",\"token\":\"t1\"}";

    private ServerSocket peer;
    private ChatClient client;

    @BeforeEach
    void listen() throws IOException {
        peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(20_000); // a client that never comes back fails the accept, not the build's patience
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        peer.close();
    }

    @Test
    void aReconnectRefusedAsBusyWaitsAtLeastRetryAfterThenLogsIn() throws Exception {
        // the jitter the client will draw, from a twin of its seeded random source
        Backoff twin = new Backoff(100, 400, new Random(5));
        twin.delayMillis(0); // the retry after the first loss
        long jitter = twin.delayMillis(1); // drawn when the busy answer comes, on top of retry_after_ms
        client = new ChatClient("127.0.0.1", peer.getLocalPort(), Connector.tcp(null), new Backoff(100, 400, new Random(5)));
        Recorder hears = new Recorder();
        client.addListener(hears);

        var signedIn = client.signIn("alice", "correct horse");
        try (Socket first = peer.accept()) { // logs in, then the "node" goes away
            assertThat(readLine(first)).contains("\"login\"").contains("\"password\"");
            send(first, WELCOME);
            assertThat(signedIn.get(10, TimeUnit.SECONDS).token()).isEqualTo("t1");
        }

        long refusedAt;
        try (Socket second = peer.accept()) { // the reconnect, with the token: shed
            assertThat(readLine(second)).contains("\"token\":\"t1\"");
            refusedAt = System.nanoTime();
            send(second, BUSY);
        }
        ConnectionState.Reconnecting busy = (ConnectionState.Reconnecting) Recorder.await(hears.states,
                s -> s instanceof ConnectionState.Reconnecting r && r.cause() == ConnectionState.Cause.SERVER_BUSY);
        assertThat(busy.attempt()).isEqualTo(2);

        try (Socket third = peer.accept()) {
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusedAt);
            assertThat(waitedMs).as("no new connection before retry_after_ms and the jitter").isGreaterThanOrEqualTo(RETRY_AFTER_MS + jitter);
            assertThat(readLine(third)).contains("\"token\":\"t1\"");
            send(third, WELCOME);
            Recorder.awaitState(client, ConnectionState.Online.class);
        }
    }

    @Test
    void aSignInRefusedAsBusySaysHowLongToWait() throws Exception {
        client = new ChatClient("127.0.0.1", peer.getLocalPort(), Connector.tcp(null), new Backoff(100, 400, new Random(5)));
        var signedIn = client.signIn("alice", "correct horse");
        try (Socket s = peer.accept()) {
            readLine(s);
            send(s, BUSY);
            assertThatThrownBy(() -> signedIn.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ServerRefused.class, r -> {
                        assertThat(r.code()).isEqualTo("rate_limited");
                        assertThat(r.retryAfterMillis()).isEqualTo(RETRY_AFTER_MS);
                    });
        }
        // not signed in, so nothing to reconnect: the client stays signed out
        Recorder.awaitState(client, ConnectionState.SignedOut.class);
    }

    private static String readLine(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static void send(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
