package chat.client.ui;

import chat.client.ChatClient;
import chat.client.ChatListener;
import chat.client.ConnectionState;
import chat.client.HeldEvents;
import chat.client.Outgoing;
import chat.client.TypingNotifier;
import chat.client.model.ContactListModel;
import chat.client.model.ConversationModel;
import chat.client.model.GroupReceipts;
import chat.client.model.Problems;
import chat.client.model.Times;
import chat.protocol.ServerFrame;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.swing.JFrame;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;

/**
 * The glue between the client library and the screen: it listens to the ChatClient (on the
 * client's thread, handing every event to the EDT), keeps the models, and turns what the user does
 * in the sidebar and the conversation into client calls, which never block. Reads are marked when
 * a conversation is in view in a focused window.
 *
 * Conversations are known by a key: the peer's name, or for a group {@link ContactListModel#groupKey}.
 */
final class ChatController implements ChatListener, ConversationPanel.Actions, Sidebar.Actions {

    /** What the controller needs of its window. */
    interface Window {
        JFrame frame();

        /** Shows the conversation panel in place of the empty hint. */
        void showConversation();

        /** The server signed this user out (the token ended, another login took over, another device revoked this one). */
        void signedOutByServer();
    }

    /** A group asked for and not yet made: opened when its `group` frame comes; its dialog shows a refusal. */
    private record GroupDraft(String name, NewGroupDialog dialog) {
    }

    private static final int PAGE = 50;

    private final ChatClient client;
    private final String me;
    private final Window window;
    private final ConnectionBanner banner;
    private final Times times = new Times(ZoneId.systemDefault());
    private final ContactListModel contacts = new ContactListModel();
    private final Map<String, ConversationModel> conversations = new HashMap<>();
    private final Map<String, Long> markedRead = new HashMap<>();
    private final Sidebar sidebar;
    private final ConversationPanel conversation;
    private final TypingNotifier typing;
    private final Attention attention = new Attention();
    private String open;
    private ConnectionState state;
    private boolean catchingUp = true; // from a login to its replay_done: no notification per replayed message
    private GroupDraft creating;
    private GroupInfoDialog info;

    ChatController(ChatClient client, String me, Window window, ConnectionBanner banner) {
        this.client = client;
        this.me = me;
        this.window = window;
        this.banner = banner;
        this.state = client.state();
        this.sidebar = new Sidebar(me, times, System::currentTimeMillis, this);
        this.conversation = new ConversationPanel(times, this);
        this.typing = new TypingNotifier(new TypingNotifier.Sink() {
            @Override
            public void typing(String key) {
                if (groupOf(key) != null) {
                    client.typingInGroup(groupOf(key));
                } else {
                    client.typing(key);
                }
            }

            @Override
            public void stopped(String key) {
                if (groupOf(key) != null) {
                    client.stopTypingInGroup(groupOf(key));
                } else {
                    client.stopTyping(key);
                }
            }
        }, System::currentTimeMillis);
    }

    Sidebar sidebar() {
        return sidebar;
    }

    ConversationPanel conversation() {
        return conversation;
    }

    ChatClient client() {
        return client;
    }

    /** The people a new group can be made with: the user's contacts and everyone they talked with. */
    List<String> people() {
        return contacts.ordered().stream().filter(e -> !e.group() && !e.peer().equals(me)).map(e -> e.peer()).sorted().toList();
    }

    /** `early` holds what the client heard since sign-in began; this controller takes over from it. */
    void start(HeldEvents early) {
        updateTitle();
        early.release(this);
        state = client.state(); // connection states are not held: read the latest, after the release
        banner.opened(state);
        loadLists();
    }

    /** Every half second: typing times out, "last seen 5 min ago" moves on. */
    void tick() {
        typing.tick();
        headerIfOpen(open);
    }

    /** The window lost the focus: the user is no longer typing here. */
    void windowLeft() {
        typing.left();
    }

    void dispose() {
        attention.dispose();
    }

    void focusSearch() {
        sidebar.focusSearch();
    }

