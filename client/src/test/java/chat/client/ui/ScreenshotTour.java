package chat.client.ui;

import chat.client.ChatClient;
import chat.client.SavedSession;
import chat.client.TypingNotifier;
import chat.server.ChatNode;
import chat.server.NodeConfig;
import chat.server.Settings;
import chat.server.store.Database;
import chat.server.store.MessageWriter;
import chat.server.store.UserStore;
import chat.server.store.Write;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.swing.JButton;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPasswordField;
import javax.swing.JTextArea;
import javax.swing.JTextField;

/**
 * Makes the README's screenshots: a real node, a few people with a day of history, and the real
 * client on an X display (run it with tools/screenshots, which starts Xvfb). Writes
 * sign-in-light.png, sign-in-dark.png, conversation-light.png, conversation-dark.png, group-light.png,
 * group-dark.png, group-info.png and devices.png. Every
 * shot waits for what it shows (bob's typing is bob's client typing, the ticks are receipts).
 */
public final class ScreenshotTour {

    private static final String PASSWORD = "correct horse";
    /** What the sign-in window shows a new user (the node of the tour listens on a port of its own). */
    private static final String DEFAULT_SERVER = ClientApp.DEFAULT_HOST + ":" + ClientApp.DEFAULT_PORT;

    private ScreenshotTour() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
        Path data = Files.createTempDirectory("chat-tour");
        Path config = Files.createTempDirectory("chat-tour-config");
        seedYesterday(data);
        ChatNode node = ChatNode.start(NodeConfig.build(ConfigFactory.parseMap(Map.of("chat.server.port", 0,
                "chat.store.data-dir", data.toString(), "chat.auth.pbkdf2-iterations", 1000, "pekko.management.http.port", 0)), ConfigFactory.empty()),
                Duration.ofSeconds(60));
        try {
            run(node.port(), out, new SignInWindow.Files(config.resolve("session.properties"), config.resolve("settings.properties")));
        } finally {
            node.close();
        }
        System.out.println("screenshots written to " + out.toAbsolutePath());
        System.exit(0);
    }

    /** Yesterday's part of the conversation, written with the store's own writer and a clock set back a day. */
    private static void seedYesterday(Path data) {
        try (Database db = Database.open(new Settings.Store("sqlite", data, "FULL", 1000, 2))) {
            UserStore users = new UserStore(db);
            var passwords = new chat.server.accounts.Passwords(1000);
            for (String u : List.of("alice", "bob", "carol", "dave", "erin")) {
                users.insertUser(u, passwords.hash(PASSWORD), 1);
            }
            ZoneId zone = ZoneId.systemDefault();
            Instant evening = LocalDate.now(zone).minusDays(1).atTime(19, 42).atZone(zone).toInstant();
            MessageWriter yesterday = new MessageWriter(db, Clock.fixed(evening, zone), 1000);
            List<Write> writes = List.of(
                    new Write.Send("bob", "alice", "y1", "Did you get the tickets for Saturday?"),
                    new Write.Send("alice", "bob", "y2", "Yes! Two seats, row F 😀"),
                    new Write.Send("bob", "alice", "y3", "Perfect. Dinner before the show?"),
                    new Write.Send("carol", "alice", "y4", "The slides are in the shared folder."),
                    new Write.Send("dave", "alice", "y5", "Happy birthday!! 🎂"));
            yesterday.apply(writes);
            yesterday.apply(List.of(new Write.MarkRead("alice", "bob", Long.MAX_VALUE),
                    new Write.MarkRead("bob", "alice", Long.MAX_VALUE), new Write.MarkRead("alice", "carol", Long.MAX_VALUE)));
        }
    }

    private static void run(int port, Path out, SignInWindow.Files files) throws Exception {
        ChatClient bob = level3(port, "bob", "bob's phone");
        ChatClient carol = level3(port, "carol", "carol's laptop");
        ChatClient dave = level3(port, "dave", "dave's phone");
        ChatClient aliceLaptop = level3(port, "alice", "Laptop"); // alice's other device, for the Devices dialog
        ChatClient erin = new ChatClient("127.0.0.1", port);
        erin.signIn("erin", PASSWORD).get(10, TimeUnit.SECONDS);
        erin.send("alice", "Are you coming to the standup tomorrow? It moved to 10:30.").acked().get(10, TimeUnit.SECONDS);

        for (boolean dark : new boolean[] {true, false}) { // dark first: the main window then opens in light
            Ui.onEdt(() -> Theme.apply(dark));
            SignInWindow signIn = Ui.onEdt(() -> {
                SignInWindow w = new SignInWindow(files, "127.0.0.1", port, Optional.empty());
                JFrame f = w.frame();
                ((JTextField) Ui.named(f, "server")).setText(DEFAULT_SERVER);
                for (String field : List.of("server", "username", "password")) {
                    // a returning user's name, not a selection highlight, when the focus lands
                    ((JTextField) Ui.named(f, field)).putClientProperty("JTextField.selectAllOnFocusPolicy", "never");
                }
                ((JTextField) Ui.named(f, "username")).setText("alice");
                ((JTextField) Ui.named(f, "deviceName")).setText("Desktop");
                ((JPasswordField) Ui.named(f, "password")).setText(PASSWORD);
                w.show(); // with the name filled in, the focus goes to the password
                return w;
            });
            JFrame frame = signIn.frame();
            Ui.await("the sign-in window, focus on the password", () -> frame.isShowing()
                    && Ui.named(frame, "password").isFocusOwner()
                    && ((JTextField) Ui.named(frame, "username")).getSelectedText() == null);
            Ui.capture(frame, out.resolve(dark ? "sign-in-dark.png" : "sign-in-light.png"));
            if (dark) {
                Ui.onEdt(frame::dispose);
                continue;
            }
            Ui.onEdt(() -> {
                ((JTextField) Ui.named(frame, "server")).setText("127.0.0.1:" + port);
                ((JButton) Ui.named(frame, "signIn")).doClick();
            });
            Ui.await("the main window", () -> Ui.frameTitled(t -> t.contains("Chat — alice")) != null);
        }
        JFrame main = Ui.onEdt(() -> Ui.frameTitled(t -> t.contains("Chat — alice")));
        Ui.await("bob in the contact list", () -> Ui.all(main, c -> c instanceof javax.swing.JList<?>).stream()
                .anyMatch(l -> ((javax.swing.JList<?>) l).getModel().getSize() >= 4));
        // alice opens bob's conversation and answers; bob's client acknowledges and reads it, then types
        Ui.onEdt(() -> ((javax.swing.JList<?>) Ui.named(main, "contacts")).setSelectedIndex(indexOf(main, "bob")));
        Ui.await("bob's conversation", () -> "bob".equals(((JLabel) Ui.named(main, "conversationName")).getText()));
        bob.send("alice", "Booked a table for two at Tasca do Chico, Saturday at 19:00.").acked().get(10, TimeUnit.SECONDS);
        Ui.await("bob's message", () -> bubbles(main) >= 4);
        Ui.onEdt(() -> {
            ((JTextArea) Ui.named(main, "input")).setText("Lovely — see you there! 😊");
            ((JButton) Ui.named(main, "send")).doClick();
        });
        Ui.await("the double tick", () -> !Ui.all(main, c -> "tick-delivered".equals(c.getName())
                || "tick-read".equals(c.getName())).isEmpty());
        long newest = bob.history("alice", null, 1).get(10, TimeUnit.SECONDS).messages().get(0).msgId();
        bob.markRead("alice", newest);
        Ui.await("the blue ticks", () -> Ui.all(main, c -> "tick-read".equals(c.getName())).size() >= 2);
        carol.send("alice", "Can you review my draft before Friday?").acked().get(10, TimeUnit.SECONDS);
        Ui.await("carol's message in the list", () -> contact(main, "carol").preview().startsWith("Can you review"));

        // bob types an answer: his client's keystrokes, debounced as in his window, reach alice's
        TypingNotifier bobTypes = new TypingNotifier(new TypingNotifier.Sink() {
            @Override
            public void typing(String peer) {
                bob.typing(peer);
            }

            @Override
            public void stopped(String peer) {
                bob.stopTyping(peer);
            }
        }, System::currentTimeMillis);
        bobTypes.edited("alice", false);
        Ui.onEdt(() -> ((JTextArea) Ui.named(main, "input")).setText("Should I bring the tickets?"));
        awaitTyping(main);
        Ui.capture(main, out.resolve("conversation-light.png"));

        Ui.onEdt(() -> ((JCheckBoxMenuItem) Ui.named(main, "darkTheme")).doClick());
        bobTypes.edited("alice", false); // still typing (a refresh, if 3 s have passed)
        Ui.await("the dark theme", () -> Theme.dark()
                && Ui.named(main, "input").getBackground().getRed() < 100);
        awaitTyping(main);
        Ui.capture(main, out.resolve("conversation-dark.png"));
        bobTypes.left();

        groupScenes(main, out, bob, carol, dave);
        devicesScene(main, out);
        SavedSession.forget(files.session());
        for (ChatClient c : List.of(bob, carol, dave, erin, aliceLaptop)) {
            c.close();
        }
    }

    private static ChatClient level3(int port, String user, String device) throws Exception {
        ChatClient c = new ChatClient("127.0.0.1", port);
        c.useDevice(java.util.UUID.randomUUID().toString(), device);
        c.signIn(user, PASSWORD).get(10, TimeUnit.SECONDS);
        return c;
    }

    /**
     * bob makes a group with alice and carol, adds dave, and they plan the trip; alice's answer gets
     * its ticks from the others' clients, and dave is typing. Dark first (the window is dark now),
     * then light, then the group's info panel.
     */
    private static void groupScenes(JFrame main, Path out, ChatClient bob, ChatClient carol, ChatClient dave) throws Exception {
        bob.createGroup("Saturday trip", List.of("alice", "carol"), "tour-group").get(10, TimeUnit.SECONDS);
        Ui.await("the group in alice's list", () -> Ui.groupRow(main, "Saturday trip") >= 0);
        String group = bob.groups().get(10, TimeUnit.SECONDS).stream()
                .filter(g -> g.name().equals("Saturday trip")).findFirst().orElseThrow().groupId();
        bob.updateGroup(group, List.of("dave"), null, null, null).get(10, TimeUnit.SECONDS);
        Ui.onEdt(() -> ((javax.swing.JList<?>) Ui.named(main, "contacts")).setSelectedIndex(Ui.groupRow(main, "Saturday trip")));
        Ui.await("the group open, dave added", () -> "Saturday trip".equals(((JLabel) Ui.named(main, "conversationName")).getText())
                && !Ui.all(main, c -> "event".equals(c.getName()) && ((JLabel) c).getText().equals("bob added dave")).isEmpty());
        bob.sendToGroup(group, "Train at 9:12 from Santa Apolónia, platform 3.").acked().get(10, TimeUnit.SECONDS);
        carol.sendToGroup(group, "I'll bring snacks 🍪").acked().get(10, TimeUnit.SECONDS);
        dave.sendToGroup(group, "Count me in — meeting you at the station.").acked().get(10, TimeUnit.SECONDS);
        Ui.await("their three messages", () -> Ui.all(main, c -> "sender".equals(c.getName())).size() == 3);
        Ui.onEdt(() -> {
            ((JTextArea) Ui.named(main, "input")).setText("Great, I booked the return at 18:40.");
            ((JButton) Ui.named(main, "send")).doClick();
        });
        Ui.await("✓✓ on alice's group message: all three have it", () -> !Ui.all(main, c -> "tick-delivered".equals(c.getName())
                || "tick-read".equals(c.getName())).isEmpty());
        long newest = bob.groupHistory(group, null, 1).get(10, TimeUnit.SECONDS).messages().get(0).msgId();
        bob.markGroupRead(group, newest);
        carol.markGroupRead(group, newest);
        dave.markGroupRead(group, newest);
        Ui.await("blue ticks: all three read it", () -> !Ui.all(main, c -> "tick-read".equals(c.getName())).isEmpty());
        Ui.onEdt(() -> ((JTextArea) Ui.named(main, "input")).setText(""));
        dave.typingInGroup(group);
        Ui.await("dave typing in the group's header", () -> "dave is typing…".equals(((JLabel) Ui.named(main, "conversationStatus")).getText()));
        Ui.capture(main, out.resolve("group-dark.png"));

        Ui.onEdt(() -> ((JCheckBoxMenuItem) Ui.named(main, "darkTheme")).doClick());
        dave.typingInGroup(group); // still typing: the node's typing timer starts again
        Ui.await("the light theme", () -> !Theme.dark() && Ui.named(main, "input").getBackground().getRed() > 200);
        Ui.await("dave still typing", () -> "dave is typing…".equals(((JLabel) Ui.named(main, "conversationStatus")).getText()));
        Ui.capture(main, out.resolve("group-light.png"));
        dave.stopTypingInGroup(group);

        Ui.onEdt(() -> ((JButton) Ui.named(main, "contactToggle")).doClick());
        Ui.await("the group info", () -> Ui.dialogTitled("Group info") != null
                && ((javax.swing.JList<?>) Ui.named(Ui.dialogTitled("Group info"), "groupMembers")).getModel().getSize() == 4);
        javax.swing.JDialog info = Ui.onEdt(() -> Ui.dialogTitled("Group info"));
        Ui.capture(info, out.resolve("group-info.png"));
        Ui.onEdt(info::dispose);
    }

    /** Chat → Devices…: this desktop and the laptop, both online. */
    private static void devicesScene(JFrame main, Path out) {
        Ui.onEdt(() -> ((javax.swing.JMenuItem) Ui.named(main, "showDevices")).doClick());
        Ui.await("both devices listed", () -> Ui.dialogTitled("Devices") != null
                && ((javax.swing.JList<?>) Ui.named(Ui.dialogTitled("Devices"), "devices")).getModel().getSize() == 2);
        javax.swing.JDialog devices = Ui.onEdt(() -> Ui.dialogTitled("Devices"));
        Ui.capture(devices, out.resolve("devices.png"));
        Ui.onEdt(devices::dispose);
    }

    private static void awaitTyping(JFrame main) {
        Ui.await("bob typing, in the header and in the list", () -> "typing…".equals(((JLabel) Ui.named(main, "conversationStatus")).getText())
                && contact(main, "bob").typing());
    }

    private static chat.client.model.ContactEntry contact(JFrame main, String peer) {
        var list = (javax.swing.JList<?>) Ui.named(main, "contacts");
        return (chat.client.model.ContactEntry) list.getModel().getElementAt(indexOf(main, peer));
    }

    private static int indexOf(JFrame main, String peer) {
        int row = Ui.peerRow(main, peer);
        if (row < 0) {
            throw new AssertionError(peer + " is not in the list");
        }
        return row;
    }

    private static int bubbles(JFrame main) {
        return Ui.all(main, c -> c instanceof Bubble).size();
    }
}
