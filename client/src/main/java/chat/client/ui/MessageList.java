package chat.client.ui;

import chat.client.model.ChatLine;
import chat.client.model.Times;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Insets;
import java.awt.LayoutManager;
import java.awt.Rectangle;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.Scrollable;
import javax.swing.SwingConstants;

/**
 * The messages of the open conversation, top to bottom, with a separator where the day changes and
 * a "loading older messages" line on top while a history page is on its way. Bubbles take at most
 * 70% of the width; the layout gives each one the height its wrapped text needs. In a group, the
 * others' bubbles carry the sender's name in the sender's colour, and membership events are
 * centred lines between them.
 */
final class MessageList extends JPanel implements Scrollable {

    private static final int GAP = 4;
    private static final int SIDE = 14;
    private final Times times;
    private final Consumer<ChatLine> details;
    private final JLabel loading = new JLabel("Loading older messages…", SwingConstants.CENTER);

    /** `details`: the user asked who has (and who has read) one of their group messages. */
    MessageList(Times times, Consumer<ChatLine> details) {
        this.times = times;
        this.details = details;
        setLayout(new Stack());
        setBorder(BorderFactory.createEmptyBorder(10, 0, 10, 0));
        setBackground(Theme.chatBackground());
        loading.setName("loadingOlder");
        loading.setForeground(Theme.secondaryText());
        loading.setFont(loading.getFont().deriveFont(Font.ITALIC, 12f));
    }

    void show(List<ChatLine> lines, boolean loadingOlder, boolean group, long now) {
        removeAll();
        setBackground(Theme.chatBackground());
        if (loadingOlder) {
            add(loading);
        }
        LocalDate day = null;
        for (ChatLine l : lines) {
            LocalDate d = times.day(l.ts());
            if (!d.equals(day)) {
                day = d;
                add(separator(times.dayLabel(l.ts(), now)));
            }
            if (l.event()) {
                add(eventLine(l.content()));
            } else {
                add(new Bubble(l, times.time(l.ts()), group, group ? details : null));
            }
        }
        revalidate();
        repaint();
    }

    private static JLabel separator(String text) {
        JLabel label = new JLabel(text, SwingConstants.CENTER);
        label.setName("day");
        label.setFont(label.getFont().deriveFont(Font.BOLD, 12f));
        label.setForeground(Theme.secondaryText());
        label.setBorder(BorderFactory.createEmptyBorder(8, 0, 6, 0));
        return label;
    }

    private static JLabel eventLine(String text) {
        JLabel label = new JLabel(text, SwingConstants.CENTER);
        label.setName("event");
        label.setFont(label.getFont().deriveFont(Font.ITALIC, 12f));
        label.setForeground(Theme.secondaryText());
        label.setBorder(BorderFactory.createEmptyBorder(4, 0, 4, 0));
        return label;
    }

    /** Lays the children out as a column: bubbles to their side, everything else centred. */
    private static final class Stack implements LayoutManager {
        @Override
        public void addLayoutComponent(String name, Component comp) {
        }

        @Override
        public void removeLayoutComponent(Component comp) {
        }

        @Override
        public Dimension preferredLayoutSize(Container parent) {
            return new Dimension(parent.getWidth(), place(parent, false));
        }

        @Override
        public Dimension minimumLayoutSize(Container parent) {
            return new Dimension(200, 0);
        }

        @Override
        public void layoutContainer(Container parent) {
            place(parent, true);
        }

        private static int place(Container parent, boolean apply) {
            Insets in = parent.getInsets();
            int width = Math.max(parent.getWidth(), 300);
            int maxBubble = (int) ((width - 2 * SIDE) * 0.7);
            int content = measure(parent, maxBubble, width);
            // a short conversation sits at the bottom, next to the input, as in any messenger
            int visible = parent.getParent() instanceof javax.swing.JViewport v ? v.getHeight() : 0;
            int y = in.top + Math.max(0, visible - content);
            for (Component c : parent.getComponents()) {
                Dimension d;
                int x;
                if (c instanceof Bubble b) {
                    d = b.sizeFor(maxBubble);
                    x = b.line().mine() ? width - SIDE - d.width : SIDE;
                } else {
                    d = new Dimension(width, c.getPreferredSize().height);
                    x = 0;
                }
                if (apply) {
                    c.setBounds(new Rectangle(x, y, d.width, d.height));
                }
                y += d.height + GAP;
            }
            return y + in.bottom;
        }

        private static int measure(Container parent, int maxBubble, int width) {
            Insets in = parent.getInsets();
            int y = in.top;
            for (Component c : parent.getComponents()) {
                y += (c instanceof Bubble b ? b.sizeFor(maxBubble).height : c.getPreferredSize().height) + GAP;
            }
            return y + in.bottom;
        }
    }

    @Override
    public Dimension getPreferredScrollableViewportSize() {
        return getPreferredSize();
    }

    @Override
    public int getScrollableUnitIncrement(Rectangle visible, int orientation, int direction) {
        return 24;
    }

    @Override
    public int getScrollableBlockIncrement(Rectangle visible, int orientation, int direction) {
        return visible.height - 40;
    }

    @Override
    public boolean getScrollableTracksViewportWidth() {
        return true;
    }

    @Override
    public boolean getScrollableTracksViewportHeight() {
        return false;
    }
}
