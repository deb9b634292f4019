package chat.bench.load;

import chat.bench.Args;
import chat.bench.Common;
import chat.bench.Latencies;
import chat.bench.Progress;
import chat.bench.ServerProbe;
import chat.bench.Table;
import chat.bench.client.ChatClient;
import chat.bench.client.Logins;
import chat.bench.net.Net;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * `reconnect-storm N`: what a node restart looks like from its clients. N users get a token
 * (registered and logged in, closed loop, not measured), disconnect, then all come back with
 * their tokens open-loop at R connections per second: each connects at its scheduled instant
 * whatever the node's answers so far, as clients do after a restart. A login the node sheds
 * (`rate_limited` with `retry_after_ms`) comes back after that delay, as a client honouring it
 * would. Reports resets and other failures, connect and login latency, how long until every user
 * was in, and with --server-pid the node's CPU per login and its RSS after the storm.
 */
public final class StormCommand {

    public static final String USAGE = """
            reconnect-storm N [--rate R] [--host H] [--port P] [--sources K] [--concurrency C]
                              [--server-pid PID] [--give-up S] [--idle S] [--run ID]
              N users get a token (register + login, --concurrency at a time, not measured) and
              disconnect; then all reconnect with their tokens at R connections/s, open loop.
              --rate R        connections per second in the storm (default 2000)
              --sources K     bind to 127.0.0.2..127.0.0.(K+1) (default: one per 900 users, under the
                              node's chat.limits.connections-per-address of 1000)
              --server-pid P  the node's CPU (/proc/P/stat) per login and its RSS (/proc) after the storm
              --give-up S     stop waiting S seconds after the last scheduled connect (default 120)
              --idle S        then hold the sessions idle S seconds (pings answered) and report the
                              node's CPU per idle session per second (default 30; 0 = skip), before
                              the forced GC (jcmd GC.run) that reads the live heap""";

    private static final Set<String> VALUED = ConnectionsCommand.union(Common.OPTIONS,
            Set.of("rate", "server-pid", "give-up", "idle"));
    private static final int USERS_PER_SOURCE = 900;

    private StormCommand() {
    }

    public static void run(List<String> argv) throws InterruptedException {
        Args args = Args.parse(argv, VALUED, Set.of());
        int n = args.positionalInt(0, "N (the number of users)", 1, 1_000_000);
        Common common = Common.from(args, Math.max(1, (n + USERS_PER_SOURCE - 1) / USERS_PER_SOURCE));
        double rate = args.integer("rate", 2000, 1, 1_000_000);
        int giveUp = args.integer("give-up", 120, 1, 86_400);
        int idle = args.integer("idle", 30, 0, 86_400);
        ServerProbe probe = ServerProbe.of(args);
        Progress progress = new Progress();
        progress.line("reconnect-storm: " + Table.count(n) + " users to " + common.host() + ":" + common.port()
                + " at " + Table.count((long) rate) + "/s from " + common.sources().describe() + ", run " + common.run());
        try (Net net = new Net(2, "gen")) {
            String[] tokens = tokens(net, common, n, progress);
            Progress.sleep(3_000); // the node closes the sessions just dropped
            Memory before = Memory.measure(probe, progress, "before the storm");
            Storm storm = new Storm(net, common, tokens);
            long cpuBefore = probe == null ? -1 : probe.cpuNanos().orElse(-1);
            storm.run(rate, giveUp, progress);
            long cpuAfter = probe == null ? -1 : probe.cpuNanos().orElse(-1);
            Progress.sleep(5_000); // let the node settle before reading its memory
            // The idle window comes before the forced GC of the memory reading: a full GC shrinks the heap to
            // its live data, and G1 then runs a marking cycle every few young collections, which no node that
            // nobody ran jcmd against would do (measured: half of the idle CPU after it was G1's).
            OptionalLong rssAsLeft = probe == null ? OptionalLong.empty() : probe.rss();
            double idleMicros = idle == 0 || probe == null ? -1 : idleCost(probe, storm.online.get(), idle, progress);
            Memory after = Memory.measure(probe, progress, "after the storm");
            print(n, rate, common, storm, cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore, before, after,
                    rssAsLeft, idleMicros);
        }
    }

