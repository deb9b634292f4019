package chat.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ChatClient;
import java.awt.event.WindowEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JMenuItem;
import javax.swing.JPasswordField;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import org.junit.jupiter.api.Test;

/**
 * The real desktop client on a (virtual) X display against a real node: two people create accounts
 * in the sign-in window, one finds the other and types a message with real key presses, the other
 * sees the bubble, and the sender's bubble turns to ✓✓ when it has been delivered. Signing out
 * returns to the sign-in window; quitting with messages still unsent asks first. A busy server's
 * retry_after_ms shows in the banner, and Retry now does not wait it out (a scripted peer plays that node).
 */
class TwoPeopleChatGuiIT extends GuiTest {

    @Test
    void oneSendsTheOtherSeesTheBubbleAndTheSenderSeesTheDoubleTick() {
        JFrame alice = signUp("alice", 0);
        JFrame bob = signUp("bob", 700);

        // alice finds bob and opens the conversation
        Ui.onEdt(() -> ((JTextField) Ui.named(alice, "search")).setText("bob"));
        Ui.await("bob among the search results", () -> ((JList<?>) Ui.named(alice, "contacts")).getModel().getSize() == 1);
        Ui.onEdt(() -> ((JList<?>) Ui.named(alice, "contacts")).setSelectedIndex(0));
        Ui.await("the conversation with bob", () -> "bob".equals(((JLabel) Ui.named(alice, "conversationName")).getText()));

        // and types with the keyboard: Enter sends
        typeInto(Ui.onEdt(() -> Ui.named(alice, "input")), "hello bob");
        enter();
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
        JFrame first = signUp("alice", 0);
        Ui.onEdt(() -> ((JMenuItem) Ui.named(first, "signOut")).doClick());
        Ui.await("the sign-in window again", () -> Ui.frameTitled("Chat — Sign in"::equals) != null);
        Ui.await("the main window gone", () -> !first.isDisplayable());
        Ui.onEdt(() -> { }); // its windowClosed event, queued by the dispose, has been handled by now
        assertThat(appEnded).as("the app ended on sign-out").hasValue(0);

        // the sign-in window works: alice signs in again
        JFrame signIn = Ui.onEdt(() -> Ui.frameTitled("Chat — Sign in"::equals));
        Ui.onEdt(() -> {
            ((JTextField) Ui.named(signIn, "username")).setText("alice");
            ((JPasswordField) Ui.named(signIn, "password")).setText(PASSWORD);
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
        signUp("bob", 700);
        JFrame alice = signUp("alice", 0);
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
        Ui.await("the question about unsent messages", () -> Ui.dialogTitled("Unsent messages") != null);
        Ui.onEdt(() -> ((JButton) Ui.all(Ui.dialogTitled("Unsent messages").getContentPane(),
                c -> c instanceof JButton b && "Stay".equals(b.getText())).get(0)).doClick());
        Ui.await("the question gone", () -> Ui.dialogTitled("Unsent messages") == null);
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
        JFrame before = signUp("alice", 0);
        ChatClient bob = new ChatClient("127.0.0.1", node.port());
        try {
            bob.register("bob", PASSWORD).get(10, TimeUnit.SECONDS);
            bob.signIn("bob", PASSWORD).get(10, TimeUnit.SECONDS);
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
            ((JPasswordField) Ui.named(signIn, "password")).setText(PASSWORD);
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
                SignInWindow w = new SignInWindow(installation("alice"), "127.0.0.1", peer.getLocalPort(), Optional.empty());
                w.show();
                ((JTextField) Ui.named(w.frame(), "username")).setText("alice");
                ((JPasswordField) Ui.named(w.frame(), "password")).setText(PASSWORD);
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

}
