package chat.client.ui;

import chat.client.model.ChatLine;
import chat.client.model.Tick;
import java.awt.BorderLayout;
import java.util.function.Consumer;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextArea;
import javax.swing.SwingConstants;

/**
 * One message as a speech bubble: mine on the right in the accent colour, theirs on the left; in a
 * group theirs start with the sender's name in the sender's colour, and mine offer "Delivered to / Read by…".
 */
final class Bubble extends JPanel {

    /** A logical font: Java falls back through it to whatever font has the glyph (emoji included). */
    static final Font TEXT = new Font(Font.DIALOG, Font.PLAIN, 14);
    private static final int PAD = 8;
    private static final int ARC = 14;

    private final ChatLine line;
    private final JTextArea text = new JTextArea();
    private final JLabel footer = new JLabel();

    private final JLabel sender = new JLabel();

    Bubble(ChatLine line, String time) {
        this(line, time, false, null);
    }

    /** `details` (for a group): asked when the user wants to know who has one of their messages. */
    Bubble(ChatLine line, String time, boolean group, Consumer<ChatLine> details) {
        super(new BorderLayout(0, 2));
        this.line = line;
        setOpaque(false);
        setBorder(BorderFactory.createEmptyBorder(PAD - 2, PAD + 2, PAD - 4, PAD + 2));
        text.setText(line.content());
        text.setFont(TEXT);
        text.setEditable(false);
        text.setLineWrap(true);
        text.setWrapStyleWord(true);
        text.setOpaque(false);
        text.setBorder(null);
        text.setForeground(Theme.bubbleText());
        footer.setText(time);
        footer.setFont(footer.getFont().deriveFont(11f));
        footer.setForeground(Theme.secondaryText());
        footer.setHorizontalAlignment(SwingConstants.RIGHT);
        footer.setHorizontalTextPosition(SwingConstants.LEFT);
        if (line.mine()) {
            footer.setIcon(new TickIcon(line.tick(), Theme.secondaryText()));
            footer.setName("tick-" + line.tick().name().toLowerCase());
        }
        if (line.tick() == Tick.FAILED && line.problem() != null) {
            setToolTipText("Not sent: " + line.problem());
        }
        setName("bubble");
        if (group && !line.mine()) {
            sender.setText(line.sender());
            sender.setName("sender");
            sender.setFont(footer.getFont().deriveFont(Font.BOLD, 12f));
            sender.setForeground(Theme.senderColour(line.sender()));
            add(sender, BorderLayout.NORTH);
        }
        if (details != null && line.mine() && line.msgId() > 0) {
            JPopupMenu menu = new JPopupMenu();
            JMenuItem item = new JMenuItem("Delivered to / Read by…");
            item.setName("messageInfo");
            item.addActionListener(e -> details.accept(line));
            menu.add(item);
            setComponentPopupMenu(menu);
            text.setComponentPopupMenu(menu);
        }
        add(text, BorderLayout.CENTER);
        add(footer, BorderLayout.SOUTH);
    }

    ChatLine line() {
        return line;
    }

    /** The size this bubble wants when it may be at most `maxWidth` wide. */
    Dimension sizeFor(int maxWidth) {
        FontMetrics fm = text.getFontMetrics(TEXT);
        int natural = 0;
        for (String l : line.content().split("\n", -1)) {
            natural = Math.max(natural, fm.stringWidth(l));
        }
        natural += 6; // glyphs from fallback fonts (emoji) can be wider than the metrics of the logical font say
        int chrome = 2 * (PAD + 2) + 2;
        int width = Math.min(maxWidth, Math.max(natural + chrome, footer.getPreferredSize().width + chrome));
        text.setSize(width - chrome, Short.MAX_VALUE); // lets the text area wrap to this width
        int named = sender.getText().isEmpty() ? 0 : sender.getPreferredSize().height + 2;
        if (named > 0) {
            width = Math.min(maxWidth, Math.max(width, sender.getPreferredSize().width + chrome));
            text.setSize(width - chrome, Short.MAX_VALUE);
        }
        int height = named + text.getPreferredSize().height + footer.getPreferredSize().height + (PAD - 2) + (PAD - 4) + 2;
        return new Dimension(width, height);
    }

    @Override
    protected void paintComponent(Graphics g) {
        Graphics2D g2 = (Graphics2D) g.create();
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setColor(line.mine() ? Theme.mineBubble() : Theme.theirBubble());
        g2.fillRoundRect(0, 0, getWidth() - 1, getHeight() - 1, ARC, ARC);
        if (!sender.getText().isEmpty()) { // the sender's colour down the bubble's edge, as on their name
            g2.setColor(sender.getForeground());
            g2.fillRoundRect(0, 4, 3, getHeight() - 9, 3, 3);
        }
        g2.dispose();
        super.paintComponent(g);
    }
}
