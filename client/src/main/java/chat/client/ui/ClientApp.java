package chat.client.ui;

import chat.client.SavedSession;
import chat.client.TrustStores;
import java.awt.Window;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.Optional;
import javax.swing.SwingUtilities;

/**
 * {@code java -jar chat-client.jar [--host H] [--port P] [--tls] [--trust-store FILE]} — the desktop client.
 *
 * Opens the sign-in window (or, with a remembered session, signs straight in with its token).
 */
public final class ClientApp {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 12346;
    static final int DEFAULT_TLS_PORT = 12347;
    private static final String USAGE =
            "usage: java -jar chat-client.jar [--host H] [--port P] [--tls] [--trust-store FILE] [--trust-store-password PW]";

    /** What closing the last window does: the program ends ({@link #main}); in tests, nothing. */
    static volatile Runnable lastWindowClosed = () -> { };

    /** --tls: how to connect securely (null: plain TCP, the default). */
    static volatile SSLContext tls;

    private ClientApp() {
    }

    /** A window of the app was closed: the app ends with its last one (signing out opens the sign-in window first). */
    static void windowClosed() {
        for (Window w : Window.getWindows()) {
            if (w.isVisible()) {
                return;
            }
        }
        lastWindowClosed.run();
    }

    public static void main(String[] args) {
        String host = DEFAULT_HOST;
        int port = -1;
        boolean fromFlags = false;
        boolean useTls = false;
        Path trustStore = null;
        String trustPassword = "changeit";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> {
                    host = value(args, ++i);
                    fromFlags = true;
                }
                case "--port" -> {
                    port = port(value(args, ++i));
                    fromFlags = true;
                }
                case "--tls" -> useTls = true;
                case "--trust-store" -> {
                    trustStore = Path.of(value(args, ++i));
                    useTls = true;
                }
                case "--trust-store-password" -> trustPassword = value(args, ++i);
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> fail("unknown option " + args[i]);
            }
        }
        if (port < 0) {
            port = useTls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        }
        if (useTls) {
            try {
                tls = trustStore == null ? TrustStores.systemDefault() : TrustStores.from(trustStore, trustPassword.toCharArray());
            } catch (IOException | GeneralSecurityException e) {
                fail("cannot use the trust store " + trustStore + ": " + e.getMessage());
            }
        }
        Path sessionFile = SavedSession.defaultFile();
        Path settingsFile = sessionFile.resolveSibling("settings.properties");
        boolean dark = Theme.savedDark(settingsFile);
        Optional<SavedSession> saved = SavedSession.load(sessionFile);
        if (fromFlags) { // explicit flags choose the server; a remembered session elsewhere does not apply
            String h = host;
            int p = port;
            saved = saved.filter(s -> s.host().equals(h) && s.port() == p);
        }
        String startHost = host;
        int startPort = port;
        Optional<SavedSession> remembered = saved;
        lastWindowClosed = () -> System.exit(0);
        SwingUtilities.invokeLater(() -> {
            Theme.apply(dark);
            new SignInWindow(new SignInWindow.Files(sessionFile, settingsFile), startHost, startPort, remembered).show();
        });
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail("missing value after " + args[i - 1]);
        }
        return args[i];
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p > 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        fail("--port must be a number from 1 to 65535, not '" + s + "'");
        return -1;
    }

    private static void fail(String message) {
        System.err.println("chat-client: " + message);
        System.err.println(USAGE);
        System.exit(2);
    }
}
