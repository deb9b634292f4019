package chat.client;

import chat.protocol.ServerFrame;
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
public final class HeldEvents implements ChatListener {

    private static final System.Logger LOG = System.getLogger(HeldEvents.class.getName());
    private final List<Consumer<ChatListener>> held = new ArrayList<>();
    private ChatListener target;

    /** From now on events go to `listener`, starting with those held so far. */
    public synchronized void release(ChatListener listener) {
        for (Consumer<ChatListener> event : held) {
            deliver(event, listener);
        }
        held.clear();
        target = listener;
    }

    // the lock keeps the order: nothing live overtakes the replay of what was held
    private synchronized void pass(Consumer<ChatListener> event) {
        if (target != null) {
            deliver(event, target);
        } else {
            held.add(event);
        }
    }

    private static void deliver(Consumer<ChatListener> event, ChatListener to) {
        try {
            event.accept(to);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "chat listener failed", e);
        }
    }

    @Override
    public void onMessage(ServerFrame.Message message) {
        pass(l -> l.onMessage(message));
    }

    @Override
    public void onAcked(Outgoing message, ServerFrame.MessageAck ack) {
        pass(l -> l.onAcked(message, ack));
    }

    @Override
    public void onRefused(Outgoing message, ServerFrame.MessageError error) {
        pass(l -> l.onRefused(message, error));
    }

    @Override
    public void onReceipt(ServerFrame.Receipt receipt) {
        pass(l -> l.onReceipt(receipt));
    }

    @Override
    public void onStatus(ServerFrame.UserStatus status) {
        pass(l -> l.onStatus(status));
    }

    @Override
    public void onTyping(ServerFrame.TypingNotification typing) {
        pass(l -> l.onTyping(typing));
    }

    @Override
    public void onReplayDone(long count) {
        pass(l -> l.onReplayDone(count));
    }

    @Override
    public synchronized void onConnection(ConnectionState state) {
        if (target != null) {
            deliver(l -> l.onConnection(state), target);
        }
    }

    @Override
    public void onError(ServerFrame.Error error) {
        pass(l -> l.onError(error));
    }

    @Override
    public void onGroup(ServerFrame.Group group) {
        pass(l -> l.onGroup(group));
    }

    @Override
    public void onGroupEvent(ServerFrame.GroupEvent event) {
        pass(l -> l.onGroupEvent(event));
    }

    @Override
    public void onReadMarker(ServerFrame.ReadMarker marker) {
        pass(l -> l.onReadMarker(marker));
    }
}
