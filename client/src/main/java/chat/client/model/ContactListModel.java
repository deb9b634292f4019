package chat.client.model;

import chat.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The left column: everyone the user talks with or has added, most recent conversation first, with
 * presence, a preview of the last message and unread counts (which come from the server at sign-in,
 * so every device agrees, and grow as messages arrive in conversations not in view).
 */
public final class ContactListModel {

    private static final int PREVIEW_CHARS = 80;
    private final Map<String, ContactEntry> entries = new LinkedHashMap<>();

    public List<ContactEntry> ordered() {
        List<ContactEntry> out = new ArrayList<>(entries.values());
        out.sort(Comparator.comparingLong(ContactEntry::lastActivity).reversed().thenComparing(ContactEntry::peer));
        return out;
    }

    public ContactEntry get(String peer) {
        return entries.get(peer);
    }

    public int totalUnread() {
        return entries.values().stream().mapToInt(ContactEntry::unread).sum();
    }

    /** The key of a group's row and conversation: never a username, which has no '#'. */
    public static String groupKey(String groupId) {
        return "#" + groupId;
    }

    public void loadConversations(List<ServerFrame.Conversation> conversations) {
        for (ServerFrame.Conversation c : conversations) {
            if (c.groupId() != null) {
                ContactEntry g = groupEntry(c.groupId());
                if (c.name() != null) {
                    g.groupName = c.name();
                }
                g.unread = (int) c.unread();
                if (c.last() != null) {
                    g.preview = preview(c.last().sender() + ": " + c.last().content());
                    g.lastActivity = Math.max(g.lastActivity, c.last().ts());
                }
                continue;
            }
            ContactEntry e = entry(c.peer());
            e.online = ServerFrame.ONLINE.equals(c.status());
            e.lastSeen = c.lastSeen();
            e.presenceKnown = true;
            e.unread = (int) c.unread();
            if (c.last() != null) {
                e.preview = preview(c.last().content());
                e.lastActivity = c.last().ts();
            }
        }
    }

    public void loadContacts(List<ServerFrame.UserInfo> contacts) {
        entries.values().forEach(e -> e.listed = false);
        for (ServerFrame.UserInfo u : contacts) {
            ContactEntry e = entry(u.username());
            e.listed = true;
            e.online = ServerFrame.ONLINE.equals(u.status());
            e.lastSeen = u.lastSeen();
            e.presenceKnown = true;
        }
    }

    /** A message in the conversation with `peer`; `unseen` when that conversation is not in view. */
    public void message(String peer, String content, long ts, boolean unseen) {
        ContactEntry e = entry(peer);
        e.preview = preview(content);
        e.lastActivity = Math.max(e.lastActivity, ts);
        if (unseen) {
            e.unread++;
        }
        e.typing = false;
    }

    /**
     * A group as it is now. A group this user is no longer in keeps its row (and conversation),
     * marked as left. A new group starts at the top of the list.
     */
    public ContactEntry group(ServerFrame.Group g, String me) {
        ContactEntry e = groupEntry(g.groupId());
        e.groupName = g.name();
        e.members = g.members();
        e.member = g.members().stream().anyMatch(m -> m.username().equals(me));
        e.lastActivity = Math.max(e.lastActivity, g.ts());
        e.typers.removeIf(t -> g.members().stream().noneMatch(m -> m.username().equals(t)));
        return e;
    }

    /** A group member started or stopped typing in the group. */
    public void groupTyping(String groupId, String from, boolean typing) {
        ContactEntry e = typing ? groupEntry(groupId) : entries.get(groupKey(groupId));
        if (e != null) {
            if (typing) {
                e.typers.add(from);
            } else {
                e.typers.remove(from);
            }
            e.typing = !e.typers.isEmpty();
        }
    }

    /** A message in a group; the preview names who said it. `unseen` when the group is not in view (and not from me). */
    public void groupMessage(String groupId, String sender, String content, long ts, boolean unseen) {
        ContactEntry e = groupEntry(groupId);
        e.preview = preview(sender + ": " + content);
        e.lastActivity = Math.max(e.lastActivity, ts);
        if (unseen) {
            e.unread++;
        }
        e.typers.remove(sender);
        e.typing = !e.typers.isEmpty();
    }

    /** This user read the conversation `key` on another device: only what came after what they read there stays unread. */
    public void readElsewhere(String key, int stillUnread) {
        ContactEntry e = entries.get(key);
        if (e != null) {
            e.unread = Math.min(e.unread, stillUnread);
        }
    }

    public ContactEntry groupEntry(String groupId) {
        return entries.computeIfAbsent(groupKey(groupId), k -> new ContactEntry(k, groupId));
    }

    /** Someone found by a search, about to be talked with: their row starts with what the search said. */
    public ContactEntry found(ServerFrame.UserInfo user) {
        ContactEntry e = entry(user.username());
        e.online = ServerFrame.ONLINE.equals(user.status());
        e.lastSeen = user.lastSeen();
        e.presenceKnown = true;
        return e;
    }

    /**
     * Presence news. Someone without a row gets one: the server tells a user only about their
     * contacts, and a new contact (a first message, an add) is announced before anything else.
     */
    public void status(String peer, boolean online, Long lastSeen) {
        ContactEntry e = entry(peer);
        e.online = online;
        e.presenceKnown = true;
        if (!online) {
            e.lastSeen = lastSeen;
            e.typing = false;
        }
    }

    /** Someone typing to this user gets a row (their message is on its way); a stop needs one already. */
    public void typing(String peer, boolean typing) {
        ContactEntry e = typing ? entry(peer) : entries.get(peer);
        if (e != null) {
            e.typing = typing;
        }
    }

    /** This user's connection is gone: nobody's typing can be heard to stop any more. */
    public void connectionLost() {
        entries.values().forEach(e -> {
            e.typing = false;
            e.typers.clear();
        });
    }

    /** The conversation with `peer` was read up to its newest message. */
    public void read(String peer) {
        ContactEntry e = entries.get(peer);
        if (e != null) {
            e.unread = 0;
        }
    }

    /** Makes sure `peer` has a row (a conversation started from search). */
    public ContactEntry entry(String peer) {
        return entries.computeIfAbsent(peer, ContactEntry::new);
    }

    private static String preview(String content) {
        String oneLine = content.replaceAll("\\s+", " ").strip();
        return oneLine.length() > PREVIEW_CHARS ? oneLine.substring(0, PREVIEW_CHARS - 1) + "…" : oneLine;
    }
}
