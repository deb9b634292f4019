package chat.client.ui;

import java.awt.AWTException;
import java.awt.Image;
import java.awt.SystemTray;
import java.awt.Taskbar;
import java.awt.TrayIcon;
import java.awt.Window;
import java.awt.image.BufferedImage;

/**
 * Draws the user's eye to a message in a conversation not in view: a tray notification where the
 * desktop has a tray, otherwise the taskbar's attention request, where the platform supports either.
 */
final class Attention {

    private TrayIcon tray;
    private boolean trayTried;

    void notify(Window window, String from, String text) {
        if (trayIcon() != null) {
            tray.displayMessage("Message from " + from, text.length() > 120 ? text.substring(0, 119) + "…" : text,
                    TrayIcon.MessageType.NONE);
        } else if (Taskbar.isTaskbarSupported()
                && Taskbar.getTaskbar().isSupported(Taskbar.Feature.USER_ATTENTION_WINDOW)) {
            Taskbar.getTaskbar().requestWindowUserAttention(window);
        }
    }

    void dispose() {
        if (tray != null) {
            SystemTray.getSystemTray().remove(tray);
            tray = null;
        }
    }

    private TrayIcon trayIcon() {
        if (!trayTried) {
            trayTried = true;
            if (SystemTray.isSupported()) {
                try {
                    tray = new TrayIcon(icon(), "Chat");
                    tray.setImageAutoSize(true);
                    SystemTray.getSystemTray().add(tray);
                } catch (AWTException | UnsupportedOperationException e) {
                    tray = null;
                }
            }
        }
        return tray;
    }

    private static Image icon() {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
        var g = img.createGraphics();
        g.setColor(Theme.accent());
        g.fillOval(0, 0, 16, 16);
        g.dispose();
        return img;
    }
}
