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
import chat.protocol.ClientFrame;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * `fanout`: what presence and typing cost as more users are online. A few test users, each with a
 * few contacts among the online population, log in, log out and type, one at a time; the latency
 * until every contact has heard, and the node's CPU per operation, should not grow with the
 * population (presence goes to contacts, not to everyone).
 */
public final class FanoutCommand {

    public static final String USAGE = """
            fanout [--populations 100,1000,5000] [--users M] [--contacts C] [--cycles N] [--typing E]
                   [--server-pid PID] [--host H] [--port P] [--sources K] [--concurrency C] [--run ID]
              For each population size (online background users b-<run>-p<i>), M test users
              (b-<run>-t<j>) with C contacts each log in and out N times and send E typing start/stop
              pairs, one operation at a time.
              --populations  online users to measure at, ascending (default 100,1000,5000)
              --users M      test users (default 20)        --contacts C  contacts per test user (default 5)
              --cycles N     login/logout rounds (default 3) --typing E   typing start/stop pairs per user (default 5)
              --server-pid P node CPU per operation (idle CPU, mostly heartbeats, subtracted)""";

    private static final Set<String> VALUED = ConnectionsCommand.union(Common.OPTIONS,
            Set.of("populations", "users", "contacts", "cycles", "typing", "server-pid"));
    private static final long WAIT_MILLIS = 10_000;

    private final Net net;
    private final Common common;
    private final ServerProbe probe;
    private final Progress progress;
    private final Map<String, List<String>> contacts = new TreeMap<>();
    private final Watchers watchers;

    private FanoutCommand(Net net, Common common, ServerProbe probe, Progress progress, List<String> testUsers,
                          int contactCount, int firstPopulation) {
        this.net = net;
        this.common = common;
        this.probe = probe;
        this.progress = progress;
        Map<String, Set<String>> sets = new TreeMap<>();
        for (int j = 0; j < testUsers.size(); j++) {
            List<String> cs = new ArrayList<>();
            for (int k = 0; k < contactCount; k++) {
                cs.add(population((j * contactCount + k) % firstPopulation));
            }
            contacts.put(testUsers.get(j), cs);
            sets.put(testUsers.get(j), new LinkedHashSet<>(cs));
        }
        this.watchers = new Watchers(sets);
    }

    public static void run(List<String> argv) throws InterruptedException {
        Args args = Args.parse(argv, VALUED, Set.of());
        List<Integer> populations = args.integers("populations", List.of(100, 1000, 5000), 1, 10_000_000)
                .stream().sorted().toList();
        int users = args.integer("users", 20, 1, 10_000);
        int contactCount = args.integer("contacts", 5, 1, 1_000);
        int cycles = args.integer("cycles", 3, 1, 1_000);
        int typing = args.integer("typing", 5, 0, 1_000);
        if (contactCount > populations.get(0)) {
            throw new Args.UsageError("--contacts must not exceed the smallest population");
        }
        Common common = Common.from(args, Math.max(1, (populations.get(populations.size() - 1) + users) / 5_000 + 1));
        Progress progress = new Progress();
        progress.line("fanout: populations " + populations + ", " + users + " test users with " + contactCount
                + " contacts, node at " + common.host() + ":" + common.port() + ", run " + common.run());
        List<String> testUsers = new ArrayList<>();
        for (int j = 0; j < users; j++) {
            testUsers.add(common.user("t" + j));
        }
        List<Result> results = new ArrayList<>();
        try (Net net = new Net(2, "gen")) {
            FanoutCommand f = new FanoutCommand(net, common, ServerProbe.of(args), progress, testUsers, contactCount,
                    populations.get(0));
            int online = 0;
            for (int p : populations) {
                online += f.grow(online, p);
                if (results.isEmpty()) {
                    f.setUp(testUsers);
                }
                Result r = f.measure(online, testUsers, cycles, typing);
                results.add(r);
                System.out.println();
                System.out.print(r.table());
                System.out.println();
            }
        }
        Table summary = new Table("online", "login p50", "online fan-out p50", "logout fan-out p50", "typing p50",
                "CPU/login", "CPU/logout", "CPU/typing", "stray");
        for (Result r : results) {
            summary.row(Table.count(r.population), Table.millis(r.login.percentileMillis(50)),
                    Table.millis(r.onlineFanout.percentileMillis(50)), Table.millis(r.logoutFanout.percentileMillis(50)),
                    Table.millis(r.typing.percentileMillis(50)), cpu(r.cpuLogin), cpu(r.cpuLogout), cpu(r.cpuTyping),
                    Table.count(r.stray));
        }
        System.out.println("summary (" + users + " test users x " + contactCount + " contacts; fan-out = until every"
                + " contact heard; CPU = node CPU per operation, idle subtracted)");
        System.out.print(summary.render());
    }

