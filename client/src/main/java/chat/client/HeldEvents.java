package chat.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds what a client hears until the listener that wants it exists. A window made once sign-in
 * has completed would otherwise miss what the server sends right after login_response: the pending
 * messages and receipts replayed at once, which the client acknowledges whether anyone listens or
 * not. Register it before signing in; {@link #release} replays everything held, in order, and
 * passes on whatever comes after. Connection states are not held: the late listener reads
 * {@link ChatClient#state()} after the release.
 */
public final class HeldEvents extends ForwardingListener {

    private final List<Consumer<ChatListener>> held = new ArrayList<>();
    private ChatListener target;

    /** From now on events go to `listener`, starting with those held so far. */
    public synchronized void release(ChatListener listener) {
        for (Consumer<ChatListener> event : held) {
            safely(event, listener);
        }
        held.clear();
        target = listener;
    }

    // the lock keeps the order: nothing live overtakes the replay of what was held
    @Override
    synchronized void forward(Consumer<ChatListener> event) {
        if (target != null) {
            safely(event, target);
        } else {
            held.add(event);
        }
    }

    @Override
    public synchronized void onConnection(ConnectionState state) { // not held: see the class comment
        if (target != null) {
            safely(l -> l.onConnection(state), target);
        }
    }
}
