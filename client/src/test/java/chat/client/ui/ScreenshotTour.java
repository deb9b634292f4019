package chat.client.ui;

import chat.client.ChatClient;
import chat.client.SavedSession;
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
 * sign-in-light.png, sign-in-dark.png, conversation-light.png and conversation-dark.png.
 */
public final class ScreenshotTour {

    private static final String PASSWORD = "correct horse";

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
                    new Write.Accept("bob", "alice", "y1", "Did you get the tickets for Saturday?"),
                    new Write.Accept("alice", "bob", "y2", "Yes! Two seats, row F 😀"),
                    new Write.Accept("bob", "alice", "y3", "Perfect. Dinner before the show?"),
                    new Write.Accept("carol", "alice", "y4", "The slides are in the shared folder."),
                    new Write.Accept("dave", "alice", "y5", "Happy birthday!! 🎂"));
            yesterday.apply(writes);
            yesterday.apply(List.of(new Write.MarkRead("alice", "bob", Long.MAX_VALUE),
                    new Write.MarkRead("bob", "alice", Long.MAX_VALUE), new Write.MarkRead("alice", "carol", Long.MAX_VALUE)));
        }
    }

    private static void run(int port, Path out, SignInWindow.Files files) throws Exception {
        ChatClient bob = new ChatClient("127.0.0.1", port);
        bob.signIn("bob", PASSWORD).get(10, TimeUnit.SECONDS);
        ChatClient carol = new ChatClient("127.0.0.1", port);
        carol.signIn("carol", PASSWORD).get(10, TimeUnit.SECONDS);
        ChatClient erin = new ChatClient("127.0.0.1", port);
        erin.signIn("erin", PASSWORD).get(10, TimeUnit.SECONDS);
        erin.send("alice", "Are you coming to the standup? It moved to 10:30.").acked().get(10, TimeUnit.SECONDS);

        for (boolean dark : new boolean[] {true, false}) { // dark first: the main window then opens in light
            Ui.onEdt(() -> Theme.apply(dark));
            SignInWindow signIn = Ui.onEdt(() -> {
                SignInWindow w = new SignInWindow(files, "127.0.0.1", port, Optional.empty());
                w.show();
                return w;
            });
            JFrame frame = signIn.frame();
            Ui.onEdt(() -> {
                ((JTextField) Ui.named(frame, "username")).setText("alice");
                ((JPasswordField) Ui.named(frame, "password")).setText(PASSWORD);
            });
            Ui.pause(300);
            Ui.capture(frame, out.resolve(dark ? "sign-in-dark.png" : "sign-in-light.png"));
            if (dark) {
                Ui.onEdt(frame::dispose);
                continue;
            }
            Ui.onEdt(() -> ((JButton) Ui.named(frame, "signIn")).doClick());
            Ui.await("the main window", () -> Ui.frameTitled(t -> t.contains("Chat — alice")) != null);
        }
        JFrame main = Ui.onEdt(() -> Ui.frameTitled(t -> t.contains("Chat — alice")));
        Ui.await("bob in the contact list", () -> Ui.all(main, c -> c instanceof javax.swing.JList<?>).stream()
                .anyMatch(l -> ((javax.swing.JList<?>) l).getModel().getSize() >= 4));
        // alice opens bob's conversation and answers; bob's client acknowledges and reads it, then types
        Ui.onEdt(() -> ((javax.swing.JList<?>) Ui.named(main, "contacts")).setSelectedIndex(indexOf(main, "bob")));
        Ui.await("bob's conversation", () -> "bob".equals(((JLabel) Ui.named(main, "conversationName")).getText()));
        bob.send("alice", "Morning! Table for two at Tasca do Chico, 19:00?").acked().get(10, TimeUnit.SECONDS);
        Ui.await("bob's message", () -> bubbles(main) >= 4);
        Ui.onEdt(() -> {
            ((JTextArea) Ui.named(main, "input")).setText("Sounds great — see you there! 🎉");
            ((JButton) Ui.named(main, "send")).doClick();
        });
        Ui.await("the double tick", () -> !Ui.all(main, c -> "tick-delivered".equals(c.getName())
                || "tick-read".equals(c.getName())).isEmpty());
        long newest = bob.history("alice", null, 1).get(10, TimeUnit.SECONDS).messages().get(0).msgId();
        bob.markRead("alice", newest);
        Ui.await("the blue ticks", () -> Ui.all(main, c -> "tick-read".equals(c.getName())).size() >= 2);
        carol.send("alice", "Can you review my draft before lunch?").acked().get(10, TimeUnit.SECONDS);
        bob.typing("alice");
        Ui.await("typing…", () -> "typing…".equals(((JLabel) Ui.named(main, "conversationStatus")).getText()));
        Ui.onEdt(() -> ((JTextArea) Ui.named(main, "input")).setText("Should I bring the tickets?"));
        Ui.pause(400);
        Ui.capture(main, out.resolve("conversation-light.png"));

        Ui.onEdt(() -> ((JCheckBoxMenuItem) Ui.named(main, "darkTheme")).doClick());
        bob.typing("alice");
        Ui.pause(600);
        Ui.capture(main, out.resolve("conversation-dark.png"));
        SavedSession.forget(files.session());
        bob.close();
        carol.close();
        erin.close();
    }

    private static int indexOf(JFrame main, String peer) {
        var list = (javax.swing.JList<?>) Ui.named(main, "contacts");
        for (int i = 0; i < list.getModel().getSize(); i++) {
            if (list.getModel().getElementAt(i) instanceof chat.client.model.ContactEntry e && e.peer().equals(peer)) {
                return i;
            }
        }
        throw new AssertionError(peer + " is not in the list");
    }

    private static int bubbles(JFrame main) {
        return Ui.all(main, c -> c instanceof Bubble).size();
    }
}