    /** One population's measurements. CPU values are nanoseconds per operation, -1 without --server-pid. */
    private static final class Result {
        final int population;
        final Latencies login = new Latencies();
        final Latencies onlineFanout = new Latencies();
        final Latencies logoutFanout = new Latencies();
        final Latencies typing = new Latencies();
        final Latencies stopTyping = new Latencies();
        int missed;
        long cpuLogin = -1;
        long cpuLogout = -1;
        long cpuTyping = -1;
        long stray;
        double idleCpu = -1;

        Result(int population) {
            this.population = population;
        }

        String table() {
            Table t = new Table("operation (" + Table.count(population) + " online)", "count", "p50", "p99", "max",
                    "node CPU/op");
            row(t, "login (-> replay_done)", login, cpuLogin);
            row(t, "login -> all contacts see online", onlineFanout, -1);
            row(t, "logout -> all contacts see offline", logoutFanout, cpuLogout);
            row(t, "typing -> contact sees typing", typing, cpuTyping);
            row(t, "stop_typing -> contact sees stopped", stopTyping, cpuTyping);
            return t.render() + "notifications to non-contacts: " + stray + "; waits that timed out: " + missed
                    + (idleCpu >= 0 ? "; idle node CPU " + Math.round(idleCpu * 100) + "% of a core" : "") + "\n";
        }

        private static void row(Table t, String name, Latencies l, long cpu) {
            t.row(name, Table.count(l.count()), Table.millis(l.percentileMillis(50)), Table.millis(l.percentileMillis(99)),
                    Table.millis(l.maxMillis()), cpu(cpu));
        }
    }

    /** Logs in background users [from, to); returns how many got online. */
    private int grow(int from, int to) {
        if (to <= from) {
            return 0;
        }
        List<String> names = new ArrayList<>();
        for (int i = from; i < to; i++) {
            names.add(population(i));
        }
        Logins.Result r = Logins.run(net, common, names, true, watchers, progress, "population " + to);
        if (r.online().size() < names.size()) {
            progress.line("population: " + LoginReport.of(r).failureText());
        }
        return r.online().size();
    }

    /** Registers the test users and gives each its contacts (add_contact), then logs them out. */
    private void setUp(List<String> testUsers) throws InterruptedException {
        CountDownLatch answered = new CountDownLatch(testUsers.size() * contacts.values().iterator().next().size());
        AtomicInteger refused = new AtomicInteger();
        ChatClient.Listener counter = new ChatClient.Listener() {
            @Override
            public void frame(ChatClient client, String type, String line) {
                if ("contacts".equals(type)) {
                    answered.countDown();
                } else if ("error".equals(type)) {
                    refused.incrementAndGet();
                    answered.countDown();
                }
            }
        };
        Logins.Result r = Logins.run(net, common, testUsers, true, counter, progress, "test users");
        if (r.online().size() < testUsers.size()) {
            throw new IllegalStateException("test users could not log in: " + LoginReport.of(r).failureText());
        }
        for (ChatClient c : r.online()) {
            c.conn().loop().execute(() -> contacts.get(c.username()).forEach(name -> c.send(new ClientFrame.AddContact(name))));
        }
        if (!answered.await(60, TimeUnit.SECONDS) || refused.get() > 0) {
            throw new IllegalStateException("add_contact was not answered for every contact (" + refused.get() + " refused)");
        }
        for (ChatClient c : r.online()) {
            logout(c);
        }
        Progress.sleep(1_000);
    }

