package chat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's own counters, read from its Prometheus endpoint (`/metrics` of Pekko Management): what
 * its store writer spent, as the node measured it, beside the CPU the process used (ServerProbe).
 * Unreachable or absent values are empty, never an error.
 */
public final class NodeMetrics {

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public NodeMetrics(URI uri) {
        this.uri = uri;
    }

    /** From `--metrics URL` (default http://127.0.0.1:7626/metrics; `--metrics none` for none). */
    public static NodeMetrics of(Args args) {
        String url = args.string("metrics", "http://127.0.0.1:7626/metrics");
        return url.equals("none") ? null : new NodeMetrics(URI.create(url));
    }

    /** One sample of every counter the benchmarks compare. */
    public record Sample(double commitSeconds, double commits, double commitWrites) {
        public Sample minus(Sample before) {
            return new Sample(commitSeconds - before.commitSeconds, commits - before.commits,
                    commitWrites - before.commitWrites);
        }
    }

    /** Empty when the endpoint does not answer. */
    public java.util.Optional<Sample> sample() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = r.body();
            return java.util.Optional.of(new Sample(value(body, "chat_commit_seconds_sum").orElse(0),
                    value(body, "chat_commit_seconds_count").orElse(0), value(body, "chat_commit_batch_size_sum").orElse(0)));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    static OptionalDouble value(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([-+0-9.eE]+)$").matcher(body);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }
}
