package chat.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.model.ContactListModel;
import chat.client.model.Times;
import chat.protocol.ServerFrame;
import java.awt.Component;
import java.awt.Container;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.time.ZoneId;
import java.util.List;
import javax.swing.CellRendererPane;
import javax.swing.DefaultListModel;
import javax.swing.JFrame;
import javax.swing.JList;
import org.junit.jupiter.api.Test;

/** The sidebar's rows as a shown list paints them: one renderer component stamped row after row. */
class ContactListGuiIT extends GuiTest {

    @Test
    void anUnreadBadgeBelowARowWithoutOneIsDrawnAtItsOwnWidth() {
        ContactListModel model = new ContactListModel();
        model.loadConversations(List.of(
                // the same time on both rows: nothing else on the second row changes the layout
                ServerFrame.Conversation.ofGroup("g1", "Trip", new ServerFrame.Message(5, "c5", "bob", null, "Train at 9:12",
                        "t", 1_000, null, "g1"), 0),
                new ServerFrame.Conversation("carol", "online", null,
                        new ServerFrame.Message(4, "c4", "carol", "alice", "Can you review my draft?", "t", 1_000, "sent"), 1)));
        int width = Ui.onEdt(() -> {
            DefaultListModel<Object> rows = new DefaultListModel<>();
            rows.addElement(model.get(ContactListModel.groupKey("g1")));
            rows.addElement(model.get("carol"));
            JList<Object> list = new JList<>(rows);
            ContactCell cell = new ContactCell(new Times(ZoneId.of("UTC")), () -> 2_000);
            list.setCellRenderer(cell);
            JFrame frame = new JFrame("rows");
            frame.add(list);
            frame.setSize(320, 200);
            frame.setVisible(true); // displayable: only then does the renderer pane lay a row out
            CellRendererPane pane = (CellRendererPane) Ui.all(list, c -> c instanceof CellRendererPane).get(0);
            var g = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB).getGraphics();
            Component drawn = null;
            for (int i = 0; i < rows.size(); i++) { // as BasicListUI.paintCell does
                Rectangle r = list.getCellBounds(i, i);
                drawn = cell.getListCellRendererComponent(list, rows.get(i), i, false, false);
                pane.paintComponent(g, drawn, list, r.x, r.y, r.width, r.height, true);
            }
            return Ui.all((Container) drawn, c -> c.getClass().getSimpleName().equals("Badge")).get(0).getWidth();
        });
        assertThat(width).as("carol's unread badge, drawn after the group's row without one").isGreaterThanOrEqualTo(20);
    }
}
