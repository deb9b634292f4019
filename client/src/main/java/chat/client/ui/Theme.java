package chat.client.ui;

import chat.client.model.SenderColours;
import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.UIManager;

/** Light or dark (FlatLaf), the colours of bubbles and badges in each, and the saved choice. */
final class Theme {

    static final Color ONLINE = new Color(0x2EB85C);
    static final Color OFFLINE = new Color(0x9AA0A6);
    static final Color READ_TICK = new Color(0x34B7F1);
    static final Color BADGE = new Color(0x25A35A);
    static final Color WARNING = new Color(0xF2C94C);
    static final Color ERROR = new Color(0xE5534B);
    static final Color OK = new Color(0x2EB85C);

    private static boolean dark;

    private Theme() {
    }

    static boolean dark() {
        return dark;
    }

    static void apply(boolean useDark) {
        dark = useDark;
        // FlatLaf draws the title bars itself: the same look on every desktop (and in screenshots)
        JFrame.setDefaultLookAndFeelDecorated(true);
        JDialog.setDefaultLookAndFeelDecorated(true);
        FlatLaf.setup(useDark ? new FlatDarkLaf() : new FlatLightLaf());
        UIManager.put("Component.arc", 10);
        UIManager.put("TextComponent.arc", 10);
        UIManager.put("Button.arc", 10);
        UIManager.put("ScrollBar.width", 10);
        UIManager.put("ScrollBar.thumbArc", 999);
        UIManager.put("defaultFont", UIManager.getFont("defaultFont").deriveFont(Font.PLAIN, 14f));
    }

    static void toggle() {
        apply(!dark);
        FlatLaf.updateUI();
    }

    static Color mineBubble() {
        return dark ? new Color(0x005C4B) : new Color(0xD9FDD3);
    }

    static Color theirBubble() {
        return dark ? new Color(0x202C33) : Color.WHITE;
    }

    static Color chatBackground() {
        return dark ? new Color(0x0B141A) : new Color(0xEFEAE2);
    }

    static Color secondaryText() {
        return dark ? new Color(0x8696A0) : new Color(0x667781);
    }

    static Color bubbleText() {
        return dark ? new Color(0xE9EDEF) : new Color(0x111B21);
    }

    /** A group member's name colour: the same for a name everywhere, readable on either theme's bubble. */
    static Color senderColour(String sender) {
        Color[] palette = dark ? SENDERS_DARK : SENDERS_LIGHT;
        return palette[SenderColours.index(sender, palette.length)];
    }

    private static final Color[] SENDERS_LIGHT = {new Color(0x1F7AEC), new Color(0xC2185B), new Color(0x2E7D32),
        new Color(0x8E24AA), new Color(0xD84315), new Color(0x00838F), new Color(0x6D4C41), new Color(0x3949AB)};
    private static final Color[] SENDERS_DARK = {new Color(0x53BDEB), new Color(0xF48FB1), new Color(0x81C784),
        new Color(0xCE93D8), new Color(0xFFAB91), new Color(0x4DD0E1), new Color(0xBCAAA4), new Color(0x9FA8DA)};

    static Color accent() {
        return dark ? new Color(0x00A884) : new Color(0x008069);
    }

    // ---- the saved choice ----

    static boolean savedDark(Path settings) {
        Properties p = new Properties();
        if (Files.isRegularFile(settings)) {
            try (InputStream in = Files.newInputStream(settings)) {
                p.load(in);
            } catch (IOException ignored) {
                // no preference then
            }
        }
        return Boolean.parseBoolean(p.getProperty("dark", "false"));
    }

    /** Called off the EDT: it writes a file. */
    static void save(Path settings, boolean useDark) {
        Properties p = new Properties();
        p.setProperty("dark", Boolean.toString(useDark));
        try {
            Files.createDirectories(settings.getParent());
            try (OutputStream out = Files.newOutputStream(settings)) {
                p.store(out, "chat client settings");
            }
        } catch (IOException ignored) {
            // the theme is a convenience: not worth an error dialog
        }
    }
}
