package chat.client.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How times read in the window: bubble times, day separators, "last seen". */
public final class Times {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE, d MMMM", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_YEAR = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    private final ZoneId zone;

    public Times(ZoneId zone) {
        this.zone = zone;
    }

    public String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    public LocalDate day(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
    }

    /** "Today", "Yesterday", "Monday, 24 November", or with the year when it is not this year. */
    public String dayLabel(long epochMillis, long nowMillis) {
        LocalDate day = day(epochMillis);
        LocalDate today = day(nowMillis);
        if (day.equals(today)) {
            return "Today";
        }
        if (day.equals(today.minusDays(1))) {
            return "Yesterday";
        }
        return day.getYear() == today.getYear() ? DAY.format(day) : DAY_YEAR.format(day);
    }

    public String lastSeen(Long lastSeen, long nowMillis) {
        if (lastSeen == null) {
            return "offline";
        }
        long minutes = (nowMillis - lastSeen) / 60_000;
        if (minutes < 1) {
            return "last seen just now";
        }
        if (minutes < 60) {
            return "last seen " + minutes + " min ago";
        }
        ZonedDateTime seen = Instant.ofEpochMilli(lastSeen).atZone(zone);
        long days = ChronoUnit.DAYS.between(day(lastSeen), day(nowMillis));
        if (days == 0) {
            return "last seen today at " + TIME.format(seen);
        }
        if (days == 1) {
            return "last seen yesterday at " + TIME.format(seen);
        }
        return "last seen " + dayLabel(lastSeen, nowMillis);
    }
}
