package chat.client;

import chat.server.ChatNode;
import chat.server.NodeConfig;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real chat node in the test JVM, on a given port (0: any) with its store in a temp directory. */
final class LocalNode {

    private LocalNode() {
    }

    static ChatNode start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    static ChatNode start(Path dataDir, int port, Map<String, Object> more) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of(
                "chat.server.port", port,
                "chat.store.data-dir", dataDir.toString(),
                "chat.auth.pbkdf2-iterations", 1000, "pekko.management.http.port", 0));
        settings.putAll(more);
        return ChatNode.start(NodeConfig.build(ConfigFactory.parseMap(settings), ConfigFactory.empty()), Duration.ofSeconds(60));
    }

    /** A self-signed certificate for 127.0.0.1 (keytool, as the README shows); returns {keystore, truststore}. */
    static Path[] devCertificate(Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        Path trust = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "chat", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-alias", "chat", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-rfc", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "chat", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trust.toString(), "-storepass", "changeit");
        return new Path[] {keystore, trust};
    }

    private static void keytool(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
