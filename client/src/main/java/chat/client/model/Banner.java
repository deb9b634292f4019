package chat.client.model;

import chat.client.ConnectionState;

/** The connection banner across the top of the window: what it says and how loudly. */
public record Banner(Level level, String text) {

    public enum Level { OK, WARNING, ERROR }

    public static Banner of(ConnectionState state, long nowMillis) {
        if (state instanceof ConnectionState.Online) {
            return new Banner(Level.OK, "Connected");
        } else if (state instanceof ConnectionState.Connecting) {
            return new Banner(Level.WARNING, "Connecting…");
        } else if (state instanceof ConnectionState.Reconnecting r) {
            String what = switch (r.cause()) {
                case LOST -> "Connection lost";
                case SERVER_BUSY -> "Server busy";
                case LINE_TOO_LONG -> "The server sent a message too large to read";
                case TOO_MANY_DEVICES -> "Too many devices"; // said above
            };
            long seconds = Math.max(0, (r.retryAtMillis() - nowMillis + 999) / 1000);
            if (r.cause() == ConnectionState.Cause.TOO_MANY_DEVICES) {
                return new Banner(Level.WARNING, "You are signed in on too many devices — trying again "
                        + (seconds == 0 ? "now" : "in " + seconds + " s") + ". Sign one out in Chat → Devices… on another.");
            }
            return new Banner(Level.WARNING, seconds == 0 ? what + " — reconnecting…"
                    : what + " — reconnecting in " + seconds + " s. Messages you write will be sent then.");
        } else if (state instanceof ConnectionState.SignInRequired s) {
            return new Banner(Level.ERROR, s.reason());
        }
        return new Banner(Level.ERROR, "Offline");
    }
}
