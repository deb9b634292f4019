package chat.client.ui;

import chat.client.ConnectionState;
import chat.client.model.Banner;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Font;
import java.util.function.LongSupplier;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingConstants;

/**
 * The strip across the top of the main window: what the connection is doing ("Connection lost —
 * reconnecting in 7 s", "Server busy — …"), with Retry now while the client waits to reconnect.
 * "Connected" shows for a moment after a (re)connection, then gets out of the way. EDT only.
 */
final class ConnectionBanner {

    private static final long CONNECTED_SHOWS_MS = 3_000;

    private final JPanel panel = new JPanel(new BorderLayout(8, 0));
    private final JLabel text = new JLabel(" ", SwingConstants.CENTER);
    private final JButton retryNow = new JButton("Retry now");
    private final LongSupplier clock;
    private ConnectionState state = new ConnectionState.Connecting();
    private long onlineSince;

    ConnectionBanner(Runnable retry, LongSupplier clock) {
        this.clock = clock;
        text.setName("banner");
        text.setFont(text.getFont().deriveFont(Font.BOLD, 12.5f));
        retryNow.setName("retryNow");
        retryNow.setFocusable(false);
        retryNow.addActionListener(e -> retry.run());
        panel.setBorder(BorderFactory.createEmptyBorder(3, 10, 3, 6));
        panel.add(text, BorderLayout.CENTER);
        panel.add(retryNow, BorderLayout.EAST);
    }

    JComponent component() {
        return panel;
    }

    /** The state the connection is in when the window opens: no "Connected" flash for a sign-in just made. */
    void opened(ConnectionState current) {
        state = current;
        refresh();
    }

    /** The connection's new state. */
    void show(ConnectionState next) {
        if (next instanceof ConnectionState.Online) {
            onlineSince = clock.getAsLong();
        }
        state = next;
        refresh();
    }

    /** Redraws: the countdown moves on, "Connected" goes away, the theme may have changed. */
    void refresh() {
        long now = clock.getAsLong();
        Banner b = Banner.of(state, now);
        panel.setVisible(b.level() != Banner.Level.OK || now - onlineSince < CONNECTED_SHOWS_MS);
        text.setText(b.text());
        panel.setBackground(switch (b.level()) {
            case OK -> Theme.OK;
            case WARNING -> Theme.WARNING;
            case ERROR -> Theme.ERROR;
        });
        text.setForeground(b.level() == Banner.Level.WARNING ? new Color(0x3A2E00) : Color.WHITE);
        retryNow.setVisible(state instanceof ConnectionState.Reconnecting);
    }
}
