package chat.client.ui;

import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import chat.client.model.ContactEntry;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JList;
import javax.swing.SwingUtilities;

/** Finding components, reading them on the EDT, waiting for what the screen should show, capturing windows. */
final class Ui {

    private Ui() {
    }

    static <T> T onEdt(Callable<T> read) {
        AtomicReference<T> value = new AtomicReference<>();
        AtomicReference<Exception> error = new AtomicReference<>();
        try {
            SwingUtilities.invokeAndWait(() -> {
                try {
                    value.set(read.call());
                } catch (Exception e) {
                    error.set(e);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (error.get() != null) {
            throw new IllegalStateException(error.get());
        }
        return value.get();
    }

    static void onEdt(Runnable action) {
        onEdt(() -> {
            action.run();
            return null;
        });
    }

    /** Waits (with a deadline) until `condition`, evaluated on the EDT, holds. */
    static void await(String what, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(onEdt(condition))) {
                return;
            }
            pause(20);
        }
        throw new AssertionError("the screen never showed: " + what + screenshot(what));
    }

    /** The whole screen as it was when a wait failed, in target/gui-failures/ (what the test waited for is its name). */
    private static String screenshot(String what) {
        try {
            var screen = new java.awt.Rectangle(java.awt.Toolkit.getDefaultToolkit().getScreenSize());
            BufferedImage img = new java.awt.Robot().createScreenCapture(screen);
            Path png = Path.of("target", "gui-failures", what.replaceAll("[^A-Za-z0-9]+", "-") + ".png");
            Files.createDirectories(png.getParent());
            ImageIO.write(img, "png", png.toFile());
            return " (the screen then: " + png.toAbsolutePath() + ")";
        } catch (Exception | java.awt.AWTError e) {
            return "";
        }
    }

    static List<Component> all(Container root, Predicate<Component> which) {
        List<Component> out = new ArrayList<>();
        collect(root, which, out);
        return out;
    }

    private static void collect(Container c, Predicate<Component> which, List<Component> out) {
        for (Component child : c.getComponents()) {
            if (which.test(child)) {
                out.add(child);
            }
            if (child instanceof Container cc) {
                collect(cc, which, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Component> T named(Container root, String name) {
        List<Component> found = all(root, c -> name.equals(c.getName()));
        if (found.isEmpty() && root instanceof javax.swing.RootPaneContainer rpc && rpc.getRootPane().getJMenuBar() != null) {
            for (var menu : rpc.getRootPane().getJMenuBar().getSubElements()) { // menu items live in popups
                for (var item : ((javax.swing.JMenu) menu).getMenuComponents()) {
                    if (name.equals(item.getName())) {
                        found.add(item);
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw new AssertionError("no component named " + name);
        }
        return (T) found.get(0);
    }

    static JDialog dialogTitled(String title) {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && d.isShowing() && title.equals(d.getTitle())) {
                return d;
            }
        }
        return null;
    }

    /**
     * The showing dialog titled `title` once it has the focus, or null. Swing calls a dialog showing
     * before the X server has mapped it; a robot's click sent then lands on the window below. The
     * focus comes only once it is mapped.
     */
    static JDialog focusedDialogTitled(String title) {
        JDialog d = dialogTitled(title);
        return d != null && d.isFocused() ? d : null;
    }

    /** The row of the group named `title` in the window's conversation list, or -1. */
    static int groupRow(JFrame frame, String title) {
        return row(frame, e -> e.group() && title.equals(e.title()));
    }

    /** The row of the one-to-one conversation with `peer` in the window's conversation list, or -1. */
    static int peerRow(JFrame frame, String peer) {
        return row(frame, e -> !e.group() && peer.equals(e.peer()));
    }

    private static int row(JFrame frame, Predicate<ContactEntry> which) {
        JList<?> list = named(frame, "contacts");
        for (int i = 0; i < list.getModel().getSize(); i++) {
            if (list.getModel().getElementAt(i) instanceof ContactEntry e && which.test(e)) {
                return i;
            }
        }
        return -1;
    }

    static JFrame frameTitled(Predicate<String> title) {
        for (Window w : Window.getWindows()) {
            if (w instanceof JFrame f && f.isShowing() && title.test(f.getTitle())) {
                return f;
            }
        }
        return null;
    }

    /** Paints a window (title bar included, when FlatLaf draws it) into a PNG. */
    static void capture(Window window, Path png) {
        onEdt(() -> {
            BufferedImage img = new BufferedImage(window.getWidth(), window.getHeight(), BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            window.paint(g);
            g.dispose();
            try {
                Files.createDirectories(png.getParent());
                ImageIO.write(img, "png", png.toFile());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
