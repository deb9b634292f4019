package chat.client;

import chat.protocol.ServerFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The client's listeners, told each event in the order they were added; a broken one must not break the connection. */
final class Listeners implements ChatListener {

    private static final System.Logger LOG = System.getLogger(ChatClient.class.getName());
    private final List<ChatListener> all = new CopyOnWriteArrayList<>();

    void add(ChatListener listener) {
        all.add(listener);
    }

    private void each(Consumer<ChatListener> event) {
        for (ChatListener l : all) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "chat listener failed", e);
            }
        }
    }

    @Override
    public void onMessage(ServerFrame.Message message) {
        each(l -> l.onMessage(message));
    }

    @Override
    public void onAcked(Outgoing message, ServerFrame.MessageAck ack) {
        each(l -> l.onAcked(message, ack));
    }

    @Override
    public void onRefused(Outgoing message, ServerFrame.MessageError error) {
        each(l -> l.onRefused(message, error));
    }

    @Override
    public void onReceipt(ServerFrame.Receipt receipt) {
        each(l -> l.onReceipt(receipt));
    }

    @Override
    public void onStatus(ServerFrame.UserStatus status) {
        each(l -> l.onStatus(status));
    }

    @Override
    public void onTyping(ServerFrame.TypingNotification typing) {
        each(l -> l.onTyping(typing));
    }

    @Override
    public void onReplayDone(long count) {
        each(l -> l.onReplayDone(count));
    }

    @Override
    public void onConnection(ConnectionState state) {
        each(l -> l.onConnection(state));
    }

    @Override
    public void onError(ServerFrame.Error error) {
        each(l -> l.onError(error));
    }

    @Override
    public void onGroup(ServerFrame.Group group) {
        each(l -> l.onGroup(group));
    }

    @Override
    public void onGroupEvent(ServerFrame.GroupEvent event) {
        each(l -> l.onGroupEvent(event));
    }

    @Override
    public void onReadMarker(ServerFrame.ReadMarker marker) {
        each(l -> l.onReadMarker(marker));
    }
}
