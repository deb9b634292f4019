package chat.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ChatClient;
import chat.client.model.ContactEntry;
import chat.protocol.ServerFrame;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JMenuItem;
import javax.swing.JTextField;
import org.junit.jupiter.api.Test;

/**
 * One person on two installations of the desktop client at once (a laptop and a desktop, each its
 * own device id): a message to her shows on both, reading it on one clears the unread count on the
 * other, what she answers from one shows on the other as her own bubble with its tick, and the
 * Devices dialog lists both online and signs the other one out, which says so and returns to its
 * sign-in window.
 */
class TwoDevicesGuiIT extends GuiTest {

    @Test
    void bothWindowsGetEveryMessageReadOnOneIsReadOnBothAndOneSignsTheOtherOut() throws Exception {
        JFrame laptop = signUp("alice", 0);
        JFrame desktop = signIn("alice", installation("alice-desktop"), "desktop", 700);
        try (ChatClient bob = new ChatClient("127.0.0.1", node.port())) {
            bob.useDevice(UUID.randomUUID().toString(), "bob's phone");
            bob.register("bob", PASSWORD).get(10, TimeUnit.SECONDS);
            bob.signIn("bob", PASSWORD).get(10, TimeUnit.SECONDS);

            // bob writes: both of alice's windows have it, unread
            bob.send("alice", "are you at your desk?").acked().get(10, TimeUnit.SECONDS);
            for (JFrame w : new JFrame[] {laptop, desktop}) {
                Ui.await("bob's message, unread, in " + w.getTitle(), () -> w.getTitle().startsWith("(1)")
                        && Ui.peerRow(w, "bob") >= 0);
            }

            // read on the laptop: the desktop's count clears too (read_marker)
            Ui.onEdt(() -> ((JList<?>) Ui.named(laptop, "contacts")).setSelectedIndex(Ui.peerRow(laptop, "bob")));
            click(Ui.onEdt(() -> Ui.named(laptop, "input")));
            Ui.await("the laptop's window active, so what is open there is read", laptop::isActive);
            Ui.await("the laptop's count gone", () -> !laptop.getTitle().startsWith("("));
            Ui.await("the desktop's count gone too", () -> !desktop.getTitle().startsWith("(")
                    && ((ContactEntry) ((JList<?>) Ui.named(desktop, "contacts")).getModel().getElementAt(Ui.peerRow(desktop, "bob"))).unread() == 0);

            // she answers from the desktop: the laptop shows it as hers, with its tick
            Ui.onEdt(() -> ((JList<?>) Ui.named(desktop, "contacts")).setSelectedIndex(Ui.peerRow(desktop, "bob")));
            Ui.await("bob's conversation on the desktop", () -> "bob".equals(((JLabel) Ui.named(desktop, "conversationName")).getText()));
            typeInto(Ui.onEdt(() -> Ui.named(desktop, "input")), "yes, on the desktop");
            enter();
            Ui.await("the desktop's copy on the laptop, as her own bubble with a tick", () -> Ui.all(laptop, c -> c instanceof Bubble b
                    && b.line().mine() && b.line().content().equals("yes, on the desktop")
                    && b.line().tick().name().matches("SENT|DELIVERED|READ")).size() == 1);

            // Chat → Devices… on the laptop: both, online; the desktop signed out from here
            Ui.onEdt(() -> ((JMenuItem) Ui.named(laptop, "showDevices")).doClick());
            Ui.await("the Devices dialog", () -> Ui.dialogTitled("Devices") != null);
            JDialog devices = Ui.onEdt(() -> Ui.dialogTitled("Devices"));
            JList<?> list = Ui.onEdt(() -> Ui.named(devices, "devices"));
            Ui.await("two devices, both online, this one first", () -> list.getModel().getSize() == 2
                    && ((ServerFrame.DeviceInfo) list.getModel().getElementAt(0)).current()
                    && ((ServerFrame.DeviceInfo) list.getModel().getElementAt(0)).online()
                    && ((ServerFrame.DeviceInfo) list.getModel().getElementAt(1)).online()
                    && "desktop".equals(((ServerFrame.DeviceInfo) list.getModel().getElementAt(1)).deviceName()));
            Ui.onEdt(() -> list.setSelectedIndex(1));
            Ui.await("Sign out this device enabled for the other one", () -> Ui.named(devices, "revokeDevice").isEnabled());
            click(Ui.onEdt(() -> Ui.named(devices, "revokeDevice")));
            Ui.await("the question, ready for a click", () -> Ui.focusedDialogTitled("Sign out a device") != null);
            click(Ui.onEdt(() -> Ui.all(Ui.dialogTitled("Sign out a device").getContentPane(),
                    c -> c instanceof JButton b && "OK".equals(b.getText())).get(0)));

            // the desktop says why, then goes back to sign-in with her name filled in; the laptop stays
            Ui.await("the desktop told it was signed out", () -> Ui.focusedDialogTitled("Signed out") != null);
            click(Ui.onEdt(() -> Ui.all(Ui.dialogTitled("Signed out").getContentPane(),
                    c -> c instanceof JButton b && "OK".equals(b.getText())).get(0)));
            Ui.await("the desktop's main window gone", () -> !desktop.isDisplayable());
            Ui.await("a sign-in window with alice filled in", () -> Ui.frameTitled("Chat — Sign in"::equals) != null
                    && "alice".equals(((JTextField) Ui.named(Ui.frameTitled("Chat — Sign in"::equals), "username")).getText()));
            Ui.await("only the laptop left in the list", () -> list.getModel().getSize() == 1
                    && ((ServerFrame.DeviceInfo) list.getModel().getElementAt(0)).current());
            assertThat(Ui.onEdt(laptop::isDisplayable)).isTrue();
            assertThat(appEnded).as("the app goes on").hasValue(0);
        }
    }
}
