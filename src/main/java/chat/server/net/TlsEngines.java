package chat.server.net;

import chat.server.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/** Server-side TLS engines from the configured keystore: TLS 1.3 and 1.2 only. */
final class TlsEngines {

    private TlsEngines() {
    }

    static Supplier<SSLEngine> fromKeystore(Settings.Tls tls) {
        SSLContext context;
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            char[] password = tls.keystorePassword().toCharArray();
            KeyStore keys = KeyStore.getInstance(tls.keystoreType());
            keys.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the TLS keystore " + tls.keystore() + ": " + e.getMessage(), e);
        }
        return () -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return engine;
        };
    }
}
