package chat.bench.micro;

import chat.server.Settings;
import chat.server.store.Database;
import chat.server.store.MessageWriter;
import chat.server.store.UserStore;
import chat.server.store.Write;
import chat.server.store.Written;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One group commit of the store-writer: MessageWriter.apply on `batch` new messages, in one
 * transaction on a real SQLite file with synchronous=FULL (so the fsync is in the number). Time per
 * operation is time per batch; divide by `batch` for the cost of one message. Each message has a
 * fresh client id, as level 2 messages do, so the idempotency index is maintained too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBenchmark {

    private static final int USERS = 100;
    private static final String CONTENT = "Hello Bob, are we still on for lunch tomorrow at noon? 12345678";

    @Param({"1", "100", "1000"})
    public int batch;

    /** Where the database goes; empty: a new directory under java.io.tmpdir (which must not be a tmpfs for real fsyncs). */
    @Param({""})
    public String dataDir;

    private Path dir;
    private boolean ownDir;
    private Database db;
    private MessageWriter writer;
    private long nextId;

    @Setup(Level.Trial)
    public void open() throws IOException {
        ownDir = dataDir.isEmpty();
        dir = ownDir ? Files.createTempDirectory("chat-bench-store") : Files.createDirectories(Path.of(dataDir));
        db = Database.open(new Settings.Store("sqlite", dir, "FULL", 1000, 2));
        UserStore users = new UserStore(db);
        for (int i = 0; i < USERS; i++) {
            users.insertUser(user(i), "x", 1);
        }
        writer = new MessageWriter(db, Clock.systemUTC(), Integer.MAX_VALUE);
    }

    @Benchmark
    public List<Written> apply() {
        List<Write.Send> writes = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            long n = nextId++;
            writes.add(new Write.Send(user((int) (n % USERS)), user((int) ((n + 1) % USERS)), "m-" + n, CONTENT));
        }
        return writer.apply(writes);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        db.close();
        if (ownDir) {
            delete(dir);
        }
    }

    private static String user(int i) {
        return "u" + i;
    }

    /**
     * The writer's cost as the number of active conversations grows, outside JMH (it needs the WAL's
     * frame count per commit, which only the connection can tell):
     * {@code java -cp bench/target/chat-bench.jar chat.bench.micro.StoreBenchmark --pairs 10,100,1000,5000
     * --batch 400 --commits 200 --data-dir /var/tmp/chat-store}. Each commit holds `batch` new
     * messages spread at random over `pairs` conversations (both directions, fresh client ids) and
     * the delivery marks of the previous commit's messages, as a node under load commits them. Per
     * pair count: a new database, `commits` warm-up commits, then `commits` measured ones; the WAL
     * is emptied before each measured commit so the count after it is that commit's frames.
     */
    public static void main(String[] args) throws Exception {
        List<Integer> pairCounts = List.of(10, 100, 1000, 5000);
        int batch = 400;
        int commits = 200;
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--pairs" -> pairCounts = Stream.of(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--commits" -> commits = Integer.parseInt(args[i + 1]);
                case "--data-dir" -> base = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.printf("%8s %8s %18s %10s %14s %12s %16s%n", "pairs", "batch", "WAL frames/commit", "µs/msg",
                "CPU µs/msg", "µs/commit", "max µs/commit");
        for (int pairs : pairCounts) {
            Path dir = Files.createTempDirectory(Files.createDirectories(base), "chat-store-pairs");
            try (Database db = Database.open(new Settings.Store("sqlite", dir, "FULL", 1000, 2))) {
                UserStore users = new UserStore(db);
                for (int u = 0; u < 2 * pairs; u++) {
                    users.insertUser(user(u), "x", 1);
                }
                MessageWriter writer = new MessageWriter(db, Clock.systemUTC(), Integer.MAX_VALUE);
                Load load = new Load(pairs, batch);
                for (int c = 0; c < commits; c++) {
                    load.commit(writer);
                }
                long frames = 0;
                long nanos = 0;
                long cpu = 0; // the writer thread's own CPU: what a busy machine does not inflate
                long longest = 0; // the commit the messages behind it waited longest for
                for (int c = 0; c < commits; c++) {
                    walFrames(db, "TRUNCATE");
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    load.commit(writer);
                    long took = System.nanoTime() - t0;
                    nanos += took;
                    longest = Math.max(longest, took);
                    cpu += threads.getCurrentThreadCpuTime() - c0;
                    frames += walFrames(db, "PASSIVE");
                }
                System.out.printf("%8d %8d %18.1f %10.2f %14.2f %12.0f %16.0f%n", pairs, batch, (double) frames / commits,
                        nanos / 1e3 / commits / batch, cpu / 1e3 / commits / batch, nanos / 1e3 / commits, longest / 1e3);
                writer.close();
            }
            delete(dir);
        }
    }

    /** Frames in the WAL after a checkpoint of this mode (TRUNCATE leaves none). */
    private static long walFrames(Database db, String mode) throws java.sql.SQLException {
        try (var st = db.writer().createStatement(); var rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** New messages at random over the pairs, and the marks of the previous commit's. */
    private static final class Load {
        private final int pairs;
        private final int batch;
        private final java.util.Random random = new java.util.Random(42);
        private long next;
        private List<Written> previous = List.of();

        Load(int pairs, int batch) {
            this.pairs = pairs;
            this.batch = batch;
        }

        void commit(MessageWriter writer) {
            List<Write> writes = new ArrayList<>(batch + 64);
            java.util.Map<String, List<Long>> marks = new java.util.LinkedHashMap<>();
            for (Written w : previous) {
                if (w instanceof Written.Accepted a) {
                    marks.computeIfAbsent(a.message().receiver(), r -> new ArrayList<>()).add(a.message().msgId());
                }
            }
            marks.forEach((receiver, ids) -> writes.add(new Write.MarkDelivered(receiver, ids)));
            for (int i = 0; i < batch; i++) {
                long n = next++;
                int pair = random.nextInt(pairs); // not in name order: the index keys of a commit scatter
                boolean back = random.nextBoolean();
                String a = user(2 * pair);
                String b = user(2 * pair + 1);
                writes.add(new Write.Send(back ? b : a, back ? a : b, "m-" + n, CONTENT));
            }
            previous = writer.apply(writes);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
