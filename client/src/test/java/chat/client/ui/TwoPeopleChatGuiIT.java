package chat.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import chat.client.ChatClient;
import chat.server.ChatNode;
import chat.server.NodeConfig;
import com.typesafe.config.ConfigFactory;
import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.awt.Point;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JMenuItem;
import javax.swing.JPasswordField;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real desktop client on a (virtual) X display against a real node: two people create accounts
 * in the sign-in window, one finds the other and types a message with real key presses, the other
 * sees the bubble, and the sender's bubble turns to ✓✓ when it has been delivered. Signing out
 * returns to the sign-in window; quitting with messages still unsent asks first. A busy server's
 * retry_after_ms shows in the banner, and Retry now does not wait it out (a scripted peer plays that node).
 *
 * Without a display these tests report themselves skipped, unless -Dgui.required=true (as .ci/run
 * sets it): then a missing display fails them.
 */
class TwoPeopleChatGuiIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path aliceConfig;
    @TempDir
    Path bobConfig;

    private static Robot robot;
    private static String noDisplay; // why these tests cannot draw here, or null
    private ChatNode node;

    private final AtomicInteger appEnded = new AtomicInteger();

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

    private ChatNode startNode(int port) {
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
        // her typing came first and made the row; the message then asks the server whether she is online
        Ui.await("alice online in bob's list", () -> ((JList<?>) Ui.named(bob, "contacts")).getModel().getElementAt(0)
                instanceof chat.client.model.ContactEntry e && e.online());
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

    @Test
    void signingOutReturnsToTheSignInWindowAndOnlyTheLastWindowClosedEndsTheApp() {
        JFrame first = signUp("alice", aliceConfig, 0);
        Ui.onEdt(() -> ((JMenuItem) Ui.named(first, "signOut")).doClick());
        Ui.await("the sign-in window again", () -> Ui.frameTitled("Chat — Sign in"::equals) != null);
        Ui.await("the main window gone", () -> !first.isDisplayable());
        Ui.onEdt(() -> { }); // its windowClosed event, queued by the dispose, has been handled by now
        assertThat(appEnded).as("the app ended on sign-out").hasValue(0);

        // the sign-in window works: alice signs in again
        JFrame signIn = Ui.onEdt(() -> Ui.frameTitled("Chat — Sign in"::equals));
        Ui.onEdt(() -> {
            ((JTextField) Ui.named(signIn, "username")).setText("alice");
            ((JPasswordField) Ui.named(signIn, "password")).setText("correct horse");
            ((JButton) Ui.named(signIn, "signIn")).doClick();
        });
        Ui.await("alice's main window again", () -> Ui.frameTitled(t -> t.endsWith("Chat — alice")) != null);
        JFrame again = Ui.onEdt(() -> Ui.frameTitled(t -> t.endsWith("Chat — alice")));
        Ui.await("the sign-in window closed", () -> Ui.frameTitled("Chat — Sign in"::equals) == null);
        assertThat(appEnded).hasValue(0);

        // closing the last window is what ends the app
        Ui.onEdt(() -> again.dispatchEvent(new WindowEvent(again, WindowEvent.WINDOW_CLOSING)));
        Ui.await("the app ended", () -> appEnded.get() == 1);
    }

    @Test
    void quittingWithMessagesStillUnsentAsksAndRetryNowSendsThem() {
        signUp("bob", bobConfig, 700);
        JFrame alice = signUp("alice", aliceConfig, 0);
        Ui.onEdt(() -> ((JTextField) Ui.named(alice, "search")).setText("bob"));
        Ui.await("bob among the search results", () -> ((JList<?>) Ui.named(alice, "contacts")).getModel().getSize() == 1);
        Ui.onEdt(() -> ((JList<?>) Ui.named(alice, "contacts")).setSelectedIndex(0));
        Ui.await("bob, online, as the search said", () -> "online".equals(((JLabel) Ui.named(alice, "conversationStatus")).getText()));

        int port = node.port();
        node.close();
        node = null;
        Ui.await("the reconnect banner with its Retry now", () -> Ui.named(alice, "retryNow").isShowing());
        Ui.onEdt(() -> {
            ((JTextArea) Ui.named(alice, "input")).setText("written while the server is away");
            ((JButton) Ui.named(alice, "send")).doClick();
        });
        Ui.await("the clock on the waiting message", () -> !Ui.all(alice, c -> "tick-pending".equals(c.getName())).isEmpty());

        // closing the window asks first; staying keeps it
        Ui.onEdt(() -> alice.dispatchEvent(new WindowEvent(alice, WindowEvent.WINDOW_CLOSING)));
        Ui.await("the question about unsent messages", () -> dialogTitled("Unsent messages") != null);
        Ui.onEdt(() -> ((JButton) Ui.all(dialogTitled("Unsent messages").getContentPane(),
                c -> c instanceof JButton b && "Stay".equals(b.getText())).get(0)).doClick());
        Ui.await("the question gone", () -> dialogTitled("Unsent messages") == null);
        assertThat(Ui.onEdt(alice::isDisplayable)).isTrue();
        assertThat(appEnded).hasValue(0);

        // the server is back; Retry now does not wait for the next attempt
        node = startNode(port);
        Ui.onEdt(() -> ((JButton) Ui.named(alice, "retryNow")).doClick());
        Ui.await("the message stored (✓ or better)", () -> Ui.all(alice, c -> "tick-pending".equals(c.getName())).isEmpty()
                && Ui.all(alice, c -> c instanceof Bubble b && b.line().mine()).size() == 1);
        Ui.await("the banner's button gone", () -> !Ui.named(alice, "retryNow").isShowing());
    }

    @Test
    void aConversationOpenedWhileOfflineLoadsItsHistoryWhenTheConnectionIsBack() throws Exception {
        JFrame before = signUp("alice", aliceConfig, 0);
        ChatClient bob = new ChatClient("127.0.0.1", node.port());
        try {
            bob.register("bob", "correct horse").get(10, TimeUnit.SECONDS);
            bob.signIn("bob", "correct horse").get(10, TimeUnit.SECONDS);
            bob.send("alice", "from before").acked().get(10, TimeUnit.SECONDS);
            Ui.await("bob in alice's list", () -> ((JList<?>) Ui.named(before, "contacts")).getModel().getSize() == 1);
        } finally {
            bob.close();
        }
        // a fresh window (sign out, sign in) knows bob's conversation from the list, not its messages
        Ui.onEdt(() -> ((JMenuItem) Ui.named(before, "signOut")).doClick());
        Ui.await("the sign-in window", () -> Ui.frameTitled("Chat — Sign in"::equals) != null);
        JFrame signIn = Ui.onEdt(() -> Ui.frameTitled("Chat — Sign in"::equals));
        Ui.onEdt(() -> {
            ((JTextField) Ui.named(signIn, "username")).setText("alice");
            ((JPasswordField) Ui.named(signIn, "password")).setText("correct horse");
            ((JButton) Ui.named(signIn, "signIn")).doClick();
        });
        Ui.await("alice's main window", () -> Ui.frameTitled(t -> t.endsWith("Chat — alice")) != null);
        JFrame alice = Ui.onEdt(() -> Ui.frameTitled(t -> t.endsWith("Chat — alice")));
        Ui.await("bob's conversation in the list", () -> ((JList<?>) Ui.named(alice, "contacts")).getModel().getSize() == 1);

        int port = node.port();
        node.close();
        node = null;
        Ui.await("offline", () -> Ui.named(alice, "retryNow").isShowing());
        Ui.onEdt(() -> ((JList<?>) Ui.named(alice, "contacts")).setSelectedIndex(0));
        Ui.await("bob's conversation, empty while offline", () -> "bob".equals(((JLabel) Ui.named(alice, "conversationName")).getText())
                && Ui.all(alice, c -> c instanceof Bubble).isEmpty() && Ui.all(alice, c -> "loadingOlder".equals(c.getName())).isEmpty());

        node = startNode(port);
        Ui.onEdt(() -> ((JButton) Ui.named(alice, "retryNow")).doClick());
        Ui.await("the history, once back", () -> Ui.all(alice, c -> c instanceof Bubble b
                && b.line().content().equals("from before")).size() == 1);
    }

    @Test
    void aBusyServerShowsInTheBannerAndRetryNowDoesNotWaitItOut() throws Exception {
        // a scripted peer plays the overloaded node: a real node's shedding cannot be provoked on cue
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(20_000);
            JFrame signIn = Ui.onEdt(() -> {
                SignInWindow w = new SignInWindow(new SignInWindow.Files(aliceConfig.resolve("session.properties"),
                        aliceConfig.resolve("settings.properties")), "127.0.0.1", peer.getLocalPort(), Optional.empty());
                w.show();
                ((JTextField) Ui.named(w.frame(), "username")).setText("alice");
                ((JPasswordField) Ui.named(w.frame(), "password")).setText("correct horse");
                ((JButton) Ui.named(w.frame(), "signIn")).doClick();
                return w.frame();
            });
            try (Socket first = peer.accept()) { // signs in; then this "node" goes away
                assertThat(firstLine(first)).contains("\"login\"");
                sendLine(first, "{\"type\":\"login_response\",\"status\":\"success\",\"username\":\"alice\",\"token\":\"t1\"}");
                Ui.await("alice's main window", () -> Ui.frameTitled(t -> t.endsWith("Chat — alice")) != null);
            }
            JFrame alice = Ui.onEdt(() -> Ui.frameTitled(t -> t.endsWith("Chat — alice")));
            assertThat(Ui.onEdt(signIn::isDisplayable)).isFalse();

            long refusedAt;
            try (Socket second = peer.accept()) { // the reconnect is shed: wait 10 s
                assertThat(firstLine(second)).contains("\"token\":\"t1\"");
                refusedAt = System.nanoTime();
                sendLine(second, "{\"type\":\"login_response\",\"status\":\"error\",\"code\":\"rate_limited\","
                        + "\"message\":\"busy\",\"retry_after_ms\":10000}");
            }
            Ui.await("the busy banner with its Retry now", () -> ((JLabel) Ui.named(alice, "banner")).getText()
                    .matches("Server busy — reconnecting in 1[0-2] s\\..*") && Ui.named(alice, "retryNow").isShowing());

            Ui.onEdt(() -> ((JButton) Ui.named(alice, "retryNow")).doClick());
            try (Socket third = peer.accept()) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusedAt))
                        .as("Retry now connects without waiting out the 10 s").isLessThan(10_000);
                assertThat(firstLine(third)).contains("\"token\":\"t1\"");
            }
        }
    }

    private static String firstLine(Socket s) throws java.io.IOException {
        s.setSoTimeout(10_000);
        return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                .readLine();
    }

    private static void sendLine(Socket s, String line) throws java.io.IOException {
        s.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private static JDialog dialogTitled(String title) {
        for (java.awt.Window w : java.awt.Window.getWindows()) {
            if (w instanceof JDialog d && d.isShowing() && title.equals(d.getTitle())) {
                return d;
            }
        }
        return null;
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
