package chat.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ChatNode;
import chat.server.NodeConfig;
import com.typesafe.config.ConfigFactory;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.Point;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPasswordField;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real desktop client on a (virtual) X display against a real node: two people create accounts
 * in the sign-in window, one finds the other and types a message with real key presses, the other
 * sees the bubble, and the sender's bubble turns to ✓✓ when it has been delivered.
 */
class TwoPeopleChatGuiIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path aliceConfig;
    @TempDir
    Path bobConfig;

    private ChatNode node;
    private Robot robot;

    @BeforeEach
    void start() throws Exception {
        try {
            Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "no X display (set DISPLAY; the build starts Xvfb)");
            robot = new Robot();
        } catch (AWTError e) {
            Assumptions.abort("no X display reachable (" + e.getMessage() + "): install xvfb");
        }
        robot.setAutoDelay(15);
        node = ChatNode.start(NodeConfig.build(ConfigFactory.parseMap(Map.of("chat.server.port", 0,
                "chat.store.data-dir", dataDir.toString(), "chat.auth.pbkdf2-iterations", 1000, "pekko.management.http.port", 0)), ConfigFactory.empty()),
                Duration.ofSeconds(60));
        Ui.onEdt(() -> Theme.apply(false));
    }

    @AfterEach
    void stop() {
        Ui.onEdt(() -> {
            for (java.awt.Window w : java.awt.Window.getWindows()) {
                w.dispose();
            }
        });
        if (node != null) {
            node.close();
        }
    }

    @Test
    void oneSendsTheOtherSeesTheBubbleAndTheSenderSeesTheDoubleTick() {
        JFrame alice = signUp("alice", aliceConfig, 0);
        JFrame bob = signUp("bob", bobConfig, 700);

        // alice finds bob and opens the conversation
        Ui.onEdt(() -> ((JTextField) Ui.named(alice, "search")).setText("bob"));
        Ui.await("bob among the search results", () -> ((JList<?>) Ui.named(alice, "contacts")).getModel().getSize() == 1);
        Ui.onEdt(() -> ((JList<?>) Ui.named(alice, "contacts")).setSelectedIndex(0));
        Ui.await("the conversation with bob", () -> "bob".equals(((JLabel) Ui.named(alice, "conversationName")).getText()));

        // and types with the keyboard: Enter sends
        click(Ui.onEdt(() -> Ui.named(alice, "input")));
        type("hello bob");
        robot.keyPress(KeyEvent.VK_ENTER);
        robot.keyRelease(KeyEvent.VK_ENTER);
        Ui.await("alice's input emptied", () -> ((JTextArea) Ui.named(alice, "input")).getText().isEmpty());

        // bob sees alice's conversation, unread, and opens it: the bubble is there
        Ui.await("alice in bob's list", () -> ((JList<?>) Ui.named(bob, "contacts")).getModel().getSize() == 1);
        Ui.await("the unread count in bob's title", () -> bob.getTitle().startsWith("(1)"));
        Ui.onEdt(() -> ((JList<?>) Ui.named(bob, "contacts")).setSelectedIndex(0));
        Ui.await("the bubble on bob's side", () -> Ui.all(bob, c -> c instanceof Bubble b
                && b.line().content().equals("hello bob") && !b.line().mine()).size() == 1);

        // bob's client acknowledged it: alice's bubble shows ✓✓ (or ✓✓ read, if bob's window had the focus)
        Ui.await("✓✓ on alice's bubble", () -> Ui.all(alice, c -> c instanceof Bubble b && b.line().mine()
                && (b.line().tick().name().equals("DELIVERED") || b.line().tick().name().equals("READ"))).size() == 1);
        assertThat(Ui.onEdt(() -> Ui.all(alice, c -> "tick-delivered".equals(c.getName()) || "tick-read".equals(c.getName()))))
                .hasSize(1);
    }

    /** Creates an account through the sign-in window and returns the main window that opens. */
    private JFrame signUp(String user, Path config, int x) {
        SignInWindow window = Ui.onEdt(() -> {
            SignInWindow w = new SignInWindow(new SignInWindow.Files(config.resolve("session.properties"),
                    config.resolve("settings.properties")), "127.0.0.1", node.port(), Optional.empty());
            w.show();
            return w;
        });
        JFrame frame = window.frame();
        Ui.onEdt(() -> {
            ((JTextField) Ui.named(frame, "username")).setText(user);
            ((JPasswordField) Ui.named(frame, "password")).setText("correct horse");
        });
        click(Ui.onEdt(() -> Ui.named(frame, "register")));
        Ui.await(user + "'s main window", () -> Ui.frameTitled(t -> t.endsWith("Chat — " + user)) != null);
        JFrame main = Ui.onEdt(() -> Ui.frameTitled(t -> t.endsWith("Chat — " + user)));
        Ui.onEdt(() -> main.setBounds(x, 0, 680, 600));
        Ui.await(user + " on screen", main::isShowing);
        return main;
    }

    private void click(java.awt.Component c) {
        Point p = Ui.onEdt(() -> {
            Point on = c.getLocationOnScreen();
            return new Point(on.x + c.getWidth() / 2, on.y + c.getHeight() / 2);
        });
        robot.mouseMove(p.x, p.y);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        robot.waitForIdle();
    }

    private void type(String text) {
        for (char ch : text.toCharArray()) {
            int key = KeyEvent.getExtendedKeyCodeForChar(ch);
            robot.keyPress(key);
            robot.keyRelease(key);
        }
        robot.waitForIdle();
    }

}
