package chat.bench.load;

import chat.bench.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Child generator processes: one JVM of this same jar each, so that together they hold more
 * sockets than one process may open (20,000 file descriptors here). A child's ordinary output is
 * passed through with a `[child i]` prefix; lines starting with '@' are its answers to the parent:
 * `@ready <report>` once its users are online, `@open <count>` when asked `count` or `stop` on its
 * standard input.
 */
final class Children implements AutoCloseable {

    private final List<Child> children = new ArrayList<>();
    private final CountDownLatch ready;

    private static final class Child {
        final int index;
        final Process process;
        final OutputStream in;
        final BlockingQueue<Integer> open = new LinkedBlockingQueue<>();
        volatile LoginReport report;

        Child(int index, Process process) {
            this.index = index;
            this.process = process;
            this.in = process.getOutputStream();
        }
    }

    /** Starts one child per argument list; each runs `java -cp <this jar> chat.bench.Main <args>`. */
    Children(List<List<String>> argsPerChild) {
        ready = new CountDownLatch(argsPerChild.size());
        for (int i = 0; i < argsPerChild.size(); i++) {
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx1g", "-cp", ownJar(), Main.class.getName()));
            command.addAll(argsPerChild.get(i));
            try {
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Child child = new Child(i, p);
                children.add(child);
                Thread reader = new Thread(() -> read(child), "child-" + i + "-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot start a child generator: " + e.getMessage(), e);
            }
        }
    }

    /** Waits until every child reported its logins (or died); the reports of those that did. */
    List<LoginReport> awaitReady() throws InterruptedException {
        ready.await();
        List<LoginReport> reports = new ArrayList<>();
        for (Child c : children) {
            reports.add(c.report != null ? c.report : LoginReport.empty());
        }
        return reports;
    }

    /** Asks every child how many of its sessions are still open; sums the answers. */
    int countOpen() throws InterruptedException {
        return ask("count");
    }

    /** Tells every child to close its sessions and exit; returns how many were still open. */
    int stop() throws InterruptedException {
        int open = ask("stop");
        for (Child c : children) {
            c.process.waitFor(30, TimeUnit.SECONDS);
        }
        return open;
    }

    private int ask(String question) throws InterruptedException {
        for (Child c : children) {
            try {
                c.in.write((question + "\n").getBytes(StandardCharsets.US_ASCII));
                c.in.flush();
            } catch (IOException e) {
                c.open.add(0); // a dead child holds nothing
            }
        }
        int sum = 0;
        for (Child c : children) {
            Integer n = c.open.poll(60, TimeUnit.SECONDS);
            sum += n == null ? 0 : n;
        }
        return sum;
    }

    private void read(Child child) {
        boolean counted = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("@ready ")) {
                    child.report = LoginReport.decode(line.substring("@ready ".length()));
                    if (!counted) {
                        counted = true;
                        ready.countDown();
                    }
                } else if (line.startsWith("@open ")) {
                    child.open.add(Integer.parseInt(line.substring("@open ".length()).trim()));
                } else {
                    System.out.println("[child " + child.index + "] " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[child " + child.index + "] unreadable output: " + e);
        } finally {
            if (!counted) {
                System.out.println("[child " + child.index + "] ended before its users were online");
                ready.countDown();
            }
            child.open.add(0); // answers a question the dead child never will
        }
    }

    @Override
    public void close() {
        for (Child c : children) {
            if (c.process.isAlive()) {
                c.process.destroy();
            }
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String ownJar() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the bench jar", e);
        }
    }
}
