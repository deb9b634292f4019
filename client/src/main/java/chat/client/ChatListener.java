package chat.client;

import chat.protocol.ServerFrame;

/**
 * What a client hears from the server. Called on the client's own thread, one event at a time and
 * in order; implementations hand work to their UI thread and return quickly.
 */
public interface ChatListener {

    /** A message for this user, once (duplicates are dropped by msg_id; every copy is acked). */
    default void onMessage(ServerFrame.Message message) {
    }

    /** One of this user's messages was stored by the server. */
    default void onAcked(Outgoing message, ServerFrame.MessageAck ack) {
    }

    /** One of this user's messages was refused for good (unknown user, too large, mailbox full). */
    default void onRefused(Outgoing message, ServerFrame.MessageError error) {
    }

    default void onReceipt(ServerFrame.Receipt receipt) {
    }

    default void onStatus(ServerFrame.UserStatus status) {
    }

    default void onTyping(ServerFrame.TypingNotification typing) {
    }

    /** Everything pending at login has arrived. */
    default void onReplayDone(long count) {
    }

    default void onConnection(ConnectionState state) {
    }

    /** An `error` frame from the server. */
    default void onError(ServerFrame.Error error) {
    }

    /** Level 3: a group as it is now (created, changed, or this user was added or removed). */
    default void onGroup(ServerFrame.Group group) {
    }

    /** Level 3: a membership change in a group's stream, once (acked like a message). */
    default void onGroupEvent(ServerFrame.GroupEvent event) {
    }

    /** Level 3: this user read a conversation up to `up_to` on another device. */
    default void onReadMarker(ServerFrame.ReadMarker marker) {
    }
}
