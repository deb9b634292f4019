package chat.client.ui;

import chat.client.ChatClient;
import chat.client.HeldEvents;
import chat.client.SavedSession;
import chat.client.model.Times;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Dimension;
import java.awt.Toolkit;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import javax.swing.Timer;
import javax.swing.WindowConstants;

/**
 * The main window: the connection banner on top, the sidebar and the conversation side by side,
 * the Chat menu. What happens inside is the {@link ChatController}'s. Signing out returns to the
 * sign-in window; closing this window (or Quit) ends the app, after asking if messages still wait
 * to be sent.
 */
final class MainWindow implements ChatController.Window {

    private final ChatClient client;
    private final String me;
    private final SignInWindow.Files files;
    private final JFrame frame = new JFrame();
    private final CardLayout cards = new CardLayout();
    private final JPanel center = new JPanel(cards);
    private final ConnectionBanner banner;
    private final ChatController chat;
    private final Timer ticker;

    /** `early` holds what the client heard since sign-in began; this window takes over from it. */
    MainWindow(ChatClient client, HeldEvents early, String me, SignInWindow.Files files) {
        this.client = client;
        this.me = me;
        this.files = files;
        this.banner = new ConnectionBanner(client::reconnectNow, System::currentTimeMillis);
        this.chat = new ChatController(client, me, this, banner);
        this.ticker = new Timer(500, e -> {
            chat.tick();
            banner.refresh(); // the countdown moves on
        });
        build();
        chat.start(early);
        ticker.start();
    }

    void show() {
        frame.setVisible(true);
    }

    @Override
    public JFrame frame() {
        return frame;
    }

    @Override
    public void showConversation() {
        cards.show(center, "conversation");
    }

    @Override
    public void signedOutByServer() {
        client.signOut();
        CompletableFuture.runAsync(() -> SavedSession.forget(files.session()));
        new SignInWindow(files, client.host(), client.port(), Optional.empty()).forUser(me).show();
        frame.dispose();
    }

    private void build() {
        JLabel empty = new JLabel("<html><center>Pick a conversation on the left,<br>or search for someone to talk with.</center></html>",
                SwingConstants.CENTER);
        empty.setForeground(Theme.secondaryText());
        center.add(empty, "empty");
        center.add(chat.conversation(), "conversation");
        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, chat.sidebar(), center);
        split.setDividerLocation(320);
        split.setBorder(null);
        frame.getContentPane().add(banner.component(), BorderLayout.NORTH);
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
                chat.markReadIfInView();
            }

            @Override
            public void windowDeactivated(WindowEvent e) {
                chat.windowLeft();
            }

            @Override
            public void windowClosed(WindowEvent e) {
                ticker.stop();
                chat.dispose();
                client.close();
                ClientApp.windowClosed();
            }
        });
        frame.setSize(new Dimension(1100, 720));
        frame.setMinimumSize(new Dimension(720, 480));
        frame.setLocationRelativeTo(null);
    }

    private JMenuBar menu() {
        JMenu menu = new JMenu("Chat");
        JMenuItem newChat = new JMenuItem("New conversation…");
        newChat.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_N, Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx()));
        newChat.addActionListener(e -> chat.focusSearch());
        JMenuItem add = new JMenuItem("Add contact…");
        add.addActionListener(e -> {
            String who = JOptionPane.showInputDialog(frame, "Username to add:", "Add contact", JOptionPane.PLAIN_MESSAGE);
            if (who != null && !who.isBlank()) {
                chat.setListed(who.strip().toLowerCase(), true);
            }
        });
        JMenuItem newGroup = new JMenuItem("New group…");
        newGroup.setName("newGroup");
        newGroup.addActionListener(e -> chat.newGroup());
        JMenuItem devices = new JMenuItem("Devices…");
        devices.setName("showDevices");
        devices.addActionListener(e -> new DevicesDialog(frame, client, new Times(java.time.ZoneId.systemDefault()),
                System::currentTimeMillis).show());
        JCheckBoxMenuItem dark = new JCheckBoxMenuItem("Dark theme", Theme.dark());
        dark.setName("darkTheme");
        dark.addActionListener(e -> {
            Theme.toggle();
            boolean nowDark = Theme.dark();
            CompletableFuture.runAsync(() -> Theme.save(files.settings(), nowDark)); // disk I/O stays off the EDT
            chat.refreshAll();
        });
        JMenuItem signOut = new JMenuItem("Sign out");
        signOut.setName("signOut");
        signOut.addActionListener(e -> unlessUnsent("Sign out", this::signOut));
        JMenuItem quit = new JMenuItem("Quit");
        quit.setName("quit");
        quit.addActionListener(e -> quit());
        menu.add(newChat);
        menu.add(add);
        menu.add(newGroup);
        menu.addSeparator();
        menu.add(devices);
        menu.add(dark);
        menu.addSeparator();
        menu.add(signOut);
        menu.add(quit);
        JMenuBar bar = new JMenuBar();
        bar.add(menu);
        return bar;
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
}
