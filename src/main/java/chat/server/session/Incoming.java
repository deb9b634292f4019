package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.ProtocolError;

/** What the connection's inbound stream hands its session: one decoded line, or why it is not one. */
public sealed interface Incoming {

    record Frame(ClientFrame frame) implements Incoming {
    }

    record Invalid(ProtocolError error) implements Incoming {
    }

    /** A line longer than chat.limits.max-frame-bytes; nothing more is read from the connection. */
    enum TooLarge implements Incoming {
        INSTANCE
    }
}
