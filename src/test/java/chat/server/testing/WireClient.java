package chat.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw protocol client over a real socket, for tests: writes lines exactly as given and reads
 * frames on a background thread. Server pings are skipped unless asked for.
 */
public final class WireClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode CLOSED = JSON.createObjectNode().put("type", "<closed>");

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private volatile boolean keepPings;
    private volatile boolean autoPong;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "wire-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static WireClient connect(int port) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            return new WireClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Over TLS, trusting what `tls` trusts and checking the certificate names 127.0.0.1. */
    public static WireClient connectTls(int port, javax.net.ssl.SSLContext tls) {
        try {
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
            javax.net.ssl.SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            return new WireClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WireClient keepPings() {
        keepPings = true;
        return this;
    }

    /** Answers every server ping with a pong, as a live level 2 client does. */
    public WireClient autoPong() {
        autoPong = true;
        return this;
    }

    private void readLoop() {
        try (InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                JsonNode frame = JSON.readTree(line.toString(StandardCharsets.UTF_8));
                line.reset();
                boolean ping = "ping".equals(frame.path("type").asText());
                if (ping && autoPong) {
                    send("pong");
                }
                if (keepPings || !ping) {
                    frames.add(frame);
                }
            }
        } catch (IOException e) {
            // closed: signalled below
        }
        frames.add(CLOSED);
    }

    /** Builds a frame from alternating field names and values. */
    public static ObjectNode frame(String type, Object... fields) {
        ObjectNode n = JSON.createObjectNode().put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            n.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        return n;
    }

    public WireClient send(String type, Object... fields) {
        return sendLine(frame(type, fields).toString());
    }

    public WireClient sendLine(String line) {
        return sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public WireClient sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame, failing the test if none comes within the wait. */
    public JsonNode next() {
        return next(WAIT);
    }

    public JsonNode next(Duration wait) {
        try {
            JsonNode f = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no frame within " + wait);
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The next frame, which must be of this type. A contact's user_status is passed over unless it
     * is the frame expected: it races the conversation by design (who watches whom is read from the
     * store while the conversation goes on), so its place among other frames is no contract.
     */
    public JsonNode expect(String type) {
        return expect(type, WAIT);
    }

    /** {@link #expect(String)}, for an answer the node delays on purpose (a throttled login). */
    public JsonNode expect(String type, Duration wait) {
        JsonNode f = next(wait);
        while (!type.equals("user_status") && f.path("type").asText().equals("user_status")) {
            f = next(wait);
        }
        assertThat(f.path("type").asText()).as("frame %s", f).isEqualTo(type);
        return f;
    }

    /** Skips other frames until one of this type arrives. */
    public JsonNode await(String type) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f.path("type").asText().equals(type)) {
                return f;
            }
            if (f == CLOSED) {
                throw new AssertionError("connection closed while waiting for " + type);
            }
        }
    }

    /** Asserts that no frame arrives for a while (the absence of an effect). */
    public void expectNothing(Duration quiet) {
        try {
            JsonNode f = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(f).as("unexpected frame").isNull();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asserts the server closes the connection (after any frames still on their way). */
    public void expectClosed() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f == CLOSED) {
                return;
            }
        }
    }

    public boolean isClosedFrame(JsonNode f) {
        return f == CLOSED;
    }

    public JsonNode register(String user, String password) {
        send("register", "username", user, "password", password);
        return expect("register_response");
    }

    /** Logs in at level 2 and reads up to replay_done; returns the login_response. */
    public JsonNode login2(String user, String password) {
        send("login", "username", user, "password", password, "version", 2);
        JsonNode r = expect("login_response");
        assertThat(r.path("status").asText()).as("login %s", r).isEqualTo("success");
        return r;
    }

    /** Logs in at level 3 from `device`; returns the login_response (success or not). */
    public JsonNode login3(String user, String password, String device) {
        send("login", "username", user, "password", password, "version", 3, "device", device, "device_name", device + " of " + user);
        return expect("login_response");
    }

    /** Logs in at level 1, as the seed's client does; returns the login_response. */
    public JsonNode login1(String user, String password) {
        send("login", "username", user, "password", password);
        JsonNode r = expect("login_response");
        assertThat(r.path("status").asText()).as("login %s", r).isEqualTo("success");
        return r;
    }

    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
