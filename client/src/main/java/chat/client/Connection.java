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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One TCP (or TLS) connection to the node: a reader thread hands each line to the listener and,
 * once, reports the end. Writes come from the client's own thread. A line longer than the limit
 * ends the connection: its frame cannot be read whole, and passing a fragment on as if it were a
 * frame would be worse than saying so.
 */
public final class Connection {

    /**
     * The default limit. The largest frame a node sends is a history page: 200 messages of 16 KiB
     * content, each byte escaped to at most 6 ({@code \u0001}), ~19.7 MiB; a line longer than this
     * comes from a broken or hostile server, and memory stays bounded whatever it sends.
     */
    public static final int MAX_LINE_BYTES = 32 << 20;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** What a connection reports, on its reader thread; each event names its connection, so that events of a replaced one can be told apart. */
    public interface Listener {
        void onLine(Connection from, String line);

        /** Once, at the end; `cause` is LINE_TOO_LONG when this side closed it for an oversize line, else LOST. */
        void onClosed(Connection from, ConnectionState.Cause cause, String reason);
    }

    private final Socket socket;
    private final int maxLineBytes;
    private final Listener listener;
    private OutputStream out;
    private volatile boolean closing;

    private Connection(Socket socket, int maxLineBytes, Listener listener) {
        this.socket = socket;
        this.maxLineBytes = maxLineBytes;
        this.listener = listener;
    }

    /**
     * Connects (blocking, up to 5 s; with TLS, checks that the server's certificate names `host`)
     * and starts reading. `tls` null: plain TCP.
     */
    static Connection open(String host, int port, SSLContext tls, int maxLineBytes, Listener listener) throws IOException {
        Socket socket = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            if (socket instanceof SSLSocket secure) {
                SSLParameters params = secure.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(params);
                secure.setSoTimeout(CONNECT_TIMEOUT_MS);
                secure.startHandshake();
                secure.setSoTimeout(0);
            }
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            Connection c = new Connection(socket, maxLineBytes, listener);
            c.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            Thread reader = new Thread(c::read, "chat-client-reader");
            reader.setDaemon(true);
            reader.start();
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public void send(Frame frame) throws IOException {
        out.write(FrameCodec.encode(frame));
        out.flush();
    }

    /** Closes the socket; no line is passed on after this, and the reader reports the end. */
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void read() {
        ConnectionState.Cause cause = ConnectionState.Cause.LOST;
        String reason = "the server closed the connection";
        try (InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            byte[] buf = new byte[16384];
            boolean tooLong = false;
            int n;
            reading:
            while (!closing && (n = in.read(buf)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        continue;
                    }
                    if (line.size() + i - start > maxLineBytes) {
                        tooLong = true;
                        break reading;
                    }
                    line.write(buf, start, i - start);
                    listener.onLine(this, line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    start = i + 1;
                    if (closing) { // the listener closed it: nothing after that line counts
                        break reading;
                    }
                }
                if (line.size() + n - start > maxLineBytes) {
                    tooLong = true;
                    break;
                }
                line.write(buf, start, n - start);
            }
            if (tooLong) {
                cause = ConnectionState.Cause.LINE_TOO_LONG;
                reason = "the server sent a line longer than " + size(maxLineBytes) + ", which cannot be read";
                close();
            } else if (closing) {
                reason = "closed";
            }
        } catch (IOException e) {
            reason = closing ? "closed" : "connection lost: " + e.getMessage();
        }
        listener.onClosed(this, cause, reason);
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
