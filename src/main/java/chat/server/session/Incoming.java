package chat.server.session;

import chat.protocol.ClientFrame;
import chat.protocol.FrameCodec;
import chat.protocol.ProtocolError;
import org.apache.pekko.util.ByteString;

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

    /** Runs in the connection's stream, so decoding costs the session actor nothing. */
    static Incoming decode(ByteString line) {
        byte[] bytes = line.toArrayUnsafe();
        try {
            return new Frame(FrameCodec.decodeClient(bytes, 0, bytes.length));
        } catch (ProtocolError e) {
            return new Invalid(e);
        }
    }
}
