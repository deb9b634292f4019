package chat.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** Account name and password rules of PROTOCOL.md, shared by the server and the client's forms. */
public final class Usernames {

    public static final int MAX_LENGTH = 32;
    public static final int MIN_PASSWORD_BYTES = 8;
    public static final int MAX_PASSWORD_BYTES = 1024;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_LENGTH + "}");

    private Usernames() {
    }

    /** The canonical (lower-case) form of a valid name, or null if the name breaks the rules. */
    public static String fold(String username) {
        if (username == null || !VALID.matcher(username).matches()) {
            return null;
        }
        return username.toLowerCase(Locale.ROOT);
    }

    public static boolean validPassword(String password) {
        if (password == null) {
            return false;
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= MIN_PASSWORD_BYTES && bytes <= MAX_PASSWORD_BYTES;
    }
}
