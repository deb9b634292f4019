package chat.bench.load;

import chat.bench.Args;
import chat.bench.Common;
import chat.bench.Progress;
import chat.bench.ServerProbe;
import chat.bench.Table;
import chat.bench.client.ChatClient;
import chat.bench.client.Logins;
import chat.bench.net.Net;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * `connections N`: registers and logs in N level 2 users, holds them, and reports what a session
 * costs: login latency, logins per second and, with --server-pid, the node's memory per session.
 * With --processes M the sessions are split over M child JVMs (one process may open at most
 * 20,000 sockets here), whose reports are added up.
 */
public final class ConnectionsCommand {

    public static final String USAGE = """
            connections N [--host H] [--port P] [--sources K] [--concurrency C] [--processes M]
                          [--server-pid PID] [--hold S] [--run ID]
              Registers and logs in N level 2 users (b-<run>-<i>) and holds them.
              --sources K      bind to 127.0.0.2..127.0.0.(K+1) (default: one per 5,000 sessions; 0 = no binding)
              --concurrency C  logins in flight at once (default 64)
              --processes M    split the sessions over M child JVMs (default 1)
              --server-pid P   measure the node's RSS (/proc) and heap (jcmd) before and after
              --hold S         keep the sessions open S seconds after measuring (default 5)""";

    private static final Set<String> VALUED = union(Common.OPTIONS, Set.of("processes", "server-pid", "hold", "offset"));
    private static final Set<String> FLAGS = Set.of("child");
    private static final int SESSIONS_PER_SOURCE = 5_000;

    private ConnectionsCommand() {
    }

    public static void run(List<String> argv) throws InterruptedException {
        Args args = Args.parse(argv, VALUED, FLAGS);
        int n = args.positionalInt(0, "N (the number of sessions)", 1, 10_000_000);
        Common common = Common.from(args, Math.max(1, (n + SESSIONS_PER_SOURCE - 1) / SESSIONS_PER_SOURCE));
        int processes = args.integer("processes", 1, 1, 64);
        int hold = args.integer("hold", 5, 0, 7 * 86_400);
        if (args.flag("child")) {
            runChild(common, n, args.integer("offset", 0, 0, Integer.MAX_VALUE));
            return;
        }
        ServerProbe probe = ServerProbe.of(args);
        Progress progress = new Progress();
        progress.line("connections: " + Table.count(n) + " sessions to " + common.host() + ":" + common.port()
                + " from " + common.sources().describe() + ", run " + common.run()
                + (processes > 1 ? ", " + processes + " processes" : ""));
        Memory before = Memory.measure(probe, progress, "before");
        long cpuBefore = probe == null ? -1 : probe.cpuNanos().orElse(-1);

        Net net = null;
        Children children = null;
        List<ChatClient> clients = List.of();
        AtomicInteger dropped = new AtomicInteger();
        LoginReport report;
        try {
            if (processes == 1) {
                net = new Net(2, "gen");
                Logins.Result r = Logins.run(net, common, names(common, 0, n), true, holder(dropped), progress,
                        "connections");
                clients = r.online();
                report = LoginReport.of(r);
            } else {
                children = new Children(childArgs(common, n, processes));
                report = LoginReport.merge(children.awaitReady());
            }
            long cpuPerUser = cpuBefore < 0 || report.online() == 0 ? -1
                    : (probe.cpuNanos().orElse(cpuBefore) - cpuBefore) / report.online();
            progress.line("logged in " + Table.count(report.online()) + " of " + Table.count(n) + ", "
                    + Table.decimal(report.perSecond()) + " logins/s; failures: " + report.failureText());
            Progress.sleep(2_000); // let the node settle (session setup finishing, queues draining)
            Memory after = Memory.measure(probe, progress, "after");
            int open = children != null ? children.countOpen() : clients.size() - dropped.get();
            for (int waited = 0; waited < hold; waited += 5) {
                Progress.sleep(Math.min(5, hold - waited) * 1000L);
                open = children != null ? children.countOpen() : clients.size() - dropped.get();
                progress.line("holding: " + Table.count(open) + " sessions open");
            }
            if (children != null) {
                open = children.stop();
            } else {
                closeAll(net, clients);
            }
            print(n, common, processes, report, open, before, after, cpuPerUser);
        } finally {
            if (children != null) {
                children.close();
            }
            if (net != null) {
                net.close();
            }
        }
    }

