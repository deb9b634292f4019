package chat.client.ui;

import chat.client.ChatClient;
import chat.client.ChatListener;
import chat.client.ConnectionState;
import chat.client.HeldEvents;
import chat.client.Outgoing;
import chat.client.SavedSession;
import chat.client.TypingNotifier;
import chat.client.model.Banner;
import chat.client.model.ContactListModel;
import chat.client.model.ConversationModel;
import chat.client.model.Times;
import chat.protocol.ServerFrame;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Toolkit;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import javax.swing.KeyStroke;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.WindowConstants;

/**
 * The main window and the glue between the client library and the screen: it listens to the
 * ChatClient (on the client's thread, handing every event to the EDT), keeps the models, and turns
 * the user's actions into client calls, which never block. Reads are marked when a conversation is
 * in view in a focused window. Signing out returns to the sign-in window; closing this window (or
 * Quit) ends the app, after asking if messages still wait to be sent.
 */
final class MainWindow implements ChatListener, ConversationPanel.Actions, Sidebar.Actions {

    private static final int PAGE = 50;

    private final ChatClient client;
    private final String me;
    private final SignInWindow.Files files;
    private final JFrame frame = new JFrame();
    private final Times times = new Times(ZoneId.systemDefault());
    private final ContactListModel contacts = new ContactListModel();
    private final Map<String, ConversationModel> conversations = new HashMap<>();
    private final Map<String, Long> markedRead = new HashMap<>();
    private final Sidebar sidebar;
    private final ConversationPanel conversation;
    private final CardLayout cards = new CardLayout();
    private final JPanel center = new JPanel(cards);
    private final JPanel banner = new JPanel(new BorderLayout(8, 0));
    private final JLabel bannerText = new JLabel(" ", SwingConstants.CENTER);
    private final JButton retryNow = new JButton("Retry now");
    private final TypingNotifier typing;
    private final Attention attention = new Attention();
    private final Timer ticker;
    private String open;
    private ConnectionState state;
    private long onlineSince;
    private boolean catchingUp = true; // from a login to its replay_done: no notification per replayed message

    /** `early` holds what the client heard since sign-in began; this window takes over from it. */
    MainWindow(ChatClient client, HeldEvents early, String me, SignInWindow.Files files) {
        this.client = client;
        this.me = me;
        this.files = files;
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
        this.ticker = new Timer(500, e -> {
            typing.tick();
            showBanner();
            headerIfOpen(open); // "last seen 5 min ago" moves on
        });
        build();
        early.release(this);
        state = client.state(); // connection states are not held: read the latest, after the release
        showBanner();
        loadLists();
        ticker.start();
    }

    void show() {
        frame.setVisible(true);
    }