    private Result measure(int population, List<String> testUsers, int cycles, int typingRounds) throws InterruptedException {
        Result r = new Result(population);
        long stray0 = watchers.stray();
        Progress.sleep(2_000); // the last logins' work (presence entities, contacts) settles
        long idleStart = System.nanoTime();
        long idleCpu = cpu();
        Progress.sleep(2_000);
        double idleRate = idleCpu < 0 ? -1 : (double) (cpu() - idleCpu) / (System.nanoTime() - idleStart);
        r.idleCpu = idleRate;
        progress.line("population " + Table.count(population) + ": measuring login, logout and typing");

        long loginCpu = 0;
        long logoutCpu = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            List<ChatClient> sessions = new ArrayList<>();
            Phase phase = new Phase(idleRate);
            for (String t : testUsers) {
                Watchers.Expect online = watchers.expect(t, "online", Set.copyOf(contacts.get(t)));
                ChatClient c = login(t);
                sessions.add(c);
                r.login.recordNanos(c.loginNanos());
                record(r, r.onlineFanout, online.await(c.loginSentNanos(), WAIT_MILLIS));
            }
            loginCpu += phase.end();
            phase = new Phase(idleRate);
            for (ChatClient c : sessions) {
                Watchers.Expect offline = watchers.expect(c.username(), "offline", Set.copyOf(contacts.get(c.username())));
                long sent = logout(c);
                record(r, r.logoutFanout, offline.await(sent, WAIT_MILLIS));
            }
            logoutCpu += phase.end();
            progress.line("population " + Table.count(population) + ": cycle " + (cycle + 1) + "/" + cycles + ", login "
                    + r.login.summary() + ", logout fan-out " + r.logoutFanout.summary());
        }
        int logins = cycles * testUsers.size();
        r.cpuLogin = idleRate < 0 ? -1 : loginCpu / logins;
        r.cpuLogout = idleRate < 0 ? -1 : logoutCpu / logins;

        if (typingRounds > 0) {
            List<ChatClient> sessions = new ArrayList<>();
            for (String t : testUsers) {
                sessions.add(login(t));
            }
            Phase phase = new Phase(idleRate);
            for (int round = 0; round < typingRounds; round++) {
                for (ChatClient c : sessions) {
                    List<String> cs = contacts.get(c.username());
                    String to = cs.get(round % cs.size());
                    Watchers.Expect typing = watchers.expect(c.username(), "typing", Set.of(to));
                    record(r, r.typing, typing.await(send(c, new ClientFrame.Typing(to)), WAIT_MILLIS));
                    Watchers.Expect stopped = watchers.expect(c.username(), "stopped", Set.of(to));
                    record(r, r.stopTyping, stopped.await(send(c, new ClientFrame.StopTyping(to)), WAIT_MILLIS));
                }
            }
            long typingCpu = phase.end();
            r.cpuTyping = idleRate < 0 ? -1 : typingCpu / (2L * typingRounds * sessions.size());
            for (ChatClient c : sessions) {
                logout(c);
            }
        }
        Progress.sleep(500);
        r.stray = watchers.stray() - stray0;
        return r;
    }

    /** The node's CPU over one phase of operations, minus what it spends idle (heartbeats) in as long. */
    private final class Phase {
        final double idleRate;
        final long startCpu = cpu();
        final long startNanos = System.nanoTime();

        Phase(double idleRate) {
            this.idleRate = idleRate;
        }

        long end() {
            if (idleRate < 0 || startCpu < 0) {
                return 0;
            }
            long busy = cpu() - startCpu - (long) (idleRate * (System.nanoTime() - startNanos));
            return Math.max(0, busy);
        }
    }

    private static void record(Result r, Latencies l, long nanos) {
        if (nanos < 0) {
            r.missed++;
        } else {
            l.recordNanos(nanos);
        }
    }

    private long cpu() {
        return probe == null ? -1 : probe.cpuNanos().orElse(-1);
    }

    private ChatClient login(String name) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        AtomicReference<String> failure = new AtomicReference<>();
        ChatClient c = new ChatClient(name, common.password(), ChatClient.Mode.LOGIN, new ChatClient.Listener() {
            @Override
            public void ready(ChatClient client) {
                ready.countDown();
            }

            @Override
            public void failed(ChatClient client, String reason) {
                if (ready.getCount() > 0) {
                    failure.set(reason);
                    ready.countDown();
                }
            }
        });
        c.start(net.next(), common.target(), common.sources().next());
        if (!ready.await(WAIT_MILLIS, TimeUnit.MILLISECONDS) || failure.get() != null) {
            throw new IllegalStateException("test user " + name + " could not log in: " + failure.get());
        }
        return c;
    }

    /** Sends `frame` on the client's loop; returns the nanoTime just before it was queued. */
    private static long send(ChatClient c, ClientFrame frame) {
        return c.conn().loop().call(() -> {
            long now = System.nanoTime();
            c.send(frame);
            return now;
        }).join();
    }

    private static long logout(ChatClient c) {
        return send(c, new ClientFrame.Logout()); // the node closes the connection after it
    }

    private String population(int i) {
        return common.user("p" + i);
    }

    private static String cpu(long nanos) {
        return nanos < 0 ? "-" : Table.millis(nanos / 1e6);
    }
}
