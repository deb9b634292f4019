package chat.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ChatClient;
import chat.client.Recorder;
import chat.protocol.ServerFrame;
import java.awt.Component;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JTextField;
import org.junit.jupiter.api.Test;

/**
 * Two people in a group, each in the real desktop client, and a third on a plain level 3 client:
 * alice makes the group from the New group dialog (a contact ticked, another typed in), both
 * windows show its row and its "created" line, bob sees alice typing and then her bubble under her
 * name, alice's tick turns ✓✓ when both have it and blue when both read it, "Delivered to / Read
 * by" says so, and removing carol in Group info shows as a line on both sides.
 */
class GroupChatGuiIT extends GuiTest {

    @Test
    void aGroupMadeInTheDialogIsTalkedInByTwoWindowsWithTypingTicksReceiptsAndMembershipLines() throws Exception {
        Recorder heard = new Recorder(); // what carol's client hears
        try (ChatClient carol = new ChatClient("127.0.0.1", node.port())) {
            carol.useDevice(UUID.randomUUID().toString(), "carol's phone");
            carol.addListener(heard);
            carol.register("carol", PASSWORD).get(10, TimeUnit.SECONDS);
            carol.signIn("carol", PASSWORD).get(10, TimeUnit.SECONDS);
            JFrame bob = signUp("bob", 700);
            JFrame alice = signUp("alice", 0);

            // alice and bob know each other: a first message makes bob one of alice's conversations
            Ui.onEdt(() -> ((JTextField) Ui.named(alice, "search")).setText("bob"));
            Ui.await("bob among the search results", () -> ((JList<?>) Ui.named(alice, "contacts")).getModel().getSize() == 1);
            Ui.onEdt(() -> ((JList<?>) Ui.named(alice, "contacts")).setSelectedIndex(0));
            Ui.await("the conversation with bob", () -> "bob".equals(((JLabel) Ui.named(alice, "conversationName")).getText()));
            typeInto(Ui.onEdt(() -> Ui.named(alice, "input")), "hi");
            enter();
            Ui.await("alice's first message stored", () -> Ui.all(alice, c -> c instanceof Bubble b && b.line().mine()
                    && b.line().msgId() > 0).size() == 1);
            Ui.onEdt(() -> ((JTextField) Ui.named(alice, "search")).setText(""));

            // Chat → New group…: bob ticked among her conversations, carol typed in
            Ui.onEdt(() -> ((JMenuItem) Ui.named(alice, "newGroup")).doClick());
            Ui.await("the New group dialog", () -> Ui.dialogTitled("New group") != null);
            JDialog dialog = Ui.onEdt(() -> Ui.dialogTitled("New group"));
            Ui.onEdt(() -> {
                ((JTextField) Ui.named(dialog, "groupName")).setText("Trip");
                ((JTextField) Ui.named(dialog, "groupOthers")).setText("carol");
            });
            click(Ui.onEdt(() -> Ui.named(dialog, "member-bob")));
            Ui.await("bob ticked", () -> ((JCheckBox) Ui.named(dialog, "member-bob")).isSelected());
            click(Ui.onEdt(() -> Ui.named(dialog, "createGroup")));

            // the server made it: the dialog goes, the group opens with its first line
            Ui.await("the dialog gone", () -> !dialog.isDisplayable());
            Ui.await("the group open on alice's side", () -> "Trip".equals(((JLabel) Ui.named(alice, "conversationName")).getText()));
            Ui.await("the created line", () -> !eventLines(alice, "You created the group “Trip”").isEmpty());
            Ui.await("carol told of the group", () -> heard.groups.stream().anyMatch(g -> "Trip".equals(g.name())));
            String groupId = heard.groups.get(0).groupId();

            // bob's list has the group; he opens it
            Ui.await("the group in bob's list", () -> Ui.groupRow(bob, "Trip") >= 0);
            Ui.onEdt(() -> ((JList<?>) Ui.named(bob, "contacts")).setSelectedIndex(Ui.groupRow(bob, "Trip")));
            Ui.await("the group open on bob's side, its members under its name", () ->
                    "Trip".equals(((JLabel) Ui.named(bob, "conversationName")).getText())
                    && "alice, bob, carol".equals(((JLabel) Ui.named(bob, "conversationStatus")).getText()));
            Ui.await("the created line on bob's side", () -> !eventLines(bob, "alice created the group “Trip”").isEmpty());

            // alice types: bob sees it in the group's header, then carol too
            typeInto(Ui.onEdt(() -> Ui.named(alice, "input")), "tickets");
            Ui.await("alice typing, on bob's side", () -> "alice is typing…".equals(status(bob)));
            carol.typingInGroup(groupId);
            Ui.await("two typing, on bob's side", () -> status(bob).contains("alice") && status(bob).contains("carol"));
            carol.stopTypingInGroup(groupId);
            typeInto(Ui.onEdt(() -> Ui.named(alice, "input")), " for Saturday?");
            enter();

            // bob sees the bubble under alice's name; carol's client has it too
            Ui.await("alice's bubble on bob's side, with her name", () -> Ui.all(bob, c -> c instanceof Bubble b
                    && b.line().content().equals("tickets for Saturday?") && !b.line().mine()
                    && Ui.all(b, s -> "sender".equals(s.getName()) && "alice".equals(((JLabel) s).getText())).size() == 1).size() == 1);
            Ui.await("carol has it", () -> heard.messages.stream().anyMatch(m -> m.content().equals("tickets for Saturday?")));
            long msgId = heard.messages.stream().filter(m -> m.content().equals("tickets for Saturday?")).findFirst().orElseThrow().msgId();

            // ✓✓ when both have it; blue when both have read it (bob by looking, carol by her client)
            Ui.await("✓✓ on alice's group bubble", () -> ticks(alice, "tickets for Saturday?").matches("DELIVERED|READ"));
            carol.markGroupRead(groupId, msgId);
            click(Ui.onEdt(() -> Ui.named(bob, "input")));
            Ui.await("bob's window active, so what is open there is read", bob::isActive);
            Ui.await("blue ✓✓ on alice's group bubble", () -> "READ".equals(ticks(alice, "tickets for Saturday?")));

            // Delivered to / Read by…, from the bubble's menu
            Ui.onEdt(() -> {
                Bubble mine = (Bubble) Ui.all(alice, c -> c instanceof Bubble b && b.line().content().equals("tickets for Saturday?")).get(0);
                ((JMenuItem) mine.getComponentPopupMenu().getComponent(0)).doClick();
            });
            Ui.await("the message info", () -> Ui.dialogTitled("Message info") != null);
            String info = Ui.onEdt(() -> String.valueOf(((JOptionPane) Ui.all(Ui.dialogTitled("Message info").getContentPane(),
                    c -> c instanceof JOptionPane).get(0)).getMessage()));
            assertThat(info).startsWith("Read by: bob, carol").doesNotContain("Not yet");
            Ui.onEdt(() -> Ui.dialogTitled("Message info").dispose());

            // Group info: alice, the admin, removes carol; both windows show the line, carol is told
            Ui.onEdt(() -> ((JButton) Ui.named(alice, "contactToggle")).doClick());
            Ui.await("the group info", () -> Ui.dialogTitled("Group info") != null);
            JDialog groupInfo = Ui.onEdt(() -> Ui.dialogTitled("Group info"));
            Ui.await("three members listed", () -> ((JList<?>) Ui.named(groupInfo, "groupMembers")).getModel().getSize() == 3);
            Ui.onEdt(() -> {
                JList<?> members = (JList<?>) Ui.named(groupInfo, "groupMembers");
                for (int i = 0; i < members.getModel().getSize(); i++) {
                    if ("carol".equals(((ServerFrame.Member) members.getModel().getElementAt(i)).username())) {
                        members.setSelectedIndex(i);
                    }
                }
            });
            click(Ui.onEdt(() -> Ui.named(groupInfo, "groupRemove")));
            Ui.await("two members left in the group info", () -> ((JList<?>) Ui.named(groupInfo, "groupMembers")).getModel().getSize() == 2);
            Ui.await("the removal on alice's side", () -> !eventLines(alice, "You removed carol").isEmpty());
            Ui.await("the removal on bob's side", () -> !eventLines(bob, "alice removed carol").isEmpty());
            Ui.await("carol told she was removed", () -> heard.events.stream().anyMatch(e -> "removed".equals(e.event())
                    && e.users() != null && e.users().contains("carol")));
        }
    }

    private static List<Component> eventLines(JFrame frame, String text) {
        return Ui.all(frame, c -> "event".equals(c.getName()) && text.equals(((JLabel) c).getText()));
    }

    private static String status(JFrame frame) {
        return ((JLabel) Ui.named(frame, "conversationStatus")).getText();
    }

    /** The tick on this window's own bubble with `content`, or "" if there is none yet. */
    private static String ticks(JFrame frame, String content) {
        return Ui.all(frame, c -> c instanceof Bubble b && b.line().mine() && b.line().content().equals(content)).stream()
                .map(c -> ((Bubble) c).line().tick().name()).findFirst().orElse("");
    }
}
