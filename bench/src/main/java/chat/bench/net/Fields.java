package chat.bench.net;

import java.nio.charset.StandardCharsets;

/**
 * Reads one top-level field of a flat JSON line by scanning for `"name":`, with no parser and no
 * tree: the relay routes on `receiver` this way, and the generator reads the few fields of its hot
 * frames (message, message_ack) without decoding them whole.
 *
 * Why a scan is enough: inside a JSON string every '"' is escaped, so the characters `"name"`
 * followed by ':' can only be a key. It must not be used on frames with nested objects, whose
 * inner keys it would find too (history pages, conversation lists).
 */
public final class Fields {

    private Fields() {
    }

    /** The string value of `name`, unescaped; null when absent or not a string. */
    public static String string(String line, String name) {
        int at = valueStart(line, name);
        if (at < 0 || at >= line.length() || line.charAt(at) != '"') {
            return null;
        }
        int start = at + 1;
        boolean escaped = false;
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\') {
                escaped = true;
                i += 2;
                continue;
            }
            if (c == '"') {
                return escaped ? unescape(line.substring(start, i)) : line.substring(start, i);
            }
            i++;
        }
        return null; // unterminated
    }

    /** The integer value of `name`; `otherwise` when absent or not an integer. */
    public static long number(String line, String name, long otherwise) {
        int at = valueStart(line, name);
        if (at < 0) {
            return otherwise;
        }
        int i = at;
        boolean negative = i < line.length() && line.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long n = 0;
        int digits = 0;
        while (i < line.length() && Character.isDigit(line.charAt(i)) && digits < 19) {
            n = n * 10 + (line.charAt(i) - '0');
            i++;
            digits++;
        }
        if (digits == 0 || (i < line.length() && (line.charAt(i) == '.' || line.charAt(i) == 'e' || line.charAt(i) == 'E'))) {
            return otherwise;
        }
        return negative ? -n : n;
    }

    /** The same as {@link #string(String, String)} on raw bytes; `quotedName` is the UTF-8 of `"name"`, quotes included. */
    public static String string(byte[] buf, int off, int len, byte[] quotedName) {
        int end = off + len;
        int at = valueStart(buf, off, end, quotedName);
        if (at < 0 || at >= end || buf[at] != '"') {
            return null;
        }
        int start = at + 1;
        boolean escaped = false;
        int i = start;
        while (i < end) {
            byte b = buf[i];
            if (b == '\\') {
                escaped = true;
                i += 2;
                continue;
            }
            if (b == '"') {
                String raw = new String(buf, start, i - start, StandardCharsets.UTF_8);
                return escaped ? unescape(raw) : raw;
            }
            i++;
        }
        return null;
    }

    /** `"name"` as the bytes {@link #string(byte[], int, int, byte[])} looks for. */
    public static byte[] key(String name) {
        return ('"' + name + '"').getBytes(StandardCharsets.UTF_8);
    }

    /** Index of the first character of the value of `name`, or -1. */
    private static int valueStart(String line, String name) {
        String quoted = '"' + name + '"';
        int from = 0;
        while (true) {
            int i = line.indexOf(quoted, from);
            if (i < 0) {
                return -1;
            }
            int j = skipSpaces(line, i + quoted.length());
            if (j < line.length() && line.charAt(j) == ':') {
                return skipSpaces(line, j + 1);
            }
            from = i + 1; // a string value that happens to equal the name
        }
    }

    private static int valueStart(byte[] buf, int off, int end, byte[] quoted) {
        outer:
        for (int i = off; i <= end - quoted.length; i++) {
            for (int k = 0; k < quoted.length; k++) {
                if (buf[i + k] != quoted[k]) {
                    continue outer;
                }
            }
            int j = i + quoted.length;
            while (j < end && isSpace(buf[j])) {
                j++;
            }
            if (j < end && buf[j] == ':') {
                j++;
                while (j < end && isSpace(buf[j])) {
                    j++;
                }
                return j;
            }
        }
        return -1;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && isSpace((byte) s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static String unescape(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 >= raw.length()) {
                out.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 < raw.length()) {
                        try {
                            out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                            i += 4;
                        } catch (NumberFormatException bad) {
                            out.append("\\u");
                        }
                    } else {
                        out.append("\\u");
                    }
                }
                default -> out.append(e); // \" \\ \/
            }
        }
        return out.toString();
    }
}
