package chat.client.ui;

import static org.junit.jupiter.api.Assertions.fail;

import chat.server.ChatNode;
import chat.server.NodeConfig;
import com.typesafe.config.ConfigFactory;
import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.Component;
import java.awt.GraphicsEnvironment;
import java.awt.Point;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JPasswordField;
import javax.swing.JTextField;
import javax.swing.text.JTextComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every GUI test stands on: a real node on a free port over a fresh data directory, the real
 * desktop client's windows on a (virtual) X display, a Robot for real clicks and key presses, and
 * one installation (its saved session, settings and device id) per person or per device.
 *
 * Without a display these tests report themselves skipped, unless -Dgui.required=true (as .ci/run
 * sets it): then a missing display fails them.
 */
abstract class GuiTest {

    static final String PASSWORD = "correct horse";

    @TempDir
    Path dataDir;
    @TempDir
    Path installations;

    static Robot robot;
    private static String noDisplay; // why these tests cannot draw here, or null
    ChatNode node;

    final AtomicInteger appEnded = new AtomicInteger();

    /** Once: AWT that failed to reach a display fails differently on every later try. */
    @BeforeAll
    static void display() {
        if (GraphicsEnvironment.isHeadless()) {
            noDisplay = "no X display (set DISPLAY; the build starts Xvfb when it is installed: apt-get install xvfb)";
            return;
        }
        try {
            robot = new Robot();
            robot.setAutoDelay(15);
        } catch (AWTError | AWTException | LinkageError e) {
            noDisplay = "no X display reachable (" + e.getMessage() + "): install xvfb";
        }
    }

    @BeforeEach
    void start() {
        if (noDisplay != null) {
            if (Boolean.getBoolean("gui.required")) {
                fail("the GUI tests must run here (-Dgui.required=true), but there is " + noDisplay);
            }
            Assumptions.abort(noDisplay);
        }
        node = startNode(0);
        ClientApp.lastWindowClosed = appEnded::incrementAndGet;
        Ui.onEdt(() -> Theme.apply(false));
    }

    ChatNode startNode(int port) {
        return ChatNode.start(NodeConfig.build(ConfigFactory.parseMap(Map.of("chat.server.port", port,
                "chat.store.data-dir", dataDir.toString(), "chat.auth.pbkdf2-iterations", 1000, "pekko.management.http.port", 0)), ConfigFactory.empty()),
                Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        if (noDisplay != null) {
            return;
        }
        ClientApp.lastWindowClosed = () -> { };
        Ui.onEdt(() -> {
            for (java.awt.Window w : java.awt.Window.getWindows()) {
                w.dispose();
            }
        });
        if (node != null) {
            node.close();
        }
    }

    /** One installation of the client: where it keeps its session, settings and device id. */
    SignInWindow.Files installation(String name) {
        Path dir = installations.resolve(name);
        return new SignInWindow.Files(dir.resolve("session.properties"), dir.resolve("settings.properties"));
    }

    /** A sign-in window of `installation`, shown, pointed at the node. */
    SignInWindow signInWindow(SignInWindow.Files installation) {
        return Ui.onEdt(() -> {
            SignInWindow w = new SignInWindow(installation, "127.0.0.1", node.port(), Optional.empty());
            w.show();
            return w;
        });
    }

    /** Creates an account through the sign-in window of its own installation and returns the main window that opens. */
    JFrame signUp(String user, int x) {
        return submit(user, signInWindow(installation(user)), "register", x);
    }

    /** Signs `user` in through a sign-in window of `installation` (another device of theirs), with the device name typed in. */
    JFrame signIn(String user, SignInWindow.Files installation, String deviceName, int x) {
        SignInWindow window = signInWindow(installation);
        Ui.await("the device's name filled in", () -> !((JTextField) Ui.named(window.frame(), "deviceName")).getText().isBlank());
        Ui.onEdt(() -> ((JTextField) Ui.named(window.frame(), "deviceName")).setText(deviceName));
        return submit(user, window, "signIn", x);
    }

    private JFrame submit(String user, SignInWindow window, String button, int x) {
        JFrame frame = window.frame();
        int before = Ui.onEdt(() -> framesOf(user).size());
        Ui.onEdt(() -> {
            ((JTextField) Ui.named(frame, "username")).setText(user);
            ((JPasswordField) Ui.named(frame, "password")).setText(PASSWORD);
        });
        click(Ui.onEdt(() -> Ui.named(frame, button)));
        Ui.await(user + "'s main window", () -> framesOf(user).size() > before && !frame.isDisplayable());
        JFrame main = Ui.onEdt(() -> framesOf(user).get(framesOf(user).size() - 1));
        Ui.onEdt(() -> main.setBounds(x, 0, 680, 600));
        Ui.await(user + " on screen", main::isShowing);
        return main;
    }

    /** The main windows of `user`, oldest first (a person on two clients has two). */
    static java.util.List<JFrame> framesOf(String user) {
        java.util.List<JFrame> found = new java.util.ArrayList<>();
        for (java.awt.Window w : java.awt.Window.getWindows()) { // in the order they were made
            if (w instanceof JFrame f && f.isDisplayable() && f.getTitle().endsWith("Chat — " + user)) {
                found.add(f);
            }
        }
        return found;
    }

    static void press(JFrame frame, String button) {
        Ui.onEdt(() -> ((JButton) Ui.named(frame, button)).doClick());
    }

    /**
     * A real click in the middle of `c`. No Robot.waitForIdle: with no window manager it stalls for
     * its 10 s timeout whenever the click moves the focus to another window; callers wait for
     * what the click should do instead.
     */
    void click(Component c) {
        Point p = Ui.onEdt(() -> {
            Point on = c.getLocationOnScreen();
            return new Point(on.x + c.getWidth() / 2, on.y + c.getHeight() / 2);
        });
        robot.mouseMove(p.x, p.y);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
    }

    /**
     * Types `text` into `field` with real key presses (the US layout Xvfb starts with), clicking into
     * it first unless it has the focus already (a second click soon after the first would be a double
     * click, selecting the last word for the keys to replace); returns once the text shows.
     */
    void typeInto(JTextComponent field, String text) {
        if (!Ui.onEdt(field::isFocusOwner)) {
            click(field);
        }
        Ui.await("the focus in " + field.getName(), field::isFocusOwner);
        String before = Ui.onEdt(() -> field.getText());
        for (char ch : text.toCharArray()) {
            boolean shift = Character.isUpperCase(ch) || SHIFTED.indexOf(ch) >= 0;
            int key = KeyEvent.getExtendedKeyCodeForChar(shift && !Character.isUpperCase(ch) ? UNSHIFTED.charAt(SHIFTED.indexOf(ch)) : ch);
            if (shift) {
                robot.keyPress(KeyEvent.VK_SHIFT);
            }
            robot.keyPress(key);
            robot.keyRelease(key);
            if (shift) {
                robot.keyRelease(KeyEvent.VK_SHIFT);
            }
        }
        Ui.await("“" + text + "” typed into " + field.getName(), () -> field.getText().equals(before + text));
    }

    private static final String SHIFTED = "?!:";
    private static final String UNSHIFTED = "/1;";

    /** Enter, in whatever has the focus. */
    void enter() {
        robot.keyPress(KeyEvent.VK_ENTER);
        robot.keyRelease(KeyEvent.VK_ENTER);
    }
}
