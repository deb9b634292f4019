package chat.protocol;

import java.util.regex.Pattern;

/** Level 3 device ids: 1–64 chars of [A-Za-z0-9_.-], made once per installation by the client. */
public final class DeviceIds {

    /** The device of every level 1 and level 2 login. */
    public static final String DEFAULT = "default";
    public static final int MAX_NAME_CHARS = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private DeviceIds() {
    }

    public static boolean valid(String device) {
        return device != null && VALID.matcher(device).matches();
    }

    /** A device name for people: up to 64 code points, control characters dropped; null if nothing is left. */
    public static String cleanName(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        name.codePoints().filter(cp -> !Character.isISOControl(cp)).limit(MAX_NAME_CHARS).forEach(out::appendCodePoint);
        String s = out.toString().strip();
        return s.isEmpty() ? null : s;
    }
}
