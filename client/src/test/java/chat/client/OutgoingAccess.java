package chat.client;

/** Lets tests in other packages make an Outgoing as the client would. */
public final class OutgoingAccess {
    private OutgoingAccess() {
    }

    public static Outgoing of(String id, String receiver, String content, long createdAt) {
        return new Outgoing(id, receiver, content, createdAt);
    }
}