    // ---- what the user does -----------------------------------------------------------------

    @Override
    public void open(String peer) {
        if (!peer.equals(open)) {
            typing.left();
        }
        open = peer;
        if (groupOf(peer) != null) {
            contacts.groupEntry(groupOf(peer));
        } else {
            contacts.entry(peer);
        }
        ConversationModel model = model(peer);
        conversation.open(peer);
        window.showConversation();
        if (!model.historyLoaded() && !model.loadingOlder()) {
            loadPage(peer, null);
        }
        headerIfOpen(peer);
        conversation.render(model, now());
        markReadIfInView();
        refreshSidebar();
    }

    @Override
    public void openFound(ServerFrame.UserInfo user) {
        contacts.found(user); // online or last seen, as the search said, until presence news comes
        open(user.username());
    }

    @Override
    public void send(String peer, String text) {
        String group = groupOf(peer);
        Outgoing o = group != null ? client.sendToGroup(group, text) : client.send(peer, text);
        model(peer).addOutgoing(o);
        if (group != null) {
            contacts.groupMessage(group, me, text, o.createdAt(), false);
        } else {
            contacts.message(peer, text, o.createdAt(), false);
        }
        typing.sent(peer);
        conversation.render(model(peer), now());
        refreshSidebar();
    }

    @Override
    public void edited(String peer, boolean empty) {
        typing.edited(peer, empty);
    }

    @Override
    public void wantOlder(String peer) {
        ConversationModel model = model(peer);
        if (!model.hasOlder() || model.loadingOlder() || !model.historyLoaded()) {
            return;
        }
        model.loadingOlder(true);
        conversation.render(model, now());
        loadPage(peer, model.oldestStored());
    }

    /** The newest page of history (`before` null) or the one before `before`. */
    private void loadPage(String peer, Long before) {
        ConversationModel model = model(peer);
        model.loadingOlder(true);
        String group = groupOf(peer);
        Edt.when(group != null ? client.groupHistory(group, before, PAGE) : client.history(peer, before, PAGE), (page, error) -> {
            if (error != null) {
                model.loadingOlder(false);
            } else {
                model.addHistory(page);
            }
            if (!peer.equals(open)) {
                return;
            }
            conversation.render(model, now());
            markReadIfInView();
            if (error == null && !page.messages().isEmpty()) {
                // pages that fit without a scrollbar leave nothing to scroll up for more: load on
                SwingUtilities.invokeLater(() -> {
                    if (peer.equals(open) && !conversation.overflowing()) {
                        wantOlder(peer);
                    }
                });
            }
        });
    }

    @Override
    public void search(String query) {
        if (query.isEmpty()) {
            refreshSidebar();
            return;
        }
        Edt.when(client.users(query, 50), (users, error) -> {
            if (!query.equals(sidebar.query())) {
                return; // the user typed on: a newer search is coming
            }
            if (error != null) {
                sidebar.showSearchProblem("Cannot search while offline.");
            } else {
                sidebar.showResults(users.stream().filter(u -> !u.username().equals(me)).toList());
            }
        });
    }

    @Override
    public void setListed(String peer, boolean listed) {
        Edt.when(listed ? client.addContact(peer) : client.removeContact(peer), (list, error) -> {
            if (error != null) {
                JOptionPane.showMessageDialog(window.frame(), listed ? "Could not add " + peer + ": " + error.getMessage()
                        : "Could not remove " + peer + ": " + error.getMessage(), "Contacts", JOptionPane.WARNING_MESSAGE);
                return;
            }
            contacts.loadContacts(list);
            refreshSidebar();
        });
    }

    /** Chat → New group…: the dialog stays until the server's `group` frame (then the group opens) or its refusal. */
    void newGroup() {
        if (creating != null && creating.dialog().showing()) {
            return;
        }
        NewGroupDialog[] shown = new NewGroupDialog[1];
        shown[0] = NewGroupDialog.ask(window.frame(), people(), (name, members) -> {
            creating = new GroupDraft(name, shown[0]);
            Edt.when(client.createGroup(name, members, java.util.UUID.randomUUID().toString()), (sent, error) -> {
                if ((error != null || !sent) && creating != null && creating.dialog() == shown[0]) {
                    creating = null;
                    shown[0].refused("You are offline: the group can be made when the connection is back.");
                }
            });
        });
    }

