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
        List<Write.Accept> writes = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            long n = nextId++;
            writes.add(new Write.Accept(user((int) (n % USERS)), user((int) ((n + 1) % USERS)), "m-" + n, CONTENT));
        }
        return writer.apply(writes);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        db.close();
        if (ownDir) {
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

    private static String user(int i) {
        return "u" + i;
    }
}
