package chat.server.store;

/** The store cannot be opened or written: a full disk, a read-only file, a locked database. */
public final class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
