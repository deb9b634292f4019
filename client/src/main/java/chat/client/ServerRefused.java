package chat.client;

/** A request the server answered with an error (a failed login, a refused registration, an error frame). */
public final class ServerRefused extends Exception {

    private final String code;

    public ServerRefused(String code, String message) {
        super(message == null ? code : message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
