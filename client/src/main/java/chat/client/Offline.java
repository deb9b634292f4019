package chat.client;

/** The request needs the server and there is no connection right now (or it was lost before the answer). */
public final class Offline extends Exception {
    public Offline(String message) {
        super(message);
    }
}
