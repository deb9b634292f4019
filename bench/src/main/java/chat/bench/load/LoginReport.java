package chat.bench.load;

import chat.bench.Latencies;
import chat.bench.client.Logins;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a login phase achieved, in a form that crosses process boundaries: a child generator prints
 * it as one line of `key=value` words and its parent adds the children's reports up.
 */
public record LoginReport(int online, Map<String, Integer> failures, Latencies login, Latencies register,
                          long startMillis, long endMillis) {

    public static LoginReport of(Logins.Result r) {
        return new LoginReport(r.online().size(), r.failures(), r.login(), r.register(), r.startMillis(), r.endMillis());
    }

    public static LoginReport empty() {
        return new LoginReport(0, Map.of(), new Latencies(), new Latencies(), Long.MAX_VALUE, Long.MIN_VALUE);
    }

    public int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Logins per second over the span from the first start to the last end, across processes. */
    public double perSecond() {
        long ms = endMillis - startMillis;
        return ms <= 0 ? Double.NaN : online * 1000.0 / ms;
    }

    public String failureText() {
        if (failures.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        failures.forEach((reason, n) -> s.append(s.length() == 0 ? "" : "; ").append(n).append(' ').append(reason));
        return s.toString();
    }

    public static LoginReport merge(List<LoginReport> reports) {
        int online = 0;
        Map<String, Integer> failures = new TreeMap<>();
        Latencies login = new Latencies();
        Latencies register = new Latencies();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (LoginReport r : reports) {
            online += r.online;
            r.failures.forEach((k, v) -> failures.merge(k, v, Integer::sum));
            login.add(r.login);
            register.add(r.register);
            start = Math.min(start, r.startMillis);
            end = Math.max(end, r.endMillis);
        }
        return new LoginReport(online, failures, login, register, start, end);
    }

    /** One line of words without spaces inside them. */
    public String encode() {
        StringBuilder f = new StringBuilder();
        failures.forEach((reason, n) -> f.append(f.length() == 0 ? "" : ",")
                .append(URLEncoder.encode(reason, StandardCharsets.UTF_8)).append(':').append(n));
        return "online=" + online
                + " failures=" + (f.length() == 0 ? "-" : f)
                + " login=" + login.encode()
                + " register=" + register.encode()
                + " start=" + startMillis
                + " end=" + endMillis;
    }

    public static LoginReport decode(String line) {
        Map<String, String> words = new TreeMap<>();
        for (String word : line.trim().split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                words.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        Map<String, Integer> failures = new TreeMap<>();
        String f = words.getOrDefault("failures", "-");
        if (!f.equals("-")) {
            for (String item : f.split(",")) {
                int colon = item.lastIndexOf(':');
                failures.put(URLDecoder.decode(item.substring(0, colon), StandardCharsets.UTF_8),
                        Integer.parseInt(item.substring(colon + 1)));
            }
        }
        return new LoginReport(
                Integer.parseInt(required(words, "online")),
                failures,
                Latencies.decode(required(words, "login")),
                Latencies.decode(required(words, "register")),
                Long.parseLong(required(words, "start")),
                Long.parseLong(required(words, "end")));
    }

    private static String required(Map<String, String> words, String key) {
        String v = words.get(key);
        if (v == null) {
            throw new IllegalArgumentException("a login report without '" + key + "'");
        }
        return v;
    }
}
