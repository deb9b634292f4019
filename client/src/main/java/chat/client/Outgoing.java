package chat.client;

import chat.protocol.ServerFrame;
import java.util.concurrent.CompletableFuture;

/**
 * A message this user sent, from the moment it is typed until the server acknowledges it. Its `id`
 * is the idempotency key: resending after a reconnect can never create a second copy.
 */
public final class Outgoing {

    private final String id;
    private final String receiver;
    private final String groupId;
    private final String content;
    private final long createdAt;
    private final CompletableFuture<ServerFrame.MessageAck> acked = new CompletableFuture<>();

    /** As {@link ChatClient#send} makes it; `id` must be unique among this user's messages. */
    public Outgoing(String id, String receiver, String content, long createdAt) {
        this(id, receiver, null, content, createdAt);
    }

    /** Level 3: exactly one of `receiver` and `groupId` is set. */
    public Outgoing(String id, String receiver, String groupId, String content, long createdAt) {
        this.id = id;
        this.receiver = receiver;
        this.groupId = groupId;
        this.content = content;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String receiver() {
        return receiver;
    }

    /** The group it goes to, or null for a one-to-one message (then {@link #receiver()} says to whom). */
    public String groupId() {
        return groupId;
    }

    public String content() {
        return content;
    }

    public long createdAt() {
        return createdAt;
    }

    /** Completed by the server's message_ack; failed with {@link SendRefused} if the server refuses it for good. */
    public CompletableFuture<ServerFrame.MessageAck> acked() {
        return acked;
    }
}
