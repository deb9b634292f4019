package chat.client;

import java.io.IOException;
import javax.net.ssl.SSLContext;

/**
 * Opens the client's connections to the node. The app uses {@link #tcp}; a test hands the client
 * one of its own, e.g. one that loses the connection at a chosen line, as a real network would.
 */
@FunctionalInterface
public interface Connector {

    /** Connects to host:port (blocking: called on the client's thread, never a UI thread); lines and the end go to `listener`. */
    Connection open(String host, int port, Connection.Listener listener) throws IOException;

    /** Plain TCP (`tls` null) or TLS trusting what `tls` trusts, with the default line limit. */
    static Connector tcp(SSLContext tls) {
        return tcp(tls, Connection.MAX_LINE_BYTES);
    }

    static Connector tcp(SSLContext tls, int maxLineBytes) {
        return (host, port, listener) -> Connection.open(host, port, tls, maxLineBytes, listener);
    }
}
