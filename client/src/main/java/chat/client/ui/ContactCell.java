package chat.client.ui;

import chat.client.model.ContactEntry;
import chat.client.model.Times;
import chat.client.model.TypingLine;
import chat.protocol.ServerFrame;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Graphics;
import java.awt.RenderingHints;
import java.util.function.LongSupplier;
import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.ListCellRenderer;
import javax.swing.SwingConstants;
import javax.swing.UIManager;

/**
 * A row of the left column: presence dot, name, then "typing…", the last message or "last seen";
 * on the right the time of the last message and the unread badge. The tooltip always tells the
 * presence ("last seen …" too when the last message takes the second line). Also renders search results.
 */
final class ContactCell implements ListCellRenderer<Object> {

    private final Times times;
    private final LongSupplier clock;
    private final JPanel panel = new JPanel(new BorderLayout(10, 0));
    private final Avatar dot = new Avatar();
    private final JLabel name = new JLabel();
    private final JLabel detail = new JLabel();
    private final JLabel when = new JLabel();
    private final Badge badge = new Badge();

    ContactCell(Times times, LongSupplier clock) {
        this.times = times;
        this.clock = clock;
        panel.setBorder(BorderFactory.createEmptyBorder(8, 12, 8, 12));
        JPanel text = new JPanel(new BorderLayout(0, 2));
        text.setOpaque(false);
        name.setFont(name.getFont().deriveFont(Font.BOLD, 14f));
        detail.setFont(Bubble.TEXT.deriveFont(12.5f));
        text.add(name, BorderLayout.NORTH);
        text.add(detail, BorderLayout.SOUTH);
        JPanel side = new JPanel(new BorderLayout(0, 4));
        side.setOpaque(false);
        when.setFont(when.getFont().deriveFont(11f));
        when.setHorizontalAlignment(SwingConstants.RIGHT);
        side.add(when, BorderLayout.NORTH);
        side.add(badge, BorderLayout.EAST);
        panel.add(dot, BorderLayout.WEST);
        panel.add(text, BorderLayout.CENTER);
        panel.add(side, BorderLayout.EAST);
    }

    @Override
    public Component getListCellRendererComponent(JList<?> list, Object value, int index, boolean selected, boolean focus) {
        long now = clock.getAsLong();
        Color fg = selected ? UIManager.getColor("List.selectionForeground") : UIManager.getColor("List.foreground");
        Color secondary = selected ? fg : Theme.secondaryText();
        panel.setBackground(selected ? UIManager.getColor("List.selectionBackground") : UIManager.getColor("List.background"));
        name.setForeground(fg);
        when.setForeground(secondary);
        if (value instanceof ContactEntry e && e.group()) {
            dot.online = false;
            dot.group = true;
            dot.name = e.title();
            name.setText(e.title());
            String typers = TypingLine.text(e.typers());
            if (typers != null) {
                detail.setText(typers);
                detail.setForeground(selected ? fg : Theme.accent());
            } else {
                detail.setText(e.preview() != null ? e.preview() : e.member() ? e.members().size() + " members"
                        : "you are no longer a member");
                detail.setForeground(secondary);
            }
            panel.setToolTipText(e.title() + " — " + e.members().size() + " members");
            when.setText(e.lastActivity() > 0 ? (times.day(e.lastActivity()).equals(times.day(now))
                    ? times.time(e.lastActivity()) : times.dayLabel(e.lastActivity(), now)) : "");
            badge.count = e.unread();
        } else if (value instanceof ContactEntry e) {
            dot.group = false;
            dot.online = e.online();
            dot.name = e.peer();
            name.setText(e.peer());
            String presence = e.online() ? "online" : times.lastSeen(e.lastSeen(), now);
            if (e.typing()) {
                detail.setText("typing…");
                detail.setForeground(selected ? fg : Theme.accent());
            } else {
                detail.setText(e.preview() != null ? e.preview() : presence);
                detail.setForeground(secondary);
            }
            panel.setToolTipText(e.peer() + " — " + presence);
            when.setText(e.lastActivity() > 0 ? (times.day(e.lastActivity()).equals(times.day(now))
                    ? times.time(e.lastActivity()) : times.dayLabel(e.lastActivity(), now)) : "");
            badge.count = e.unread();
        } else if (value instanceof ServerFrame.UserInfo u) {
            dot.group = false;
            boolean online = ServerFrame.ONLINE.equals(u.status());
            dot.online = online;
            dot.name = u.username();
            name.setText(u.username());
            detail.setText(online ? "online — start a conversation" : times.lastSeen(u.lastSeen(), now));
            detail.setForeground(secondary);
            panel.setToolTipText(null);
            when.setText("");
            badge.count = 0;
        }
        // the badge's width follows its count; without this the row keeps the layout of the row
        // drawn before it, and a count after a row without one is drawn zero pixels wide
        badge.invalidate();
        return panel;
    }

    /** A round avatar with the name's initial, in a colour of its own, and a presence dot on its edge. */
    static final class Avatar extends JComponent {
        private static final Color[] COLOURS = {new Color(0x6C5CE7), new Color(0x00A8A8), new Color(0xE17055),
            new Color(0x0984E3), new Color(0xD63384), new Color(0x2D9C5A), new Color(0xB7791F), new Color(0x5F6C7B)};
        boolean online;
        boolean group; // a group's avatar: no presence dot, a rounded square
        String name = "";

        Avatar() {
            setPreferredSize(new Dimension(40, 40));
        }

        @Override
        protected void paintComponent(Graphics g) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int y = (getHeight() - 38) / 2;
            g2.setColor(COLOURS[Math.floorMod(name.hashCode(), COLOURS.length)]);
            if (group) {
                g2.fillRoundRect(0, y, 38, 38, 14, 14);
            } else {
                g2.fillOval(0, y, 38, 38);
            }
            g2.setColor(Color.WHITE);
            g2.setFont(getFont().deriveFont(Font.BOLD, 16f));
            String initial = name.isEmpty() ? "?" : name.substring(0, 1).toUpperCase();
            var fm = g2.getFontMetrics();
            g2.drawString(initial, (38 - fm.stringWidth(initial)) / 2, y + (38 + fm.getAscent() - fm.getDescent()) / 2);
            if (!group) {
                g2.setColor(getParent() != null ? getParent().getBackground() : Color.WHITE);
                g2.fillOval(27, y + 27, 12, 12);
                g2.setColor(online ? Theme.ONLINE : Theme.OFFLINE);
                g2.fillOval(29, y + 29, 8, 8);
            }
            g2.dispose();
        }
    }

    private static final class Badge extends JComponent {
        int count;

        @Override
        public Dimension getPreferredSize() {
            return count == 0 ? new Dimension(0, 18) : new Dimension(Math.max(20, 10 + 8 * String.valueOf(count).length()), 18);
        }

        @Override
        protected void paintComponent(Graphics g) {
            if (count == 0) {
                return;
            }
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setColor(Theme.BADGE);
            g2.fillRoundRect(0, 0, getWidth(), 18, 18, 18);
            g2.setColor(Color.WHITE);
            g2.setFont(getFont().deriveFont(Font.BOLD, 11f));
            String s = count > 999 ? "999+" : String.valueOf(count);
            int w = g2.getFontMetrics().stringWidth(s);
            g2.drawString(s, (getWidth() - w) / 2, 13);
            g2.dispose();
        }
    }
}
