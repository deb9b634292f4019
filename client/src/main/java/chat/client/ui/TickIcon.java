package chat.client.ui;

import chat.client.model.Tick;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import javax.swing.Icon;

/**
 * The tick marks, drawn rather than taken from a font so they look the same everywhere: a clock
 * (waiting in the outbox), ✓ (stored), ✓✓ (delivered), ✓✓ in colour (read), ! (refused).
 */
final class TickIcon implements Icon {

    private final Tick tick;
    private final Color ink;

    TickIcon(Tick tick, Color ink) {
        this.tick = tick;
        this.ink = ink;
    }

    @Override
    public int getIconWidth() {
        return 18;
    }

    @Override
    public int getIconHeight() {
        return 12;
    }

    @Override
    public void paintIcon(Component c, Graphics g, int x, int y) {
        Graphics2D g2 = (Graphics2D) g.create();
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.translate(x, y);
        g2.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        switch (tick) {
            case PENDING -> {
                g2.setColor(ink);
                g2.drawOval(4, 1, 10, 10);
                g2.drawLine(9, 3, 9, 6);
                g2.drawLine(9, 6, 11, 8);
            }
            case SENT -> check(g2, 5, ink);
            case DELIVERED -> {
                check(g2, 1, ink);
                check(g2, 6, ink);
            }
            case READ -> {
                check(g2, 1, Theme.READ_TICK);
                check(g2, 6, Theme.READ_TICK);
            }
            case FAILED -> {
                g2.setColor(Theme.ERROR);
                g2.drawOval(4, 0, 11, 11);
                g2.drawLine(9, 3, 9, 7);
                g2.fillOval(8, 8, 2, 2);
            }
        }
        g2.dispose();
    }

    private static void check(Graphics2D g2, int dx, Color color) {
        g2.setColor(color);
        Path2D p = new Path2D.Float();
        p.moveTo(dx + 1, 6);
        p.lineTo(dx + 4, 9);
        p.lineTo(dx + 10, 2);
        g2.draw(p);
    }
}
