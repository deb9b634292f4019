package chat.bench;

import java.util.Locale;

/** Progress lines on stdout, each stamped with the seconds since the command started. */
public final class Progress {

    private final long start = System.nanoTime();
    private final String prefix;

    public Progress() {
        this("");
    }

    /** `prefix` marks the lines of a child generator process in its parent's output. */
    public Progress(String prefix) {
        this.prefix = prefix;
    }

    public void line(String text) {
        System.out.printf(Locale.ROOT, "%s[%7.1fs] %s%n", prefix, seconds(), text);
        System.out.flush();
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Sleeps, giving up quietly when interrupted (the command is ending anyway). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
