package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.testing.DevCertificate;
import chat.server.testing.TestNode;
import chat.server.testing.WireClient;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional TLS listener beside the plain one: same protocol, same users, an encrypted wire. */
class TlsEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void aTlsClientAndAPlainClientTalk() throws Exception {
        DevCertificate cert = DevCertificate.create(dir);
        try (TestNode node = TestNode.start(dir.resolve("data"), Map.of(
                "chat.server.tls.enabled", true, "chat.server.tls.port", 0,
                "chat.server.tls.keystore", cert.keystore.toString(),
                "chat.server.tls.keystore-password", DevCertificate.PASSWORD))) {
            int tlsPort = node.node().tlsAddress().getPort();
            WireClient secure = WireClient.connectTls(tlsPort, cert.clientContext());
            secure.register("alice", "correct horse");
            secure.login2("alice", "correct horse");
            secure.expect("replay_done");

            WireClient plain = node.connect();
            plain.register("bob", "correct horse");
            plain.login2("bob", "correct horse");
            plain.expect("replay_done");

            secure.send("message", "id", "t1", "receiver", "bob", "content", "over TLS 🔒");
            assertThat(secure.expect("message_ack").path("id").asText()).isEqualTo("t1");
            assertThat(plain.expect("message").path("content").asText()).isEqualTo("over TLS 🔒");
            plain.send("message", "receiver", "alice", "content", "back in the clear");
            assertThat(secure.expect("message").path("content").asText()).isEqualTo("back in the clear");

            // a client that does not trust the certificate cannot connect
            assertThatThrownBy(() -> WireClient.connectTls(tlsPort, SSLContext.getDefault()))
                    .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }
}
