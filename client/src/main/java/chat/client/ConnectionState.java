package chat.client;

/** Where the client's connection stands, as the UI's banner shows it. */
public sealed interface ConnectionState {

    /** Why the client is waiting to reconnect. */
    enum Cause {
        /** The network failed, the server closed the connection or could not be reached. */
        LOST,
        /** The server is overloaded: it answered `rate_limited` and asked to wait (`retry_after_ms`). */
        SERVER_BUSY,
        /** The server sent a line too long to read; the client closed the connection. */
        LINE_TOO_LONG,
        /** The user is online on as many devices as the server allows (`too_many_devices`): this one waits its turn. */
        TOO_MANY_DEVICES
    }

    /** Not signed in (or signed out): nothing to do until the user signs in. */
    record SignedOut() implements ConnectionState {
    }

    /** Opening the connection and logging in. */
    record Connecting() implements ConnectionState {
    }

    /** Logged in; messages flow. */
    record Online(String username) implements ConnectionState {
    }

    /** Not connected; the next attempt is at `retryAtMillis` (epoch ms). `reason` says what happened, for people. */
    record Reconnecting(long retryAtMillis, int attempt, Cause cause, String reason) implements ConnectionState {
    }

    /** The server no longer accepts the saved token, or another login took over: the user must sign in again. */
    record SignInRequired(String reason) implements ConnectionState {
    }
}
