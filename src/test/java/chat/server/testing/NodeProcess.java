package chat.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node in a JVM of its own (started from this test's class path with the server's real main), so
 * that it can be killed with SIGKILL. Its port is read from its "listening on HOST:PORT" line.
 */
public final class NodeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on ([0-9.]+):(\\d+)");

    private final Process process;
    private final int port;
    private final List<String> output;
    private final Thread reader;

    private NodeProcess(Process process, int port, List<String> output, Thread reader) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.reader = reader;
    }

    /** Starts a node on the data directory; `settings` become -Dkey=value. */
    public static NodeProcess start(Path dataDir, Map<String, Object> settings) {
        return start(dataDir, settings, "-Xmx512m");
    }

    /** The same, with a JVM option of the test's choosing (a heap limit such as "-Xmx160m"). */
    public static NodeProcess start(Path dataDir, Map<String, Object> settings, String jvmOption) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                jvmOption,
                "-Dchat.auth.pbkdf2-iterations=" + TestNode.TEST_ITERATIONS,
                "-Dpekko.management.http.port=0"));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "chat.server.Main", "--port", "0", "--data-dir", dataDir.toString()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> output = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.add(line);
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(2)));
                        }
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
                port.completeExceptionally(new IllegalStateException("the node exited before listening: " + output));
            }, "node-output");
            reader.setDaemon(true);
            reader.start();
            return new NodeProcess(p, port.get(60, TimeUnit.SECONDS), output, reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("node did not start", e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public WireClient connect() {
        return WireClient.connect(port);
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit status. */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy(); // Process.destroy() would also close our end of its output first
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the node did not stop on SIGTERM");
        }
        reader.join(10_000); // everything it printed has been read
        return process.exitValue();
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
