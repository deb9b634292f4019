package chat.bench.load;

import chat.bench.Args;
import chat.bench.Common;
import chat.bench.Latencies;
import chat.bench.NodeMetrics;
import chat.bench.Progress;
import chat.bench.ServerProbe;
import chat.bench.Table;
import chat.bench.client.ChatClient;
import chat.bench.client.Logins;
import chat.bench.net.Fields;
import chat.bench.net.Net;
import chat.protocol.ClientFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * `groups`: what a group message costs. Fan-out: one group of M online members (level 3), one
 * member sends K messages open loop; for each, the time until its first and its last member has it;
 * then the same K messages one-to-one, for the node's CPU and store time per message side by side.
 * Sustained (`--groups G`): G groups of S members each get messages at a total rate R for D seconds.
 */
public final class GroupsCommand {

    public static final String USAGE = """
            groups [--members M] [--messages K] [--rate R] [--warmup W]
                   [--groups G --size S --seconds D] [--server-pid PID] [--metrics URL|none]
                   [--host H] [--port P] [--sources K] [--concurrency C] [--run ID]
              Fan-out (default): one group of M members (default 1000), K messages (default 100)
              at R/s (default 10) after W untimed ones (default 20), then K one-to-one messages.
              Sustained (--groups G): G groups of S members (default 10), R group messages per
              second in all (default 100) for D seconds (default 30).
              --server-pid P  node CPU per message from /proc/P/stat
              --metrics URL   the node's Prometheus endpoint for its store time per message
                              (default http://127.0.0.1:7626/metrics)""";

    private static final Set<String> VALUED = ConnectionsCommand.union(Common.OPTIONS,
            Set.of("members", "messages", "rate", "warmup", "groups", "size", "seconds", "server-pid", "metrics"));

    private GroupsCommand() {
    }

    public static void run(List<String> argv) throws InterruptedException {
        Args args = Args.parse(argv, VALUED, Set.of());
        Common common = Common.from(args, 4);
        ServerProbe probe = ServerProbe.of(args);
        NodeMetrics metrics = NodeMetrics.of(args);
        Progress progress = new Progress();
        try (Net net = new Net(2, "gen")) {
            if (args.string("groups", null) != null) {
                sustained(args, common, net, probe, metrics, progress);
            } else {
                fanout(args, common, net, probe, metrics, progress);
            }
        }
    }

    // ---- fan-out --------------------------------------------------------------------------------

    private static void fanout(Args args, Common common, Net net, ServerProbe probe, NodeMetrics metrics,
                               Progress progress) throws InterruptedException {
        int m = args.integer("members", 1000, 2, 100_000);
        int k = args.integer("messages", 100, 1, 1_000_000);
        int warmup = args.integer("warmup", 20, 0, 1_000_000);
        double rate = args.decimal("rate", 10, 0.1);
        progress.line("groups fan-out: " + m + " members, " + warmup + " + " + k + " messages at " + rate + "/s, node at "
                + common.host() + ":" + common.port());
        Members members = new Members(warmup + k);
        List<ChatClient> online = login(net, common, names(common, "g0", m), members, progress, "members");
        String groupId = create(online, members, "fan-out", progress);

        ChatClient sender = online.get(0);
        send(sender, members, groupId, null, 0, warmup, rate, progress, "warm-up");
        members.await(warmup, m - 1, progress);
        settle(metrics, progress);
        Cost before = Cost.now(probe, metrics);
        send(sender, members, groupId, null, warmup, warmup + k, rate, progress, "group messages");
        members.await(warmup + k, m - 1, progress);
        settle(metrics, progress);
        Cost group = Cost.now(probe, metrics).minus(before);

        Cost before1 = Cost.now(probe, metrics);
        String peer = online.get(1).username();
        Members direct = members.direct(k);
        send(sender, members, null, peer, 0, k, rate, progress, "one-to-one messages");
        direct.await(k, 1, progress);
        settle(metrics, progress);
        Cost one = Cost.now(probe, metrics).minus(before1);

        Latencies first = new Latencies();
        Latencies last = new Latencies();
        for (int i = warmup; i < warmup + k; i++) {
            first.recordNanos(members.first[i] - members.sentAt[i]);
            last.recordNanos(members.last[i] - members.sentAt[i]);
        }
        Table t = Table.keyValue()
                .row("members online", Table.count(online.size()))
                .row("group messages timed", Table.count(k))
                .row("to the first member p50 / p99", Table.millis(first.percentileMillis(50)) + " / "
                        + Table.millis(first.percentileMillis(99)))
                .row("to the last member p50 / p99", Table.millis(last.percentileMillis(50)) + " / "
                        + Table.millis(last.percentileMillis(99)))
                .row("deliveries (messages x other members)", Table.count(members.deliveries.sum()))
                .row("duplicates", Table.count(members.duplicates.sum()))
                .row("errors", members.errors.toString());
        group.rows(t, "group message", k);
        one.rows(t, "1:1 message", k);
        System.out.println();
        System.out.print(t.render());
    }

