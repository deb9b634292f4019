package chat.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RelayServerTest {

    private RelayServer relay;

    @BeforeEach
    void start() {
        relay = RelayServer.start("127.0.0.1", 0, 2);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void routesOnTheReceiverFieldAndForwardsTheLineUnchanged() throws IOException {
        try (Client alice = new Client(relay.port()); Client bob = new Client(relay.port())) {
            alice.send("{\"type\":\"register\",\"username\":\"alice\",\"password\":\"whatever1\",\"version\":2}");
            assertThat(alice.read()).isEqualTo("{\"type\":\"register_response\",\"status\":\"success\"}");
            alice.send("{\"type\":\"login\",\"username\":\"alice\",\"password\":\"whatever1\",\"version\":2}");
            assertThat(alice.read()).contains("\"login_response\"", "\"success\"", "\"alice\"");
            assertThat(alice.read()).isEqualTo("{\"type\":\"replay_done\",\"count\":0}");
            bob.send("{\"type\":\"login\",\"username\":\"bob\"}");
            bob.read();
            bob.read();

            String message = "{\"type\":\"message\",\"id\":\"a-1\",\"content\":\"\\\"receiver\\\":\\\"alice\\\"\",\"receiver\":\"bob\"}";
            alice.send(message);
            assertThat(bob.read()).isEqualTo(message);
            bob.send("{\"type\":\"ping\"}");
            assertThat(bob.read()).isEqualTo("{\"type\":\"pong\"}");
            assertThat(relay.relayed()).isEqualTo(1);
            assertThat(relay.online()).isEqualTo(2);
        }
    }

    @Test
    void dropsMessagesForUsersWhoAreNotConnected() throws IOException {
        try (Client alice = new Client(relay.port())) {
            alice.send("{\"type\":\"login\",\"username\":\"alice\"}");
            alice.read();
            alice.read();
            alice.send("{\"type\":\"message\",\"receiver\":\"nobody\",\"content\":\"x\"}");
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.read()).isEqualTo("{\"type\":\"pong\"}"); // lines are handled in order: the message came first
            assertThat(relay.unrouted()).isEqualTo(1);
        }
    }

    /** A plain blocking socket speaking lines. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final BufferedReader in;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String read() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
