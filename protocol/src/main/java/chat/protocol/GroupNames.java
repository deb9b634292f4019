package chat.protocol;

/** Level 3 group names: 1–64 Unicode code points, no control characters (PROTOCOL.md, "Level 3 details"). */
public final class GroupNames {

    public static final int MAX_CODE_POINTS = 64;

    private GroupNames() {
    }

    public static boolean valid(String name) {
        if (name == null || name.isBlank()) {
            return false;
        }
        int n = name.codePointCount(0, name.length());
        return n <= MAX_CODE_POINTS && name.codePoints().noneMatch(Character::isISOControl);
    }
}
