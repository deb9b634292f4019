package chat.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments of one subcommand: positional values and `--name value` options. Each
 * command declares which options take a value and which are flags, so a typo is an error rather
 * than a silently ignored setting that would make a measurement mean something else.
 */
public final class Args {

    /** A bad command line; the message says what is wrong. */
    public static final class UsageError extends IllegalArgumentException {
        public UsageError(String message) {
            super(message);
        }
    }

    private final List<String> positional;
    private final Map<String, String> options;

    private Args(List<String> positional, Map<String, String> options) {
        this.positional = positional;
        this.options = options;
    }

    /** `valued`: options followed by a value; `flags`: options that stand alone. Names without the dashes. */
    public static Args parse(List<String> args, Set<String> valued, Set<String> flags) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) { // --rate=5000 works too
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (inline != null) {
                    throw new UsageError("--" + name + " takes no value");
                }
                options.put(name, "true");
            } else if (valued.contains(name)) {
                String value = inline;
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageError("missing value after --" + name);
                    }
                    value = args.get(++i);
                }
                options.put(name, value);
            } else {
                throw new UsageError("unknown option --" + name);
            }
        }
        return new Args(positional, options);
    }

    public List<String> positional() {
        return positional;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public String string(String name, String otherwise) {
        return options.getOrDefault(name, otherwise);
    }

    public int integer(String name, int otherwise, int min, int max) {
        String v = options.get(name);
        return v == null ? otherwise : parseInt("--" + name, v, min, max);
    }

    public double decimal(String name, double otherwise, double min) {
        String v = options.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageError("--" + name + " must be a number of at least " + min + ", not '" + v + "'");
        }
    }

    /** A comma-separated list of integers, e.g. `--populations 100,1000,5000`. */
    public List<Integer> integers(String name, List<Integer> otherwise, int min, int max) {
        String v = options.get(name);
        if (v == null) {
            return otherwise;
        }
        List<Integer> values = new ArrayList<>();
        for (String part : v.split(",")) {
            values.add(parseInt("--" + name, part.trim(), min, max));
        }
        return values;
    }

    /** The positional value at `index`, a whole number; `what` names it in the error. */
    public int positionalInt(int index, String what, int min, int max) {
        if (index >= positional.size()) {
            throw new UsageError("missing " + what);
        }
        return parseInt(what, positional.get(index), min, max);
    }

    /** Accepts 20000, 20_000, 20k and 1m: session and message counts are easier to type that way. */
    static int parseInt(String what, String value, int min, int max) {
        String s = value.replace("_", "").toLowerCase();
        long factor = 1;
        if (s.endsWith("k")) {
            factor = 1_000;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            factor = 1_000_000;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s) * factor;
            if (n < min || n > max) {
                throw new UsageError(what + " must be from " + min + " to " + max + ", not " + value);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new UsageError(what + " must be a whole number, not '" + value + "'");
        }
    }
}