    // ---- sustained ------------------------------------------------------------------------------

    private static void sustained(Args args, Common common, Net net, ServerProbe probe, NodeMetrics metrics,
                                  Progress progress) throws InterruptedException {
        int g = args.integer("groups", 100, 1, 10_000);
        int size = args.integer("size", 10, 2, 1_000);
        double rate = args.decimal("rate", 100, 0.1);
        int seconds = args.integer("seconds", 30, 1, 3_600);
        int total = (int) Math.ceil(rate * seconds);
        progress.line("groups sustained: " + g + " groups of " + size + ", " + rate + " group messages/s for " + seconds
                + " s, node at " + common.host() + ":" + common.port());
        Members members = new Members(total);
        List<ChatClient> online = login(net, common, names(common, "gs", g * size), members, progress, "members");
        if (online.size() < g * size) {
            throw new IllegalStateException("only " + online.size() + " of " + g * size + " members logged in");
        }
        List<String> groupIds = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            groupIds.add(create(online.subList(i * size, (i + 1) * size), members, "sustained-" + i, progress));
        }
        Cost before = Cost.now(probe, metrics);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            int group = i % g;
            ChatClient from = online.get(group * size + (i / g) % size);
            pace(start, i, rate);
            members.sentAt[i] = System.nanoTime();
            String content = "i:" + i;
            String id = "s-" + i;
            String gid = groupIds.get(group);
            from.conn().loop().execute(() -> from.send(ClientFrame.Message.toGroup(gid, content, id)));
            if (i % Math.max(1, (int) rate) == 0) {
                progress.line("sent " + Table.count(i) + "/" + Table.count(total) + ", deliveries "
                        + Table.count(members.deliveries.sum()));
            }
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        members.await(total, size - 1, progress);
        double allSeconds = (System.nanoTime() - start) / 1e9;
        settle(metrics, progress);
        Cost cost = Cost.now(probe, metrics).minus(before);
        Latencies last = new Latencies();
        for (int i = 0; i < total; i++) {
            last.recordNanos(members.last[i] - members.sentAt[i]);
        }
        Table t = Table.keyValue()
                .row("groups x members", g + " x " + size)
                .row("group messages sent", Table.count(total))
                .row("sending rate achieved (msg/s)", Table.decimal(total / sendSeconds))
                .row("group messages fully delivered per second", Table.decimal(total / allSeconds))
                .row("member deliveries per second", Table.decimal(members.deliveries.sum() / allSeconds))
                .row("to the last member p50 / p99 / max", Table.millis(last.percentileMillis(50)) + " / "
                        + Table.millis(last.percentileMillis(99)) + " / " + Table.millis(last.maxMillis()))
                .row("duplicates", Table.count(members.duplicates.sum()))
                .row("errors", members.errors.toString());
        cost.rows(t, "group message", total);
        System.out.println();
        System.out.print(t.render());
    }

    // ---- shared -----------------------------------------------------------------------------------

    private static List<String> names(Common common, String prefix, int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(common.user(prefix + "-" + i));
        }
        return names;
    }

    private static List<ChatClient> login(Net net, Common common, List<String> names, Members members, Progress progress,
                                          String what) {
        Logins.Result r = Logins.run(net, common, i -> common.target(), names, i -> "bench", true,
                ChatClient.Dialect.LEVEL3, members, progress, what);
        if (r.online().size() < 2) {
            throw new IllegalStateException("members could not log in: " + LoginReport.of(r).failureText());
        }
        return r.online();
    }

    /** The first member creates a group of them all; returns once every member's device has the group frame. */
    private static String create(List<ChatClient> group, Members members, String name, Progress progress)
            throws InterruptedException {
        ChatClient creator = group.get(0);
        List<String> others = group.subList(1, group.size()).stream().map(ChatClient::username).toList();
        String key = "create-" + name;
        members.expectGroup(name, group.size());
        creator.conn().loop().execute(() -> creator.send(new ClientFrame.CreateGroup(name, others, key)));
        return members.awaitGroup(name, progress);
    }

    /** Sends messages [from, to) at `rate` per second, open loop: each is due at its time, whatever came back. */
    private static void send(ChatClient sender, Members members, String groupId, String peer, int from, int to,
                             double rate, Progress progress, String what) {
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            pace(start, i - from, rate);
            String content = "i:" + i;
            String id = (groupId != null ? "g-" : "d-") + i;
            ClientFrame.Message frame = groupId != null ? ClientFrame.Message.toGroup(groupId, content, id)
                    : new ClientFrame.Message(peer, content, id);
            long now = System.nanoTime();
            members.sentAt(groupId != null, i, now);
            sender.conn().loop().execute(() -> sender.send(frame));
        }
        progress.line(what + ": " + (to - from) + " sent");
    }

    /**
     * Waits until the node's store writes stop moving: the members' acks of what they just received,
     * and the positions their sessions store on the next heartbeat (every 15 s), belong to these
     * messages' cost, not to the next round's. Quiet means no write for 2 s, longer than the node holds
     * a position back to share a commit (1 s); at most 20 s, a heartbeat and that delay.
     */
    private static void settle(NodeMetrics metrics, Progress progress) throws InterruptedException {
        Optional<NodeMetrics.Sample> previous = metrics == null ? Optional.empty() : metrics.sample();
        long deadline = System.nanoTime() + 20_000_000_000L;
        int quiet = 0;
        while (previous.isPresent()) {
            Thread.sleep(500); // the node's counters, read twice a second
            Optional<NodeMetrics.Sample> now = metrics.sample();
            if (now.isEmpty()) {
                return;
            }
            quiet = now.get().commitWrites() == previous.get().commitWrites() ? quiet + 1 : 0;
            if (quiet >= 4) {
                return;
            }
            if (System.nanoTime() > deadline) {
                progress.line("store writes still moving after 20 s");
                return;
            }
            previous = now;
        }
    }

    private static void pace(long start, int i, double rate) {
        long due = start + (long) (i * 1e9 / rate);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** CPU of the node and time of its store writer, as read at one moment (or their difference). */
    private record Cost(long cpuNanos, Optional<NodeMetrics.Sample> store) {
        static Cost now(ServerProbe probe, NodeMetrics metrics) {
            return new Cost(probe == null ? -1 : probe.cpuNanos().orElse(-1),
                    metrics == null ? Optional.empty() : metrics.sample());
        }

        Cost minus(Cost before) {
            return new Cost(cpuNanos < 0 || before.cpuNanos < 0 ? -1 : cpuNanos - before.cpuNanos,
                    store.isPresent() && before.store.isPresent() ? Optional.of(store.get().minus(before.store.get()))
                            : Optional.empty());
        }

        void rows(Table t, String what, int messages) {
            t.row("node CPU per " + what, cpuNanos < 0 ? "- (no --server-pid)" : Table.decimal(cpuNanos / 1e3 / messages) + " µs");
            store.ifPresentOrElse(s -> t.row("store writer time per " + what,
                            Table.decimal(s.commitSeconds() * 1e6 / messages) + " µs (" + Table.count((long) s.commits())
                                    + " commits, " + Table.count((long) s.commitWrites()) + " writes)"),
                    () -> t.row("store writer time per " + what, "- (metrics endpoint not reachable)"));
        }
    }

    /**
     * What every member hears, on the generator's loop threads: `group` frames (the group exists for
     * it), group messages (acked, each counted once per member, first and last arrival kept per
     * message index) and the sender's acks.
     */
    private static final class Members implements ChatClient.Listener {
        final long[] sentAt;
        final long[] first;
        final long[] last;
        final int[] count;
        final LongAdder deliveries = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final Map<String, Integer> errors = new ConcurrentHashMap<>();
        private final Map<String, String> groupIds = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> groupFrames = new ConcurrentHashMap<>();
        private final Map<String, Integer> groupSizes = new ConcurrentHashMap<>();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private Members direct; // the one-to-one round's counters

        Members(int messages) {
            sentAt = new long[messages];
            first = new long[messages];
            last = new long[messages];
            count = new int[messages];
        }

        Members direct(int messages) {
            direct = new Members(messages);
            return direct;
        }

        void sentAt(boolean group, int i, long nanos) {
            (group || direct == null ? this : direct).sentAt[i] = nanos;
        }

        void expectGroup(String name, int size) {
            groupSizes.put(name, size);
        }

        String awaitGroup(String name, Progress progress) throws InterruptedException {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (true) {
                LongAdder n = groupFrames.get(name);
                if (n != null && n.sum() >= groupSizes.get(name) && groupIds.containsKey(name)) {
                    return groupIds.get(name);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("group '" + name + "' reached " + (n == null ? 0 : n.sum()) + " of "
                            + groupSizes.get(name) + " members in 120 s; errors " + errors);
                }
                Thread.sleep(20); // polling a condition the loop threads fill in
            }
        }

        void await(int messages, int perMessage, Progress progress) throws InterruptedException {
            long lastMove = System.nanoTime();
            long lastCount = -1;
            long lastLine = 0;
            while (true) {
                int complete = 0;
                for (int i = 0; i < messages; i++) {
                    synchronized (this) {
                        if (count[i] >= perMessage) {
                            complete++;
                        }
                    }
                }
                if (complete == messages) {
                    return;
                }
                long now = System.nanoTime();
                long d = deliveries.sum();
                if (d != lastCount) {
                    lastCount = d;
                    lastMove = now;
                } else if (now - lastMove > 60_000_000_000L) {
                    throw new IllegalStateException("deliveries stopped at " + d + " (" + complete + "/" + messages
                            + " messages complete); errors " + errors);
                }
                if (now - lastLine > 1_000_000_000L) {
                    progress.line("delivered to all: " + complete + "/" + messages + ", deliveries " + Table.count(d));
                    lastLine = now;
                }
                Thread.sleep(10); // polling a condition the loop threads fill in
            }
        }

        @Override
        public void frame(ChatClient client, String type, String line) {
            switch (type) {
                case "group" -> {
                    String name = Fields.string(line, "name");
                    groupIds.putIfAbsent(name, Fields.string(line, "group_id"));
                    groupFrames.computeIfAbsent(name, x -> new LongAdder()).increment();
                }
                case "message" -> onMessage(client, line);
                case "group_event" -> ack(client, Fields.number(line, "msg_id", -1));
                case "message_error", "error" -> errors.merge(String.valueOf(Fields.string(line, "code")), 1, Integer::sum);
                default -> {
                    // acks, receipts, presence: not what this benchmark measures
                }
            }
        }

        private void onMessage(ChatClient client, String line) {
            long now = System.nanoTime();
            long msgId = Fields.number(line, "msg_id", -1);
            ack(client, msgId);
            String content = Fields.string(line, "content");
            if (content == null || !content.startsWith("i:")) {
                return;
            }
            boolean group = Fields.string(line, "group_id") != null;
            Members target = group || direct == null ? this : direct;
            int i = Integer.parseInt(content.substring(2));
            if (!seen.add(client.username() + '/' + msgId)) {
                duplicates.increment();
                return;
            }
            target.deliveries.increment();
            if (i < 0 || i >= target.count.length) {
                return;
            }
            synchronized (target) {
                if (target.count[i]++ == 0) {
                    target.first[i] = now;
                }
                target.last[i] = Math.max(target.last[i], now);
            }
        }

        private static void ack(ChatClient client, long msgId) {
            AckBatch.add(client, msgId);
        }
    }
}
