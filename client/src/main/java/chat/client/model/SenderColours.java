package chat.client.model;

/**
 * Which of the palette's colours a group member's name and bubble edge get: the same for a name on
 * every run and every device (a hash of the name, not the order people appear in), so people learn it.
 */
public final class SenderColours {

    private SenderColours() {
    }

    /** 0 ≤ index < `paletteSize`. */
    public static int index(String sender, int paletteSize) {
        int h = 0;
        for (char c : sender.toCharArray()) { // String.hashCode is stable too; spelled out since the colour depends on it
            h = 31 * h + c;
        }
        return Math.floorMod(h ^ (h >>> 16), paletteSize);
    }
}
