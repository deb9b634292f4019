package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.accounts.Passwords;
import chat.server.testing.NodeProcess;
import chat.server.testing.WireClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of registrations, logins (good, bad, by token) and logouts with DEBUG logging: no password,
 * token, password hash or token hash in the output.
 */
class SecretsNeverLoggedTest {

    @TempDir
    Path dir;

    @Test
    void passwordsAndTokensNeverReachTheLog() throws Exception {
        Path logback = dir.resolve("logback-debug.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %-5level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> secrets = new ArrayList<>();
        NodeProcess node = NodeProcess.start(dir.resolve("data"), Map.of("pekko.loglevel", "DEBUG",
                "chat.pekko.loglevel", "DEBUG"), "-Dlogback.configurationFile=" + logback);
        try {
            for (int i = 0; i < 3; i++) {
                String password = "Sekr3t-passw0rd-" + i + "-zebra";
                secrets.add(password);
                WireClient c = node.connect();
                c.register("user" + i, password);
                c.send("login", "username", "user" + i, "password", "wrong-" + password, "version", 2);
                secrets.add("wrong-" + password);
                c.expect("login_response");
                String token = c.login2("user" + i, password).path("token").asText();
                secrets.add(token);
                c.expect("replay_done");
                WireClient byToken = node.connect();
                byToken.send("login", "username", "user" + i, "token", token, "version", 2);
                byToken.expect("login_response");
                byToken.send("logout");
                byToken.expectClosed();
            }
        } finally {
            node.terminate();
        }
        for (String token : List.copyOf(secrets)) {
            secrets.add(Passwords.tokenHash(token)); // what the store keeps of a token
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("chat.db"));
             ResultSet hashes = db.createStatement().executeQuery("SELECT password_hash FROM users")) {
            while (hashes.next()) {
                String stored = hashes.getString(1);
                secrets.add(stored);
                secrets.add(stored.substring(stored.lastIndexOf('$') + 1)); // the hash without its parameters
            }
        }
        String log = String.join("\n", node.output());
        assertThat(log).as("the run did log (at DEBUG)").contains("listening on").contains("user [user0]");
        for (String secret : secrets) {
            assertThat(log).as("the log").doesNotContain(secret);
        }
    }
}
