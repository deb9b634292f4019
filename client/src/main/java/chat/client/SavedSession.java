package chat.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * "Remember me": the server, the username and the reconnect token — never the password — in the
 * user's config directory ($XDG_CONFIG_HOME/chat-client or ~/.config/chat-client), in a file only
 * the user can read.
 */
public record SavedSession(String host, int port, String username, String token) {

    @Override
    public String toString() {
        return "SavedSession[" + username + "@" + host + ":" + port + "]";
    }

    public static Path defaultFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("chat-client").resolve("session.properties");
    }

    public static Optional<SavedSession> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            return Optional.of(new SavedSession(p.getProperty("host"), Integer.parseInt(p.getProperty("port")),
                    p.getProperty("username"), p.getProperty("token")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: as if nothing were remembered
        }
    }

    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("username", username);
        p.setProperty("token", token);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "chat client: signed-in session (a revocable token, not the password)");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static void forget(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing useful to do: the token is revoked at sign-out anyway
        }
    }
}
