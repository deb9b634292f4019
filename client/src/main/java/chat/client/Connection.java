package chat.client;

import chat.protocol.Frame;
import chat.protocol.FrameCodec;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One TCP connection to the node: a reader thread hands each line to `onLine` and, once, reports
 * the end to `onClosed`. Writes come from the client's own thread.
 */
final class Connection {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int MAX_LINE = 1 << 20;

    private final Socket socket;
    private final BiConsumer<Connection, String> onLine;
    private final BiConsumer<Connection, String> onClosed;
    private OutputStream out;
    private volatile boolean closing;

    /** The callbacks get this connection too, so that events of a replaced connection can be told apart. */
    Connection(SSLContext tls, BiConsumer<Connection, String> onLine, BiConsumer<Connection, String> onClosed)
            throws IOException {
        this.socket = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
        this.onLine = onLine;
        this.onClosed = onClosed;
    }

    /** Connects (blocking, up to 5 s; with TLS, checks the server's certificate names `host`) and starts reading. */
    void open(String host, int port) throws IOException {
        socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        if (socket instanceof SSLSocket tls) {
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.setSoTimeout(CONNECT_TIMEOUT_MS);
            tls.startHandshake();
            tls.setSoTimeout(0);
        }
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        Thread reader = new Thread(this::read, "chat-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void send(Frame frame) throws IOException {
        out.write(FrameCodec.encode(frame));
        out.flush();
    }

    void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void read() {
        String reason = "the server closed the connection";
        try (InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        onLine.accept(this, line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (line.size() < MAX_LINE) {
                        line.write(b);
                    }
                }
            }
        } catch (IOException e) {
            reason = closing ? "closed" : "connection lost: " + e.getMessage();
        }
        onClosed.accept(this, reason);
    }
}
