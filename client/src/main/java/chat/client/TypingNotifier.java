package chat.client;

import java.util.function.LongSupplier;

/**
 * Turns keystrokes into the protocol's typing frames: `typing` on the first keystroke and again
 * every 3 s while keys keep coming; `stop_typing` after 5 s without a keystroke, when the message is
 * sent, when the input is emptied, or when the user turns to another conversation. The clock is
 * injected so the debounce can be tested without waiting. Used from one thread (the UI's).
 */
public final class TypingNotifier {

    public static final long REFRESH_MS = 3_000;
    public static final long IDLE_MS = 5_000;

    /** Where the frames go (a ChatClient in the app, a recorder in tests). */
    public interface Sink {
        void typing(String peer);

        void stopped(String peer);
    }

    private final Sink sink;
    private final LongSupplier clock;
    private String typingTo;
    private long lastKeystroke;
    private long lastSent;

    public TypingNotifier(Sink sink, LongSupplier clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** The input for `peer` changed; `empty` if nothing is left in it. */
    public void edited(String peer, boolean empty) {
        if (typingTo != null && !typingTo.equals(peer)) {
            stop();
        }
        if (empty) {
            stop();
            return;
        }
        long now = clock.getAsLong();
        lastKeystroke = now;
        if (typingTo == null) {
            typingTo = peer;
            lastSent = now;
            sink.typing(peer);
        } else if (now - lastSent >= REFRESH_MS) {
            lastSent = now;
            sink.typing(peer);
        }
    }

    /** The message for `peer` was sent. */
    public void sent(String peer) {
        if (peer.equals(typingTo)) {
            stop();
        }
    }

    /** The user left the conversation (or the window). */
    public void left() {
        stop();
    }

    /** Call a few times a second: ends typing once keystrokes have stopped for 5 s. */
    public void tick() {
        if (typingTo != null && clock.getAsLong() - lastKeystroke >= IDLE_MS) {
            stop();
        }
    }

    public boolean typing() {
        return typingTo != null;
    }

    private void stop() {
        if (typingTo != null) {
            String peer = typingTo;
            typingTo = null;
            sink.stopped(peer);
        }
    }
}