    /** A child process: log in its share, report, then answer `count` and `stop` on stdin. */
    private static void runChild(Common common, int n, int offset) throws InterruptedException {
        Progress progress = new Progress();
        AtomicInteger dropped = new AtomicInteger();
        try (Net net = new Net(2, "gen")) {
            Logins.Result r = Logins.run(net, common, names(common, offset, n), true, holder(dropped), progress,
                    "users " + offset + "-" + (offset + n - 1));
            System.out.println("@ready " + LoginReport.of(r).encode());
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    System.out.println("@open " + (r.online().size() - dropped.get()));
                    System.out.flush();
                    if (line.trim().equals("stop")) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the parent is gone: close and exit
            }
            closeAll(net, r.online());
        }
    }

    /** Held sessions just answer pings (ChatClient does) and count the ones that drop. */
    private static ChatClient.Listener holder(AtomicInteger dropped) {
        return new ChatClient.Listener() {
            @Override
            public void failed(ChatClient client, String reason) {
                dropped.incrementAndGet();
            }
        };
    }

    private static List<String> names(Common common, int offset, int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(common.user(Integer.toString(offset + i)));
        }
        return names;
    }

    private static List<List<String>> childArgs(Common common, int n, int processes) {
        List<List<String>> all = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < processes; i++) {
            int share = n / processes + (i < n % processes ? 1 : 0);
            all.add(List.of("connections", Integer.toString(share), "--child",
                    "--offset", Integer.toString(offset),
                    "--run", common.run(),
                    "--host", common.host(),
                    "--port", Integer.toString(common.port()),
                    "--sources", Integer.toString(common.sources().size()),
                    "--concurrency", Integer.toString(Math.max(1, common.concurrency() / processes))));
            offset += share;
        }
        return all;
    }

    private static void closeAll(Net net, List<ChatClient> clients) {
        for (ChatClient c : clients) {
            c.conn().loop().execute(c::close);
        }
        for (var loop : net.loops()) {
            loop.call(() -> null).join(); // the closes queued before this have run
        }
    }

    private static void print(int n, Common common, int processes, LoginReport r, int open, Memory before, Memory after,
                              long cpuPerUser) {
        Table t = Table.keyValue()
                .row("sessions requested", Table.count(n))
                .row("sessions online", Table.count(r.online()))
                .row("sessions held to the end", Table.count(open))
                .row("failures", r.failureText())
                .row("generator processes", processes)
                .row("source addresses", common.sources().describe())
                .row("logins/s", Table.decimal(r.perSecond()))
                .row("login p50 (login -> replay_done)", Table.millis(r.login().percentileMillis(50)))
                .row("login p99", Table.millis(r.login().percentileMillis(99)))
                .row("login max", Table.millis(r.login().maxMillis()))
                .row("register p50", Table.millis(r.register().percentileMillis(50)))
                .row("register p99", Table.millis(r.register().percentileMillis(99)));
        if (before.known()) {
            t.row("node CPU per user (register + login)", cpuPerUser < 0 ? "-" : Table.millis(cpuPerUser / 1e6))
                    .row("node RSS before", bytes(before.rss()))
                    .row("node RSS with sessions", bytes(after.rss()))
                    .row("node heap before (after GC)", bytes(before.heap()))
                    .row("node heap with sessions (after GC)", bytes(after.heap()))
                    .row("RSS per session", perSession(before.rss(), after.rss(), r.online()))
                    .row("heap per session", perSession(before.heap(), after.heap(), r.online()));
        }
        System.out.println();
        System.out.print(t.render());
    }

    private static String bytes(OptionalLong b) {
        return b.isPresent() ? Table.bytes(b.getAsLong()) : "-";
    }

    private static String perSession(OptionalLong before, OptionalLong after, int sessions) {
        if (before.isEmpty() || after.isEmpty() || sessions == 0) {
            return "-";
        }
        return Table.count((after.getAsLong() - before.getAsLong()) / sessions) + " B";
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
