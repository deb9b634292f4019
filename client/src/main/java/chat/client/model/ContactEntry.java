package chat.client.model;

/** One row of the contact list: who, their presence, the last message, unread count, typing. */
public final class ContactEntry {

    private final String peer;
    boolean online;
    Long lastSeen;
    String preview;
    long lastActivity;
    int unread;
    boolean listed;
    boolean typing;
    boolean presenceKnown; // false for a row made by a typing notification: nobody said yet if they are online

    ContactEntry(String peer) {
        this.peer = peer;
    }

    public String peer() {
        return peer;
    }

    public boolean online() {
        return online;
    }

    public Long lastSeen() {
        return lastSeen;
    }

    /** The last message, one line, or null before any. */
    public String preview() {
        return preview;
    }

    /** Epoch ms of the last message (0: none). */
    public long lastActivity() {
        return lastActivity;
    }

    public int unread() {
        return unread;
    }

    /** On the user's contact list (rather than only someone they talked with). */
    public boolean listed() {
        return listed;
    }

    public boolean typing() {
        return typing;
    }

    /** The server (or a search) has said whether they are online; a row made by their typing alone has not. */
    public boolean presenceKnown() {
        return presenceKnown;
    }
}
