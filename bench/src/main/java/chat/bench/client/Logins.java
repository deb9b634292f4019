package chat.bench.client;

import chat.bench.Common;
import chat.bench.Latencies;
import chat.bench.Progress;
import chat.bench.Table;
import chat.bench.net.Net;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Brings many users online with a bounded number of logins in flight: each finished login starts
 * the next, so the node sees a steady stream rather than one storm. Prints a progress line every
 * second and gives up when nothing has finished for a minute. A login the node sheds
 * (`rate_limited` with `retry_after_ms`) is tried again after that delay, as a client would.
 */
public final class Logins {

    private static final long STALL_MILLIS = 60_000;
    private static final ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "login-retries");
        t.setDaemon(true);
        return t;
    });

    /** The users that made it, in the order of `names` (gaps dropped), and what it took. */
    public record Result(List<ChatClient> online, Latencies login, Latencies register, Map<String, Integer> failures,
                         long startMillis, long endMillis) {
    }

    private Logins() {
    }

    /**
     * Logs in `names` (registering them first when `register`), at most `common.concurrency()` at a
     * time. Each user that gets online is handed to `then`, which receives its frames from then on.
     */
    public static Result run(Net net, Common common, List<String> names, boolean register, ChatClient.Listener then,
                             Progress progress, String what) {
        return run(net, common, names, register, ChatClient.Dialect.LEVEL2, then, progress, what);
    }

    /** The same, in the target's `dialect` (an old level 1 server's dialect, or the node's level 2). */
    public static Result run(Net net, Common common, List<String> names, boolean register, ChatClient.Dialect dialect,
                             ChatClient.Listener then, Progress progress, String what) {
        return run(net, common, i -> common.target(), names, register, dialect, then, progress, what);
    }

    /** The same, user `i` connecting to `targets.apply(i)`. */
    public static Result run(Net net, Common common, IntFunction<InetSocketAddress> targets, List<String> names,
                             boolean register, ChatClient.Dialect dialect, ChatClient.Listener then, Progress progress,
                             String what) {
        return run(net, common, targets, names, i -> "bench", register, dialect, then, progress, what);
    }

    /** The same at level 3, entry `i` logging in as device `devices.apply(i)` (a name may come several times, one per device). */
    public static Result run(Net net, Common common, IntFunction<InetSocketAddress> targets, List<String> names,
                             IntFunction<String> devices, boolean register, ChatClient.Dialect dialect,
                             ChatClient.Listener then, Progress progress, String what) {
        int n = names.size();
        AtomicReferenceArray<ChatClient> online = new AtomicReferenceArray<>(n);
        Latencies login = new Latencies();
        Latencies registration = new Latencies();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();

        ChatClient.Listener during = new ChatClient.Listener() {
            @Override
            public void ready(ChatClient client) {
                int index = client.attachment();
                login.recordNanos(client.loginNanos());
                if (client.registerNanos() >= 0) {
                    registration.recordNanos(client.registerNanos());
                }
                client.attach(null);
                client.listener(then);
                online.set(index, client);
                finished.incrementAndGet();
                done.countDown();
                startNext(this);
            }

            @Override
            public void failed(ChatClient client, String reason) {
                if ("login: rate_limited".equals(reason) && client.retryAfterMs() >= 0) {
                    // shed by a node past its capacity: log in again when it said (registered already)
                    int i = client.attachment();
                    RETRIES.schedule(() -> {
                        ChatClient c = new ChatClient(names.get(i), common.password(), ChatClient.Mode.LOGIN, dialect, this)
                                .withDevice(devices.apply(i));
                        c.attach(i);
                        c.start(net.next(), targets.apply(i), common.sources().next());
                    }, client.retryAfterMs(), TimeUnit.MILLISECONDS);
                    return;
                }
                failures.merge(shorten(reason), 1, Integer::sum);
                finished.incrementAndGet();
                done.countDown();
                startNext(this);
            }

            private void startNext(ChatClient.Listener self) {
                int i = next.getAndIncrement();
                if (i < n) {
                    ChatClient c = new ChatClient(names.get(i), common.password(),
                            register ? ChatClient.Mode.REGISTER_AND_LOGIN : ChatClient.Mode.LOGIN, dialect, self)
                            .withDevice(devices.apply(i));
                    c.attach(i);
                    c.start(net.next(), targets.apply(i), common.sources().next());
                }
            }
        };

        long startMillis = System.currentTimeMillis();
        for (int k = 0; k < Math.min(common.concurrency(), n); k++) {
            int i = next.getAndIncrement();
            ChatClient c = new ChatClient(names.get(i), common.password(),
                    register ? ChatClient.Mode.REGISTER_AND_LOGIN : ChatClient.Mode.LOGIN, dialect, during)
                    .withDevice(devices.apply(i));
            c.attach(i);
            c.start(net.next(), targets.apply(i), common.sources().next());
        }
        int lastFinished = 0;
        long lastChange = System.currentTimeMillis();
        long lastLine = System.nanoTime();
        try {
            while (!done.await(1, TimeUnit.SECONDS)) {
                int f = finished.get();
                long now = System.currentTimeMillis();
                if (f != lastFinished) {
                    lastChange = now;
                }
                double rate = (f - lastFinished) / ((System.nanoTime() - lastLine) / 1e9);
                lastLine = System.nanoTime();
                lastFinished = f;
                progress.line(what + ": " + (f - failureCount(failures)) + "/" + n + " online, "
                        + failureCount(failures) + " failed, " + Table.decimal(rate) + "/s, login " + login.summary());
                if (now - lastChange > STALL_MILLIS) {
                    progress.line(what + ": nothing finished for " + STALL_MILLIS / 1000 + " s; giving up on "
                            + (n - f) + " users");
                    failures.merge("no answer", n - f, Integer::sum);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long endMillis = System.currentTimeMillis();
        List<ChatClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (online.get(i) != null) {
                clients.add(online.get(i));
            }
        }
        return new Result(clients, login, registration, new TreeMap<>(failures), startMillis, endMillis);
    }

    private static int failureCount(Map<String, Integer> failures) {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Failures are counted by reason: keep the reason, drop what differs per connection. */
    public static String shorten(String reason) {
        String r = reason == null ? "closed" : reason;
        return r.length() > 80 ? r.substring(0, 80) : r;
    }
}
