package chat.client.model;

import java.util.Collection;
import java.util.List;

/** Who is typing, in words: "bob is typing…", "bob and carol are typing…", "3 people are typing…". */
public final class TypingLine {

    private TypingLine() {
    }

    /** Null when nobody is typing. Names are in the order they started. */
    public static String text(Collection<String> typers) {
        List<String> who = List.copyOf(typers);
        return switch (who.size()) {
            case 0 -> null;
            case 1 -> who.get(0) + " is typing…";
            case 2 -> who.get(0) + " and " + who.get(1) + " are typing…";
            default -> who.size() + " people are typing…";
        };
    }
}
