package chat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table with aligned columns: the final report of every command. Columns whose cells
 * all look like numbers are right-aligned so that magnitudes line up.
 */
public final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + header.size() + " cells expected, not " + cells.length);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(c == null ? "-" : c.toString());
        }
        rows.add(row);
        return this;
    }

    /** A two-column table of name/value lines, the usual shape of a summary. */
    public static Table keyValue() {
        return new Table("metric", "value");
    }

    public String render() {
        int columns = header.size();
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                numeric[c] &= looksNumeric(row.get(c));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width, numeric);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        line(out, rule, width, new boolean[columns]);
        for (List<String> row : rows) {
            line(out, row, width, numeric);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean[] right) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            if (c > 0) {
                l.append("  ");
            }
            l.append(right[c] ? pad + cell : cell + pad);
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }

    /** "12", "3.5", "-", "97.2%", "1.2 ms", "412 MB": a number, maybe with a unit after it. */
    static boolean looksNumeric(String cell) {
        if (cell.equals("-")) {
            return true;
        }
        String s = cell;
        int space = s.indexOf(' ');
        if (space > 0) {
            s = s.substring(0, space);
        }
        if (s.endsWith("%") || s.endsWith("x")) {
            s = s.substring(0, s.length() - 1);
        }
        s = s.replace(",", "");
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return render();
    }

    // ---- formatting helpers shared by the commands ----------------------------------------------

    /** 1234567 -> "1,234,567". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A rate or other decimal, rounded to what is worth reading. */
    public static String decimal(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "-";
        }
        if (Math.abs(d) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (Math.abs(d) >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    /** Milliseconds with a unit, e.g. "0.412 ms". */
    public static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%,.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.3f ms", ms);
    }

    /** Bytes with a binary unit, e.g. "412.0 MiB". */
    public static String bytes(long b) {
        if (b < 0) {
            return "-" + bytes(-b);
        }
        if (b < 10 * 1024) {
            return b + " B";
        }
        if (b < 10L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < 10L * 1024 * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    }
}