    @Override
    public void groupInfo(String key) {
        String group = groupOf(key);
        if (group == null) {
            return;
        }
        if (info != null) {
            info.dispose();
        }
        info = new GroupInfoDialog(window.frame(), client, me, contacts.groupEntry(group));
        info.show();
    }

    @Override
    public void receiptsOf(String key, long msgId) {
        String group = groupOf(key);
        if (group == null) {
            return;
        }
        Edt.when(client.groupReceipts(group, msgId), (r, error) -> {
            if (error != null) {
                problem("Message info", "Cannot ask the server now: " + error.getMessage());
                return;
            }
            JOptionPane.showMessageDialog(window.frame(), GroupReceipts.text(r.delivered(), r.read(),
                            contacts.groupEntry(group).members().stream().map(ServerFrame.Member::username).toList(), me),
                    "Message info", JOptionPane.INFORMATION_MESSAGE);
        });
    }

    private void problem(String title, String text) {
        JOptionPane.showMessageDialog(window.frame(), text, title, JOptionPane.WARNING_MESSAGE);
    }

    // ---- what the client hears (on its thread: everything hops to the EDT) --------------------

    @Override
    public void onMessage(ServerFrame.Message m) {
        if (m.groupId() != null) {
            Edt.run(() -> groupMessage(m));
            return;
        }
        Edt.run(() -> {
            boolean mine = m.sender().equals(me); // a copy of what this user sent from another device
            String peer = mine ? m.receiver() : m.sender();
            // someone new wrote (their typing may have made the row already): presence as the server has it
            boolean newcomer = contacts.get(peer) == null || !contacts.get(peer).presenceKnown();
            model(peer).addIncoming(m);
            boolean inView = peer.equals(open) && window.frame().isActive();
            contacts.message(peer, m.content(), m.ts(), !inView && !mine);
            if (!mine) {
                contacts.typing(peer, false);
            }
            if (peer.equals(open)) {
                conversation.render(model(peer), now());
                conversation.header(contacts.get(peer), now());
                markReadIfInView();
            }
            if (!inView && !catchingUp && !mine) {
                attention.notify(window.frame(), peer, m.content());
            }
            if (newcomer) {
                loadLists();
            }
            refreshSidebar();
        });
    }

    private void groupMessage(ServerFrame.Message m) {
        String key = ContactListModel.groupKey(m.groupId());
        boolean mine = m.sender().equals(me);
        boolean unknown = contacts.get(key) == null || contacts.get(key).members().isEmpty();
        model(key).addIncoming(m);
        boolean inView = key.equals(open) && window.frame().isActive();
        contacts.groupMessage(m.groupId(), m.sender(), m.content(), m.ts(), !inView && !mine);
        if (key.equals(open)) {
            conversation.render(model(key), now());
            headerIfOpen(key);
            markReadIfInView();
        }
        if (!inView && !catchingUp && !mine) {
            attention.notify(window.frame(), contacts.get(key).title() + " — " + m.sender(), m.content());
        }
        if (unknown) {
            loadLists(); // a group this device has not heard of yet (it was offline when it was made)
        }
        refreshSidebar();
    }

    @Override
    public void onGroupEvent(ServerFrame.GroupEvent e) {
        Edt.run(() -> {
            String key = ContactListModel.groupKey(e.groupId());
            boolean unknown = contacts.get(key) == null || contacts.get(key).members().isEmpty();
            model(key).addEvent(e);
            renderIfOpen(key);
            if (unknown || !catchingUp) {
                loadLists(); // the members and name as they are now: an offline device never got the group frame
            }
            refreshSidebar();
        });
    }

