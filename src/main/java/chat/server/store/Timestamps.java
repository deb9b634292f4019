package chat.server.store;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The seed's `timestamp`: "YYYY-MM-DD HH:MM:SS" in the server's local time. */
public final class Timestamps {

    private static final DateTimeFormatter SEED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Timestamps() {
    }

    public static String format(long epochMillis) {
        return SEED.format(Instant.ofEpochMilli(epochMillis));
    }
}
