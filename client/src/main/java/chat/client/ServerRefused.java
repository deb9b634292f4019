package chat.client;

/** A request the server answered with an error (a failed login, a refused registration, an error frame). */
public final class ServerRefused extends Exception {

    private final String code;
    private final long retryAfterMillis;

    public ServerRefused(String code, String message) {
        this(code, message, 0);
    }

    /** `retryAfterMillis`: how long a busy server asked to wait before trying again (0: it did not say). */
    public ServerRefused(String code, String message, long retryAfterMillis) {
        super(message == null ? code : message);
        this.code = code;
        this.retryAfterMillis = retryAfterMillis;
    }

    public String code() {
        return code;
    }

    /** The server's `retry_after_ms` (0 if it gave none). */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