    @Override
    public void onGroup(ServerFrame.Group g) {
        Edt.run(() -> {
            String key = ContactListModel.groupKey(g.groupId());
            boolean isNew = contacts.get(key) == null || contacts.get(key).members().isEmpty();
            contacts.group(g, me);
            GroupDraft asked = creating;
            if (isNew && asked != null && me.equals(g.createdBy()) && asked.name().equals(g.name())) {
                creating = null;
                asked.dialog().done();
                open(key);
            }
            headerIfOpen(key);
            if (info != null) {
                info.refresh();
            }
            refreshSidebar();
        });
    }

    @Override
    public void onReadMarker(ServerFrame.ReadMarker r) {
        Edt.run(() -> {
            String key = r.groupId() != null ? ContactListModel.groupKey(r.groupId()) : r.peer();
            if (key == null) {
                return;
            }
            markedRead.merge(key, r.upTo(), Math::max); // read there: nothing to mark here up to it
            contacts.readElsewhere(key, model(key).unreadAbove(r.upTo()));
            refreshSidebar();
        });
    }

    @Override
    public void onError(ServerFrame.Error e) {
        if (e.ref() == null) {
            return;
        }
        Edt.run(() -> {
            switch (e.ref()) {
                case "create_group" -> {
                    GroupDraft asked = creating;
                    creating = null;
                    String why = "The group was not made. " + Problems.group(e.code(), e.message());
                    if (asked != null && asked.dialog().showing()) {
                        asked.dialog().refused(why); // what was typed is still there, to fix and send again
                    } else {
                        problem("New group", why);
                    }
                }
                case "group_update", "leave_group" -> {
                    if (info != null && info.showing()) {
                        info.refused(Problems.group(e.code(), e.message()));
                    } else {
                        problem("Group", Problems.group(e.code(), e.message()));
                    }
                }
                case "message", "typing", "stop_typing", "read", "history" -> {
                    // answered elsewhere (message_error, history's future) or nothing to tell
                }
                default -> {
                }
            }
        });
    }

    @Override
    public void onReplayDone(long count) {
        Edt.run(() -> catchingUp = false);
    }

    @Override
    public void onAcked(Outgoing message, ServerFrame.MessageAck ack) {
        Edt.run(() -> {
            model(keyOf(message)).acked(message.id(), ack);
            renderIfOpen(keyOf(message));
        });
    }

    @Override
    public void onRefused(Outgoing message, ServerFrame.MessageError error) {
        Edt.run(() -> {
            model(keyOf(message)).refused(message.id(), Problems.message(error.code(), error.message()));
            renderIfOpen(keyOf(message));
        });
    }

    @Override
    public void onReceipt(ServerFrame.Receipt receipt) {
        Edt.run(() -> {
            String key = receipt.groupId() != null ? ContactListModel.groupKey(receipt.groupId()) : receipt.peer();
            if (key == null) {
                return;
            }
            model(key).receipt(receipt);
            renderIfOpen(key);
        });
    }

    @Override
    public void onStatus(ServerFrame.UserStatus status) {
        Edt.run(() -> {
            contacts.status(status.username(), ServerFrame.ONLINE.equals(status.status()), status.lastSeen());
            headerIfOpen(status.username());
            refreshSidebar();
        });
    }

    @Override
    public void onTyping(ServerFrame.TypingNotification t) {
        Edt.run(() -> {
            boolean on = ServerFrame.TypingNotification.TYPING.equals(t.status());
            if (t.groupId() != null) {
                contacts.groupTyping(t.groupId(), t.from(), on);
                headerIfOpen(ContactListModel.groupKey(t.groupId()));
                refreshSidebar();
                return;
            }
            contacts.typing(t.from(), on);
            headerIfOpen(t.from());
            refreshSidebar();
        });
    }

