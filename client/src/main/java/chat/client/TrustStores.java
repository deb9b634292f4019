package chat.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts for the client: the JDK's trusted authorities, or exactly the certificates of a trust store. */
public final class TrustStores {

    private TrustStores() {
    }

    public static SSLContext systemDefault() throws GeneralSecurityException {
        return SSLContext.getDefault();
    }

    /** Trusts the certificates in `file` (PKCS12 or JKS), for a server with a self-signed or private certificate. */
    public static SSLContext from(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(file)) {
            trust.load(in, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