    private void build() {
        bannerText.setName("banner");
        bannerText.setFont(bannerText.getFont().deriveFont(Font.BOLD, 12.5f));
        retryNow.setName("retryNow");
        retryNow.setFocusable(false);
        retryNow.addActionListener(e -> client.reconnectNow());
        banner.setBorder(BorderFactory.createEmptyBorder(3, 10, 3, 6));
        banner.add(bannerText, BorderLayout.CENTER);
        banner.add(retryNow, BorderLayout.EAST);
        JLabel empty = new JLabel("<html><center>Pick a conversation on the left,<br>or search for someone to talk with.</center></html>",
                SwingConstants.CENTER);
        empty.setForeground(Theme.secondaryText());
        center.add(empty, "empty");
        center.add(conversation, "conversation");
        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, sidebar, center);
        split.setDividerLocation(320);
        split.setBorder(null);
        frame.getContentPane().add(banner, BorderLayout.NORTH);
        frame.getContentPane().add(split, BorderLayout.CENTER);
        frame.setJMenuBar(menu());
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                quit();
            }

            @Override
            public void windowActivated(WindowEvent e) {
                markReadIfInView();
            }

            @Override
            public void windowDeactivated(WindowEvent e) {
                typing.left();
            }

            @Override
            public void windowClosed(WindowEvent e) {
                ticker.stop();
                attention.dispose();
                client.close();
                ClientApp.windowClosed();
            }
        });
        frame.setSize(new Dimension(1100, 720));
        frame.setMinimumSize(new Dimension(720, 480));
        frame.setLocationRelativeTo(null);
        showBanner();
        updateTitle();
    }

    private JMenuBar menu() {
        JMenu chat = new JMenu("Chat");
        JMenuItem newChat = new JMenuItem("New conversation…");
        newChat.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_N, Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx()));
        newChat.addActionListener(e -> sidebar.focusSearch());
        JMenuItem add = new JMenuItem("Add contact…");
        add.addActionListener(e -> {
            String who = JOptionPane.showInputDialog(frame, "Username to add:", "Add contact", JOptionPane.PLAIN_MESSAGE);
            if (who != null && !who.isBlank()) {
                setListed(who.strip().toLowerCase(), true);
            }
        });
        JCheckBoxMenuItem dark = new JCheckBoxMenuItem("Dark theme", Theme.dark());
        dark.setName("darkTheme");
        dark.addActionListener(e -> {
            Theme.toggle();
            boolean nowDark = Theme.dark();
            CompletableFuture.runAsync(() -> Theme.save(files.settings(), nowDark));
            refreshAll();
        });
        JMenuItem signOut = new JMenuItem("Sign out");
        signOut.setName("signOut");
        signOut.addActionListener(e -> unlessUnsent("Sign out", this::signOut));
        JMenuItem quit = new JMenuItem("Quit");
        quit.setName("quit");
        quit.addActionListener(e -> quit());
        chat.add(newChat);
        chat.add(add);
        chat.addSeparator();
        chat.add(dark);
        chat.addSeparator();
        chat.add(signOut);
        chat.add(quit);
        JMenuBar bar = new JMenuBar();
        bar.add(chat);
        return bar;
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
        cards.show(center, "conversation");
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
                JOptionPane.showMessageDialog(frame, listed ? "Could not add " + peer + ": " + error.getMessage()
                        : "Could not remove " + peer + ": " + error.getMessage(), "Contacts", JOptionPane.WARNING_MESSAGE);
                return;
            }
            contacts.loadContacts(list);
            refreshSidebar();
        });
    }

    /** Back to the sign-in window; the app goes on. */
    private void signOut() {
        client.signOut();
        CompletableFuture.runAsync(() -> SavedSession.forget(files.session()));
        // the sign-in window opens first: closing this one then is not closing the app's last window
        new SignInWindow(files, client.host(), client.port(), Optional.empty()).show();
        frame.dispose();
    }

    private void quit() {
        unlessUnsent("Quit", frame::dispose);
    }

    /** Does `then`, after asking first if messages still wait in the outbox (they would be lost). */
    private void unlessUnsent(String doing, Runnable then) {
        Edt.when(client.outbox(), (waiting, error) -> {
            if (error != null || waiting.isEmpty()) {
                then.run();
                return;
            }
            String what = waiting.size() == 1 ? "1 message has" : waiting.size() + " messages have";
            Object[] choices = {doing + " anyway", "Stay"};
            int choice = JOptionPane.showOptionDialog(frame, "<html>" + what + " not been sent yet.<br>"
                            + "If you stay, they go out as soon as the server is back.</html>",
                    "Unsent messages", JOptionPane.DEFAULT_OPTION, JOptionPane.WARNING_MESSAGE, null, choices, choices[1]);
            if (choice == 0) {
                then.run();
            }
        });
    }

    // ---- what the client hears (on its thread: everything hops to the EDT) --------------------

    @Override
    public void onMessage(ServerFrame.Message m) {
        Edt.run(() -> {
            String peer = m.sender().equals(me) ? m.receiver() : m.sender();
            boolean newcomer = contacts.get(peer) == null;
            model(peer).addIncoming(m);
            boolean inView = peer.equals(open) && frame.isActive();
            contacts.message(peer, m.content(), m.ts(), !inView);
            contacts.typing(peer, false);
            if (peer.equals(open)) {
                conversation.render(model(peer), now());
                conversation.header(contacts.get(peer), now());
                markReadIfInView();
            }
            if (!inView && !catchingUp) {
                attention.notify(frame, peer, m.content());
            }
            if (newcomer) {
                loadLists(); // someone new wrote: their presence as the server has it
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
            if (next instanceof ConnectionState.Online) {
                onlineSince = now();
            }
            showBanner();
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
                JOptionPane.showMessageDialog(frame, required.reason(), "Signed out", JOptionPane.INFORMATION_MESSAGE);
                signOut();
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

    private void markReadIfInView() {
        if (open == null || !frame.isActive()) {
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

    private void refreshAll() {
        refreshSidebar();
        if (open != null) {
            conversation.render(model(open), now());
            conversation.header(contacts.entry(open), now());
        }
        showBanner();
    }

    private void updateTitle() {
        int unread = contacts.totalUnread();
        frame.setTitle((unread > 0 ? "(" + unread + ") " : "") + "Chat — " + me);
    }

    private void showBanner() {
        Banner b = Banner.of(state, now());
        // "Connected" shows for a moment after a (re)connection, then gets out of the way
        boolean show = b.level() != Banner.Level.OK || now() - onlineSince < 3_000;
        banner.setVisible(show);
        bannerText.setText(b.text());
        banner.setBackground(switch (b.level()) {
            case OK -> Theme.OK;
            case WARNING -> Theme.WARNING;
            case ERROR -> Theme.ERROR;
        });
        bannerText.setForeground(b.level() == Banner.Level.WARNING ? new Color(0x3A2E00) : Color.WHITE);
        retryNow.setVisible(state instanceof ConnectionState.Reconnecting);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** For tests and the screenshot tour: the frame. */
    JFrame frame() {
        return frame;
    }
}
