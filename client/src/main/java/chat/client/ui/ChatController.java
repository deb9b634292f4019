package chat.client.ui;

import chat.client.ChatClient;
import chat.client.ChatListener;
import chat.client.ConnectionState;
import chat.client.HeldEvents;
import chat.client.Outgoing;
import chat.client.TypingNotifier;
import chat.client.model.ContactListModel;
import chat.client.model.ConversationModel;
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
 */
final class ChatController implements ChatListener, ConversationPanel.Actions, Sidebar.Actions {

    /** What the controller needs of its window. */
    interface Window {
        JFrame frame();

        /** Shows the conversation panel in place of the empty hint. */
        void showConversation();

        /** The server signed this user out (the token ended, another login took over). */
        void signedOutByServer();
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
            public void typing(String peer) {
                client.typing(peer);
            }

            @Override
            public void stopped(String peer) {
                client.stopTyping(peer);
            }
        }, System::currentTimeMillis);
    }

    Sidebar sidebar() {
        return sidebar;
    }

    ConversationPanel conversation() {
        return conversation;
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
        contacts.entry(peer);
        ConversationModel model = model(peer);
        conversation.open(peer);
        window.showConversation();
        if (!model.historyLoaded() && !model.loadingOlder()) {
            loadPage(peer, null);
        }
        conversation.header(contacts.get(peer), now());
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
        Outgoing o = client.send(peer, text);
        model(peer).addOutgoing(o);
        contacts.message(peer, text, o.createdAt(), false);
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
        Edt.when(client.history(peer, before, PAGE), (page, error) -> {
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

    // ---- what the client hears (on its thread: everything hops to the EDT) --------------------

    @Override
    public void onMessage(ServerFrame.Message m) {
        Edt.run(() -> {
            String peer = m.sender().equals(me) ? m.receiver() : m.sender();
            // someone new wrote (their typing may have made the row already): presence as the server has it
            boolean newcomer = contacts.get(peer) == null || !contacts.get(peer).presenceKnown();
            model(peer).addIncoming(m);
            boolean inView = peer.equals(open) && window.frame().isActive();
            contacts.message(peer, m.content(), m.ts(), !inView);
            contacts.typing(peer, false);
            if (peer.equals(open)) {
                conversation.render(model(peer), now());
                conversation.header(contacts.get(peer), now());
                markReadIfInView();
            }
            if (!inView && !catchingUp) {
                attention.notify(window.frame(), peer, m.content());
            }
            if (newcomer) {
                loadLists();
            }
            refreshSidebar();
        });
    }

    @Override
    public void onReplayDone(long count) {
        Edt.run(() -> catchingUp = false);
    }

    @Override
    public void onAcked(Outgoing message, ServerFrame.MessageAck ack) {
        Edt.run(() -> {
            model(message.receiver()).acked(message.id(), ack);
            renderIfOpen(message.receiver());
        });
    }

    @Override
    public void onRefused(Outgoing message, ServerFrame.MessageError error) {
        Edt.run(() -> {
            model(message.receiver()).refused(message.id(), error.message());
            renderIfOpen(message.receiver());
        });
    }

    @Override
    public void onReceipt(ServerFrame.Receipt receipt) {
        Edt.run(() -> {
            model(receipt.peer()).receipt(receipt);
            renderIfOpen(receipt.peer());
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
            contacts.typing(t.from(), ServerFrame.TypingNotification.TYPING.equals(t.status()));
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
        record Lists(List<ServerFrame.Conversation> conversations, List<ServerFrame.UserInfo> contacts) {
        }
        Edt.when(client.conversations(200).thenCombine(client.contacts(), Lists::new),
                (lists, error) -> {
                    if (error != null) {
                        return; // offline: the lists load when the connection is back
                    }
                    contacts.loadConversations(lists.conversations());
                    contacts.loadContacts(lists.contacts());
                    if (open != null) {
                        conversation.header(contacts.entry(open), now());
                    }
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
            client.markRead(open, newest);
        }
        if (newest > 0 || contacts.get(open) != null) {
            contacts.read(open);
            refreshSidebar();
        }
    }

    private ConversationModel model(String peer) {
        return conversations.computeIfAbsent(peer, p -> new ConversationModel(me, p));
    }

    private void renderIfOpen(String peer) {
        if (peer.equals(open)) {
            conversation.render(model(peer), now());
        }
    }

    private void headerIfOpen(String peer) {
        if (peer != null && peer.equals(open) && contacts.get(peer) != null) {
            conversation.header(contacts.get(peer), now());
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
            conversation.header(contacts.entry(open), now());
        }
        banner.refresh();
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