    @Override
    public void onConnection(ConnectionState next) {
        Edt.run(() -> {
            boolean back = next instanceof ConnectionState.Online && !(state instanceof ConnectionState.Online);
            boolean lost = !(next instanceof ConnectionState.Online) && state instanceof ConnectionState.Online;
            state = next;
            banner.show(next);
            if (lost) {
                // no "stopped" can reach us now, and ours could not reach anyone: typing ends on both sides
                contacts.connectionLost();
                typing.left();
                headerIfOpen(open);
                refreshSidebar();
            }
            if (back) {
                catchingUp = true;
                markedRead.clear();
                loadLists(); // unread counts and presence as the server has them now
                if (open != null && !model(open).historyLoaded() && !model(open).loadingOlder()) {
                    loadPage(open, null); // opened while offline: its history was never loaded
                }
            }
            if (next instanceof ConnectionState.SignInRequired required) {
                JOptionPane.showMessageDialog(window.frame(), required.reason(), "Signed out", JOptionPane.INFORMATION_MESSAGE);
                window.signedOutByServer();
            }
        });
    }

    // ---- rendering -----------------------------------------------------------------------------

    private void loadLists() {
        record Lists(List<ServerFrame.Conversation> conversations, List<ServerFrame.UserInfo> contacts,
                     List<ServerFrame.Group> groups) {
        }
        // a server without groups answers `groups` with unknown_type: then there are none
        var groups = client.groups().exceptionally(e -> List.of());
        Edt.when(client.conversations(200).thenCombine(client.contacts(), (c, u) -> new Lists(c, u, List.of()))
                        .thenCombine(groups, (l, g) -> new Lists(l.conversations(), l.contacts(), g)),
                (lists, error) -> {
                    if (error != null) {
                        return; // offline: the lists load when the connection is back
                    }
                    contacts.loadConversations(lists.conversations());
                    contacts.loadContacts(lists.contacts());
                    lists.groups().forEach(g -> contacts.group(g, me));
                    if (info != null) {
                        info.refresh();
                    }
                    headerIfOpen(open);
                    refreshSidebar();
                    markReadIfInView();
                });
    }

    /** Marks the open conversation read up to its newest message, if it is in view in a focused window. */
    void markReadIfInView() {
        if (open == null || !window.frame().isActive()) {
            return;
        }
        long newest = model(open).newestIncoming();
        if (newest > markedRead.getOrDefault(open, 0L)) {
            markedRead.put(open, newest);
            if (groupOf(open) != null) {
                client.markGroupRead(groupOf(open), newest);
            } else {
                client.markRead(open, newest);
            }
        }
        if (newest > 0 || contacts.get(open) != null) {
            contacts.read(open);
            refreshSidebar();
        }
    }

    private ConversationModel model(String peer) {
        return conversations.computeIfAbsent(peer, p -> new ConversationModel(me, p, groupOf(p)));
    }

    /** The group a conversation key names, or null for a person's. */
    private static String groupOf(String key) {
        return key != null && key.startsWith("#") ? key.substring(1) : null;
    }

    private static String keyOf(Outgoing o) {
        return o.groupId() != null ? ContactListModel.groupKey(o.groupId()) : o.receiver();
    }

    private void renderIfOpen(String peer) {
        if (peer.equals(open)) {
            conversation.render(model(peer), now());
        }
    }

    private void headerIfOpen(String peer) {
        if (peer != null && peer.equals(open) && contacts.get(peer) != null) {
            conversation.header(contacts.get(peer), now());
            conversation.canWrite(groupOf(peer) == null || contacts.get(peer).member());
        }
    }

    private void refreshSidebar() {
        if (sidebar.query().isEmpty()) {
            sidebar.showContacts(contacts.ordered().stream().filter(e -> !e.peer().equals(me)).toList(), open);
        }
        updateTitle();
    }

    private void updateTitle() {
        int unread = contacts.totalUnread();
        window.frame().setTitle((unread > 0 ? "(" + unread + ") " : "") + "Chat — " + me);
    }

    /** After a theme change: everything drawn again. */
    void refreshAll() {
        refreshSidebar();
        if (open != null) {
            conversation.render(model(open), now());
            headerIfOpen(open);
        }
        banner.refresh();
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
