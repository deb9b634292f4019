package chat.bench.load;

import chat.bench.Args;
import chat.bench.Common;
import chat.bench.Progress;
import chat.bench.ServerProbe;
import chat.bench.Table;
import chat.bench.relay.RelayServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * `throughput`: K sender/receiver pairs, an open-loop aggregate rate, every message acked by its
 * receiver; reports sent, acked, received, lost, duplicated and send-to-receive latency. With
 * --find-max it ramps the rate until a step fails (loss, errors, a p99 past --max-p99, or a rate
 * the generator could not reach) and narrows the boundary down.
 */
public final class ThroughputCommand {

    public static final String USAGE = """
            throughput [--pairs K] [--rate R] [--duration S] [--find-max] [--target node|relay|level1]
                       [--host H] [--port P] [--sources K] [--server-pid PID] [--run ID]
              K sender/receiver pairs send R messages/s in total, on a fixed schedule, for S seconds.
              --pairs K       sender/receiver pairs (default 10)
              --rate R        aggregate messages per second (default 1000; --find-max starts here)
              --duration S    seconds per step (default 10)
              --warmup S      an unreported first step of S seconds at --rate (default 0)
              --grace S       seconds to wait for the last deliveries after a step (default 5)
              --size B        message content bytes (default 64)
              --target T      node (default), relay (a relay-server, or the relay command) or level1 (an
                              old level 1 server you start yourself, such as the seed project's: no acks,
                              so lost = sent but not received; logins one at a time unless --concurrency;
                              the seed's server needs a restart with a fresh database before every
                              run, and --pairs 1: see bench/README.md)
              --find-max      raise the rate by --factor (default 1.5) until a step fails, then
                              bisect --refine times (default 2); a step fails on loss, errors,
                              disconnects, p99 over --max-p99 ms (default 100) or a send rate
                              under 95% of the target (the generator itself could not keep up)
              --max-rate R    stop ramping here (default 1000000)
              --server-pid P  also report the CPU of that process (node, relay-server or old server) per step
              --nodes P1,P2,...  ports of --host of a cluster's nodes (instead of --port): sender i logs
                              in at node i mod N, its receiver at the next node, so with two nodes
                              or more every message crosses from one node to another""";

    static final Set<String> VALUED = ConnectionsCommand.union(Common.OPTIONS, Set.of("pairs", "rate", "duration",
            "warmup", "grace", "size", "target", "factor", "refine", "max-p99", "max-rate", "server-pid", "nodes"));
    static final Set<String> FLAGS = Set.of("find-max");

    public static final String RELAY_USAGE = """
            relay [throughput options] [--relay-threads T]
              Starts the bare relay (see relay-server) in this process on a free port and runs the
              throughput workload against it: the same pairs, rate, schedule and report. Running
              relay-server as its own process and `throughput --target relay` against it is fairer
              (the relay then does not share a JVM with the generator).""";

    private ThroughputCommand() {
    }

    public static void run(List<String> argv) {
        Args args = Args.parse(argv, VALUED, FLAGS);
        String name = args.string("target", "node");
        Target target = Target.parse(name);
        if (target == null) {
            throw new Args.UsageError("--target must be node, relay or level1, not '" + name + "'");
        }
        Common common = Common.from(args, 1);
        if (target == Target.LEVEL1 && !args.has("concurrency")) {
            // the old server's threads share one sqlite cursor unlocked: concurrent registers and logins
            // fail at random there. Set-up is not what is measured, so one at a time.
            common = new Common(common.host(), common.port(), common.sources(), 1, common.run(), common.password());
        }
        run(args, common, target, name);
    }

