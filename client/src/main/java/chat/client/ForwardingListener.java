package chat.client;

import chat.protocol.ServerFrame;
import java.util.function.Consumer;

/**
 * A listener that turns each event into one call to make on other listeners and hands that on:
 * what the fan-out ({@link Listeners}) and the holding back ({@link HeldEvents}) share, so a new
 * event is added to the protocol in one place.
 */
abstract class ForwardingListener implements ChatListener {

    private static final System.Logger LOG = System.getLogger(ChatClient.class.getName());

    /** `event` is to be made on the listeners this one stands for. */
    abstract void forward(Consumer<ChatListener> event);

    /** Makes `event` on `to`: a broken listener is logged, and must not break the connection. */
    static void safely(Consumer<ChatListener> event, ChatListener to) {
        try {
            event.accept(to);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "chat listener failed", e);
        }
    }

    @Override
    public void onMessage(ServerFrame.Message message) {
        forward(l -> l.onMessage(message));
    }

    @Override
    public void onAcked(Outgoing message, ServerFrame.MessageAck ack) {
        forward(l -> l.onAcked(message, ack));
    }

    @Override
    public void onRefused(Outgoing message, ServerFrame.MessageError error) {
        forward(l -> l.onRefused(message, error));
    }

    @Override
    public void onReceipt(ServerFrame.Receipt receipt) {
        forward(l -> l.onReceipt(receipt));
    }

    @Override
    public void onStatus(ServerFrame.UserStatus status) {
        forward(l -> l.onStatus(status));
    }

    @Override
    public void onTyping(ServerFrame.TypingNotification typing) {
        forward(l -> l.onTyping(typing));
    }

    @Override
    public void onReplayDone(long count) {
        forward(l -> l.onReplayDone(count));
    }

    @Override
    public void onConnection(ConnectionState state) {
        forward(l -> l.onConnection(state));
    }

    @Override
    public void onError(ServerFrame.Error error) {
        forward(l -> l.onError(error));
    }

    @Override
    public void onGroup(ServerFrame.Group group) {
        forward(l -> l.onGroup(group));
    }

    @Override
    public void onGroupEvent(ServerFrame.GroupEvent event) {
        forward(l -> l.onGroupEvent(event));
    }

    @Override
    public void onReadMarker(ServerFrame.ReadMarker marker) {
        forward(l -> l.onReadMarker(marker));
    }
}
