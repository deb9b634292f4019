package chat.client.model;

import chat.client.Outgoing;
import chat.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The messages of one conversation (with a peer, or a group's: then its events too, and the
 * aggregated receipts the server sends for groups move the ticks as a peer's do) as the window shows them: stored ones in msg_id order (history
 * pages are merged in as they load), this user's unacknowledged ones after them, each with its
 * ticks. No Swing here: the view renders it and the tests drive it directly.
 */
public final class ConversationModel {

    private final String me;
    private final String peer;
    private final String groupId;
    private final List<ChatLine> lines = new ArrayList<>();
    private boolean hasOlder = true;
    private boolean loadingOlder;
    private boolean historyLoaded;
    private long readUpTo; // the peer's newest read mark: covers a message whose ack comes after it

    public ConversationModel(String me, String peer) {
        this(me, peer, null);
    }

    /** `key`: the peer, or (for a group) {@link ContactListModel#groupKey}; `groupId` null for a one-to-one conversation. */
    public ConversationModel(String me, String key, String groupId) {
        this.me = me;
        this.peer = key;
        this.groupId = groupId;
    }

    /** The conversation's key: the peer's name, or a group's key. */
    public String peer() {
        return peer;
    }

    /** The group, or null for a one-to-one conversation. */
    public String groupId() {
        return groupId;
    }

    public boolean group() {
        return groupId != null;
    }

    public List<ChatLine> lines() {
        return List.copyOf(lines);
    }

    public boolean hasOlder() {
        return hasOlder;
    }

    public boolean loadingOlder() {
        return loadingOlder;
    }

    public void loadingOlder(boolean loading) {
        loadingOlder = loading;
    }

    /** True once the newest page of history has been merged in. */
    public boolean historyLoaded() {
        return historyLoaded;
    }

    /** A page of history (older or newest); messages already here are not duplicated. */
    public void addHistory(ServerFrame.HistoryResponse page) {
        for (ServerFrame.Delivery d : page.messages()) {
            if (d instanceof ServerFrame.GroupEvent e) {
                addEvent(e);
                continue;
            }
            if (!(d instanceof ServerFrame.Message m)) {
                continue;
            }
            boolean mine = m.sender().equals(me);
            ChatLine here = find(m.msgId());
            if (here == null && mine && m.id() != null) {
                // a message of ours re-sent after a reconnect: history can bring it before its ack
                here = findClientId(m.id());
                if (here != null) {
                    here.stored(m.msgId(), m.ts());
                }
            }
            if (here == null) {
                lines.add(new ChatLine(m.msgId(), m.id(), m.sender(), m.content(), m.ts(), mine,
                        mine ? Tick.ofStatus(m.status()) : Tick.SENT));
            } else if (mine) {
                here.advance(Tick.ofStatus(m.status()));
            }
        }
        if (!historyLoaded || !page.messages().isEmpty()) {
            hasOlder = page.hasMore();
        }
        historyLoaded = true;
        loadingOlder = false;
        sort();
    }

    /**
     * A message from the peer (or a group member), or an outgoing copy: one this user sent from
     * another device, which shows as their own, with ticks. False if it was already here.
     */
    public boolean addIncoming(ServerFrame.Message m) {
        if (find(m.msgId()) != null) {
            return false;
        }
        boolean mine = m.sender().equals(me);
        ChatLine sentHere = mine && m.id() != null ? findClientId(m.id()) : null;
        if (sentHere != null) { // our own, echoed: keep the one line
            sentHere.stored(m.msgId(), m.ts());
        } else {
            lines.add(new ChatLine(m.msgId(), m.id(), m.sender(), m.content(), m.ts(), mine,
                    mine ? Tick.SENT.max(m.msgId() <= readUpTo ? Tick.READ : Tick.SENT) : Tick.SENT));
        }
        sort();
        return true;
    }

    /** A group's membership event, as a centred line; false if it was already here. */
    public boolean addEvent(ServerFrame.GroupEvent e) {
        if (find(e.msgId()) != null) {
            return false;
        }
        lines.add(ChatLine.event(e.msgId(), e.by(), GroupEvents.text(e, me), e.ts()));
        sort();
        return true;
    }

    /** How many messages from others are above `upTo` (a read marker from another device leaves those unread). */
    public int unreadAbove(long upTo) {
        return (int) lines.stream().filter(l -> !l.mine() && !l.event() && l.stored() && l.msgId() > upTo).count();
    }

    /** A message this user just sent (or that waits in the outbox after a restart of the window). */
    public void addOutgoing(Outgoing o) {
        if (findClientId(o.id()) == null) {
            lines.add(new ChatLine(0, o.id(), me, o.content(), o.createdAt(), true, Tick.PENDING));
        }
    }

    public void acked(String clientId, ServerFrame.MessageAck ack) {
        ChatLine line = findClientId(clientId);
        if (line == null) {
            return;
        }
        ChatLine stored = find(ack.msgId());
        if (stored == null) {
            line.stored(ack.msgId(), ack.ts());
            if (ack.msgId() <= readUpTo) {
                line.advance(Tick.READ);
            }
        } else if (stored != line) { // history already brought the stored copy: keep the best tick of both
            stored.advance(line.tick());
            lines.remove(line);
        }
        sort();
    }

    public void refused(String clientId, String why) {
        ChatLine line = findClientId(clientId);
        if (line != null) {
            line.fail(why);
        }
    }

    /** A receipt about this user's messages to the peer. */
    public void receipt(ServerFrame.Receipt r) {
        if (ServerFrame.Receipt.READ.equals(r.status()) && r.upTo() != null) {
            readUpTo = Math.max(readUpTo, r.upTo());
            for (ChatLine l : lines) {
                if (l.mine() && !l.event() && l.stored() && l.msgId() <= r.upTo()) {
                    l.advance(Tick.READ);
                }
            }
            return;
        }
        ChatLine l = r.msgId() == null ? null : find(r.msgId());
        if (l == null && r.id() != null) {
            // after a node restart a kept receipt can come before the re-sent message's ack: the
            // line is still known only by its client id
            l = findClientId(r.id());
        }
        if (l != null && l.mine()) {
            l.advance(Tick.DELIVERED);
        }
    }

    /** The msg_id to page history back from, or null before anything is loaded. */
    public Long oldestStored() {
        return lines.stream().filter(ChatLine::stored).map(ChatLine::msgId).min(Long::compare).orElse(null);
    }

    /** The newest message from the peer: what a `read` mark covers. 0 when there is none. */
    public long newestIncoming() {
        return lines.stream().filter(l -> !l.mine() && !l.event() && l.stored()).mapToLong(ChatLine::msgId).max().orElse(0);
    }

    private ChatLine find(long msgId) {
        for (ChatLine l : lines) {
            if (l.msgId() == msgId) {
                return l;
            }
        }
        return null;
    }

    private ChatLine findClientId(String clientId) {
        for (ChatLine l : lines) {
            if (l.mine() && clientId.equals(l.clientId())) {
                return l;
            }
        }
        return null;
    }

    private void sort() {
        // stored messages by msg_id; waiting ones after them, oldest first
        lines.sort(Comparator.comparing((ChatLine l) -> !l.stored())
                .thenComparingLong(l -> l.stored() ? l.msgId() : l.ts()));
    }
}