    /** `relay`: the throughput workload against a relay started in this process. */
    public static void relay(List<String> argv) {
        Set<String> valued = ConnectionsCommand.union(VALUED, Set.of("relay-threads"));
        Args args = Args.parse(argv, valued, FLAGS);
        if (args.has("target") || args.has("port") || args.has("host")) {
            throw new Args.UsageError("relay picks its own target; use throughput --target relay for another one");
        }
        Common given = Common.from(args, 1);
        try (RelayServer relay = RelayServer.start("127.0.0.1", 0, args.integer("relay-threads", 2, 1, 64))) {
            Common common = new Common("127.0.0.1", relay.port(), given.sources(), given.concurrency(), given.run(),
                    given.password());
            run(args, common, Target.RELAY, "relay (in-process)");
            System.out.println("the relay forwarded " + Table.count(relay.relayed()) + " messages ("
                    + Table.count(relay.unrouted()) + " unrouted)");
        }
    }

    /** --nodes 12346,12356,...: the cluster's nodes on --host; otherwise --port alone. */
    static List<InetSocketAddress> nodes(Args args, Common common) {
        if (!args.has("nodes")) {
            return List.of(common.target());
        }
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String port : args.string("nodes", "").split(",")) {
            try {
                int p = Integer.parseInt(port.trim());
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
                nodes.add(new InetSocketAddress(common.host(), p));
            } catch (NumberFormatException e) {
                throw new Args.UsageError("--nodes takes ports separated by commas, not '" + args.string("nodes", "") + "'");
            }
        }
        return nodes;
    }

    /** The workload itself; the relay command calls it with the address of its in-process relay. */
    static void run(Args args, Common common, Target target, String targetName) {
        boolean node = target.acks; // acks and receipts are the node's alone
        int pairs = args.integer("pairs", 10, 1, 100_000);
        double rate = args.decimal("rate", 1000, 1);
        double duration = args.decimal("duration", 10, 0.1);
        double warmup = args.decimal("warmup", 0, 0);
        double grace = args.decimal("grace", 5, 0);
        int size = args.integer("size", 64, 30, 16_000);
        double factor = args.decimal("factor", 1.5, 1.01);
        int refine = args.integer("refine", 2, 0, 10);
        double maxP99 = args.decimal("max-p99", 100, 0.001);
        double maxRate = args.decimal("max-rate", 1_000_000, 1);
        ServerProbe probe = ServerProbe.of(args);
        Progress progress = new Progress();
        progress.line("throughput: " + pairs + " pairs against the " + targetName + " at " + common.host() + ":"
                + common.port() + ", run " + common.run());
        List<Step> steps = new ArrayList<>();
        Step best = null;
        boolean capped = false;
        List<InetSocketAddress> nodes = nodes(args, common);
        if (nodes.size() > 1) {
            progress.line("over " + nodes.size() + " nodes: sender i at node i mod " + nodes.size() + ", its receiver at the next");
        }
        try (Traffic traffic = new Traffic(common, nodes, pairs, size, target, progress)) {
            if (warmup > 0) {
                traffic.run("warm-up", rate, warmup, grace, progress, probe);
            }
            if (!args.flag("find-max")) {
                steps.add(traffic.run("run", rate, duration, grace, progress, probe));
            } else {
                Step pass = null;
                Step fail = null;
                for (double r = rate; r <= maxRate; r *= factor) {
                    Step s = traffic.run("ramp", r, duration, grace, progress, probe);
                    steps.add(s);
                    progress.line(verdict(s, node, maxP99, traffic));
                    if (failure(s, node, maxP99, traffic) != null) {
                        fail = s;
                        break;
                    }
                    pass = s;
                }
                for (int i = 0; i < refine && pass != null && fail != null; i++) {
                    Step s = traffic.run("bisect", (pass.rate + fail.rate) / 2, duration, grace, progress, probe);
                    steps.add(s);
                    progress.line(verdict(s, node, maxP99, traffic));
                    if (failure(s, node, maxP99, traffic) == null) {
                        pass = s;
                    } else {
                        fail = s;
                    }
                }
                best = pass;
                capped = fail == null;
            }
            print(steps, node, traffic.disconnects(), probe != null);
            if (args.flag("find-max")) {
                System.out.println(best == null
                        ? "no step passed: even " + Table.decimal(rate) + " msg/s failed (try a lower --rate)"
                        : "max sustained rate: " + (capped ? "at least " : "") + Table.decimal(best.rate)
                        + " msg/s against the " + targetName + " (" + pairs + " pairs, p99 "
                        + Table.millis(best.latency.percentileMillis(99)) + ")"
                        + (capped ? "; the ramp stopped at --max-rate before any step failed" : ""));
            }
        }
    }

    /** Why a step does not count as sustained, or null when it does. */
    static String failure(Step s, boolean node, double maxP99, Traffic traffic) {
        if (s.lost > 0) {
            return s.lost + " lost";
        }
        if (s.errorCount() > 0) {
            return "errors " + s.errorsByCode();
        }
        if (node && s.unacked > 0) {
            return s.unacked + " never acknowledged";
        }
        if (traffic.disconnects() > 0) {
            return traffic.disconnects() + " connections dropped";
        }
        if (s.achievedRate() < 0.95 * s.rate) {
            return "sent only " + Table.decimal(s.achievedRate()) + "/s";
        }
        double p99 = s.latency.percentileMillis(99);
        if (!(p99 <= maxP99)) {
            return "p99 " + Table.millis(p99) + " over " + Table.millis(maxP99);
        }
        return null;
    }

    private static String verdict(Step s, boolean node, double maxP99, Traffic traffic) {
        String why = failure(s, node, maxP99, traffic);
        return Table.decimal(s.rate) + " msg/s " + (why == null ? "sustained" : "failed: " + why);
    }

    private static void print(List<Step> steps, boolean node, int disconnects, boolean nodeCpu) {
        Table t = new Table("step", "target/s", "sent", "acked", "received", "lost", "dup", "errors", "sent/s",
                "recv/s", "p50", "p90", "p99", "p99.9", "max", "gen CPU", "server CPU");
        for (Step s : steps) {
            t.row(s.label, Table.decimal(s.rate), Table.count(s.sent.sum()), node ? Table.count(s.acked.sum()) : "-",
                    Table.count(s.received.sum()), Table.count(s.lost), Table.count(s.duplicates.sum()),
                    Table.count(s.errorCount()), Table.decimal(s.achievedRate()), Table.decimal(s.receiveRate()),
                    Table.millis(s.latency.percentileMillis(50)), Table.millis(s.latency.percentileMillis(90)),
                    Table.millis(s.latency.percentileMillis(99)), Table.millis(s.latency.percentileMillis(99.9)),
                    Table.millis(s.latency.maxMillis()), cpu(s.genCpuNanos, s.seconds),
                    nodeCpu ? cpu(s.nodeCpuNanos, s.seconds) : "-");
        }
        System.out.println();
        System.out.print(t.render());
        for (Step s : steps) {
            if (s.errorCount() > 0) {
                System.out.println(s.label + " " + Table.decimal(s.rate) + "/s errors: " + s.errorsByCode());
            }
            if (node) {
                System.out.println(s.label + " " + Table.decimal(s.rate) + "/s: " + Table.count(s.receipts.sum())
                        + " delivery receipts reached the senders for " + Table.count(s.acked.sum()) + " acked messages");
            }
            if (node && s.unacked > 0) {
                System.out.println(s.label + " " + Table.decimal(s.rate) + "/s: " + s.unacked + " messages never acknowledged");
            }
            if (s.misrouted.sum() > 0) {
                System.out.println(s.label + " " + Table.decimal(s.rate) + "/s: " + s.misrouted.sum()
                        + " messages reached the wrong receiver");
            }
        }
        if (disconnects > 0) {
            System.out.println(disconnects + " connections dropped during the run");
        }
        System.out.println("latency: scheduled send time -> first delivery (includes time queued in the generator);"
                + " CPU: % of one core over the step's sending time");
    }

    /** CPU time over wall time as a percentage of one core. */
    private static String cpu(long nanos, double seconds) {
        return nanos < 0 ? "-" : Math.round(nanos / (seconds * 1e9) * 100) + "%";
    }
}
