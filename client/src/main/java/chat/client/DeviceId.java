package chat.client;

import chat.protocol.DeviceIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.UUID;

/**
 * This installation as the server knows it (level 3): a device id made once, at the first start,
 * and kept beside the saved session, so every later login (and every token, which belongs to one
 * device) names the same device; and the name people see in the device list, which they may edit.
 * A lost or unreadable file makes a new device: the old one is then forgotten by the server in time.
 */
public record DeviceId(String id, String name) {

    public DeviceId {
        if (!DeviceIds.valid(id)) {
            throw new IllegalArgumentException("a device id is 1-64 chars of [A-Za-z0-9_.-]");
        }
        name = DeviceIds.cleanName(name);
    }

    /** `device.properties` beside the session file. */
    public static Path fileBeside(Path sessionFile) {
        return sessionFile.resolveSibling("device.properties");
    }

    /** The device of this installation: read from `file`, or made (and written) if there is none yet. */
    public static DeviceId loadOrCreate(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException unreadable) {
                p.clear(); // made anew below
            }
        }
        String id = p.getProperty("device");
        if (DeviceIds.valid(id)) {
            return new DeviceId(id, p.getProperty("name", defaultName()));
        }
        DeviceId made = new DeviceId(newId(), p.getProperty("name", defaultName()));
        made.save(file);
        return made;
    }

    /** The same device under another name (what the sign-in window's field says). */
    public DeviceId named(String newName) {
        return new DeviceId(id, newName);
    }

    public void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Properties p = new Properties();
        p.setProperty("device", id);
        if (name != null) {
            p.setProperty("name", name);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "chat client: this installation's device (made once; a new id is a new device)");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** 32 hex digits of randomness: no two installations meet, and nothing about the machine is in it. */
    public static String newId() {
        return "d-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The host's name, as people call their computers; "This computer" when it cannot be found. */
    public static String defaultName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return host == null || host.isBlank() ? "This computer" : host;
        } catch (IOException e) {
            return "This computer";
        }
    }
}