    /** The node's CPU over `seconds` with every session idle, in µs per session per second. */
    private static double idleCost(ServerProbe probe, int sessions, int seconds, Progress progress) {
        long cpu0 = probe.cpuNanos().orElse(-1);
        long t0 = System.nanoTime();
        Progress.sleep(seconds * 1000L);
        long cpu1 = probe.cpuNanos().orElse(-1);
        double wall = (System.nanoTime() - t0) / 1e9;
        if (cpu0 < 0 || cpu1 < 0 || sessions == 0) {
            return -1;
        }
        double micros = (cpu1 - cpu0) / 1e3 / sessions / wall;
        progress.line("idle: node CPU " + Table.decimal((cpu1 - cpu0) / 1e7 / wall) + "% over " + Table.decimal(wall)
                + " s with " + Table.count(sessions) + " idle sessions: " + Table.decimal(micros) + " µs per session per s");
        return micros;
    }

    /** Registers and logs in every user once, closed loop, keeping the tokens; then disconnects them all. */
    private static String[] tokens(Net net, Common common, int n, Progress progress) {
        List<String> names = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(common.user(Integer.toString(i)));
        }
        Logins.Result r = Logins.run(net, common, names, true, new ChatClient.Listener() { }, progress, "tokens");
        if (r.online().size() != n) {
            throw new IllegalStateException("only " + r.online().size() + " of " + n + " users got a token: "
                    + r.failures());
        }
        String[] tokens = new String[n];
        for (ChatClient c : r.online()) {
            String name = c.username();
            tokens[Integer.parseInt(name.substring(name.lastIndexOf('-') + 1))] = c.token();
            c.conn().loop().execute(c::close);
        }
        for (var loop : net.loops()) {
            loop.call(() -> null).join(); // every close queued above has run
        }
        progress.line("tokens: " + Table.count(n) + " users have one; all disconnected");
        return tokens;
    }

    /** The storm itself: the schedule, the answers, the retries of shed logins. */
    private static final class Storm {
        final Net net;
        final Common common;
        final String[] tokens;
        final Latencies connect = new Latencies();
        final Latencies login = new Latencies(); // login frame -> login_response, the attempt that got in
        final Latencies setup = new Latencies(); // first connect -> replay_done, retries included
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
        final AtomicInteger online = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger shed = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger slowConnects = new AtomicInteger(); // over 900 ms: a SYN the kernel had to resend
        final AtomicLong lastIn = new AtomicLong();
        final long[] firstConnect;
        final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storm-retries");
            t.setDaemon(true);
            return t;
        });
        long start;

        Storm(Net net, Common common, String[] tokens) {
            this.net = net;
            this.common = common;
            this.tokens = tokens;
            this.firstConnect = new long[tokens.length];
        }

        final ChatClient.Listener held = new ChatClient.Listener() {
            @Override
            public void failed(ChatClient client, String reason) {
                dropped.incrementAndGet();
            }
        };

        final ChatClient.Listener during = new ChatClient.Listener() {
            @Override
            public void ready(ChatClient c) {
                int i = c.attachment();
                long now = System.nanoTime();
                connect.recordNanos(c.connectNanos());
                if (c.connectNanos() > 900_000_000L) {
                    slowConnects.incrementAndGet();
                }
                login.recordNanos(c.loginAnswerNanos());
                setup.recordNanos(now - firstConnect[i]);
                lastIn.accumulateAndGet(now, Math::max);
                c.listener(held);
                online.incrementAndGet();
            }

            @Override
            public void failed(ChatClient c, String reason) {
                int i = c.attachment();
                if (c.connectNanos() > 0) {
                    connect.recordNanos(c.connectNanos());
                }
                if (reason != null && reason.equals("login: rate_limited") && c.retryAfterMs() >= 0) {
                    shed.incrementAndGet(); // an explicit "later": come back when told
                    retries.schedule(() -> launch(i), c.retryAfterMs(), TimeUnit.MILLISECONDS);
                    return;
                }
                failures.merge(Logins.shorten(reason), 1, Integer::sum);
                failed.incrementAndGet();
            }
        };

        void launch(int i) {
            ChatClient c = new ChatClient(common.user(Integer.toString(i)), common.password(), ChatClient.Mode.LOGIN,
                    during).withToken(tokens[i]);
            c.attach(i);
            c.start(net.next(), common.target(), common.sources().next());
        }

        void run(double rate, int giveUpSeconds, Progress progress) {
            int n = tokens.length;
            start = System.nanoTime();
            long interval = (long) (1e9 / rate);
            long nextLine = start + 1_000_000_000L;
            for (int i = 0; i < n; i++) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                firstConnect[i] = Math.max(due, start);
                launch(i);
                if (System.nanoTime() >= nextLine) {
                    nextLine += 1_000_000_000L;
                    progress.line(line(i + 1));
                }
            }
            long deadline = System.nanoTime() + giveUpSeconds * 1_000_000_000L;
            while (online.get() + failed.get() < n && System.nanoTime() < deadline) {
                Progress.sleep(1_000);
                progress.line(line(n));
            }
            int missing = n - online.get() - failed.get();
            if (missing > 0) {
                failures.merge("no answer", missing, Integer::sum);
            }
            retries.shutdownNow();
            progress.line(line(n));
        }

        String line(int launched) {
            return "storm: " + Table.count(launched) + " connected so far, " + Table.count(online.get()) + " in, "
                    + shed.get() + " shed (retried), " + failed.get() + " failed, login " + login.summary();
        }

        double allInSeconds() {
            return online.get() == tokens.length ? (lastIn.get() - start) / 1e9 : Double.NaN;
        }
    }

    private static void print(int n, double rate, Common common, Storm s, long nodeCpuNanos, Memory before, Memory after,
                              OptionalLong rssAsLeft, double idleMicros) {
        int resets = s.failures.entrySet().stream().filter(e -> e.getKey().toLowerCase().contains("reset"))
                .mapToInt(Map.Entry::getValue).sum();
        Table t = Table.keyValue()
                .row("users", Table.count(n))
                .row("connect rate (open loop)", Table.count((long) rate) + "/s")
                .row("source addresses", common.sources().describe())
                .row("users in (replay_done)", Table.count(s.online.get()))
                .row("connections reset", Table.count(resets))
                .row("other failures", s.failures.isEmpty() ? "none" : new TreeMap<>(s.failures).toString())
                .row("logins shed (rate_limited, retried after retry_after_ms)", Table.count(s.shed.get()))
                .row("connects over 900 ms (a SYN resent)", Table.count(s.slowConnects.get()))
                .row("connect p50 / p99", Table.millis(s.connect.percentileMillis(50)) + " / "
                        + Table.millis(s.connect.percentileMillis(99)))
                .row("login p50 / p99 (login -> login_response)", Table.millis(s.login.percentileMillis(50)) + " / "
                        + Table.millis(s.login.percentileMillis(99)))
                .row("setup p50 / p99 (first connect -> replay_done)", Table.millis(s.setup.percentileMillis(50))
                        + " / " + Table.millis(s.setup.percentileMillis(99)))
                .row("all in after (from the first connect)", Double.isNaN(s.allInSeconds()) ? "not all in"
                        : Table.decimal(s.allInSeconds()) + " s")
                .row("sessions dropped after login", Table.count(s.dropped.get()));
        if (nodeCpuNanos >= 0 && s.online.get() > 0) {
            t.row("node CPU per login (storm CPU / users in)", Table.millis(nodeCpuNanos / 1e6 / s.online.get()));
        }
        if (after.known()) {
            t.row("node RSS before the storm / after", bytes(before.rss()) + " / " + bytes(after.rss()))
                    .row("node heap after GC before / after", bytes(before.heap()) + " / " + bytes(after.heap()))
                    .row("node RSS after the storm, before any forced GC", bytes(rssAsLeft))
                    .row("RSS per session, before any forced GC (RSS / users in)", perSession(rssAsLeft, s.online.get()))
                    .row("RSS per session (after / users in)", perSession(after.rss(), s.online.get()))
                    .row("RSS per session (after - before)", delta(before.rss(), after.rss(), s.online.get()))
                    .row("heap per session (after - before)", delta(before.heap(), after.heap(), s.online.get()));
        }
        if (idleMicros >= 0) {
            t.row("node CPU per idle session per second", Table.decimal(idleMicros) + " µs");
        }
        System.out.println();
        System.out.print(t.render());
    }

    private static String bytes(OptionalLong b) {
        return b.isPresent() ? Table.bytes(b.getAsLong()) : "-";
    }

    private static String perSession(OptionalLong total, int sessions) {
        return total.isEmpty() || sessions == 0 ? "-" : Table.count(total.getAsLong() / sessions) + " B";
    }

    private static String delta(OptionalLong before, OptionalLong after, int sessions) {
        return before.isEmpty() || after.isEmpty() || sessions == 0 ? "-"
                : Table.count((after.getAsLong() - before.getAsLong()) / sessions) + " B";
    }
}
