package chat.client;

/** Where the client's connection stands, as the UI's banner shows it. */
public sealed interface ConnectionState {

    /** Not signed in (or signed out): nothing to do until the user signs in. */
    record SignedOut() implements ConnectionState {
    }

    /** Opening the connection and logging in. */
    record Connecting() implements ConnectionState {
    }

    /** Logged in; messages flow. */
    record Online(String username) implements ConnectionState {
    }

    /** The connection was lost; the next attempt is at `retryAtMillis` (epoch ms). */
    record Reconnecting(long retryAtMillis, int attempt, String reason) implements ConnectionState {
    }

    /** The server no longer accepts the saved token, or another login took over: the user must sign in again. */
    record SignInRequired(String reason) implements ConnectionState {
    }
}
