package chat.client.model;

import chat.protocol.ServerFrame;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One row of the contact list: who, their presence, the last message, unread count, typing. A
 * group's row (level 3) has its name, its members and roles, and who of them is typing instead of a presence.
 */
public final class ContactEntry {

    private final String peer;
    private final String groupId;
    String groupName;
    List<ServerFrame.Member> members = List.of();
    boolean member = true; // false once this user left or was removed: the conversation is read-only then
    final Set<String> typers = new LinkedHashSet<>();
    boolean online;
    Long lastSeen;
    String preview;
    long lastActivity;
    int unread;
    boolean listed;
    boolean typing;
    boolean presenceKnown; // false for a row made by a typing notification: nobody said yet if they are online

    ContactEntry(String peer) {
        this(peer, null);
    }

    ContactEntry(String key, String groupId) {
        this.peer = key;
        this.groupId = groupId;
    }

    /** The row's key: the peer's name, or for a group {@link ContactListModel#groupKey}. */
    public String peer() {
        return peer;
    }

    /** The group of this row, or null for a person. */
    public String groupId() {
        return groupId;
    }

    public boolean group() {
        return groupId != null;
    }

    /** What the row and the conversation's header are titled: the person's name, or the group's. */
    public String title() {
        return groupId == null ? peer : groupName == null ? "Group" : groupName;
    }

    public List<ServerFrame.Member> members() {
        return members;
    }

    /** False once this user has left the group or was removed from it. */
    public boolean member() {
        return member;
    }

    public boolean admin(String user) {
        return members.stream().anyMatch(m -> m.username().equals(user) && ServerFrame.Member.ADMIN.equals(m.role()));
    }

    /** Who in a group is typing, in the order they started; "bob is typing…" is {@link TypingLine}'s. */
    public List<String> typers() {
        return List.copyOf(typers);
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
