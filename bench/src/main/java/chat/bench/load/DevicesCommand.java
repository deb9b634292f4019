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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * `devices`: messages to users who are online on several devices at once, beside the same load to
 * users with one device, in one run: the extra devices should cost network writes (a frame per
 * device) and their acks, not store writes per message.
 */
public final class DevicesCommand {

    public static final String USAGE = """
            devices [--users U] [--devices D] [--senders S] [--rate R] [--seconds T]
                    [--server-pid PID] [--metrics URL|none]
                    [--host H] [--port P] [--sources K] [--concurrency C] [--run ID]
              U receivers (default 100), first with one device each, then with D (default 3), all
              online (level 3); S senders (default 10) send R messages per second in all (default
              500) for T seconds (default 20), open loop; every device acks what it gets.
              --server-pid P  node CPU per message from /proc/P/stat
              --metrics URL   the node's store writer time per message (default http://127.0.0.1:7626/metrics)""";

    private static final Set<String> VALUED = ConnectionsCommand.union(Common.OPTIONS,
            Set.of("users", "devices", "senders", "rate", "seconds", "server-pid", "metrics"));

    private DevicesCommand() {
    }

    /** One round's outcome. */
    private record Round(int devices, int messages, double sendSeconds, double allSeconds, long deliveries,
                         long duplicates, Latencies toAll, Map<String, Integer> errors, long cpuNanos,
                         Optional<NodeMetrics.Sample> store) {
    }

    public static void run(List<String> argv) throws InterruptedException {
        Args args = Args.parse(argv, VALUED, Set.of());
        Common common = Common.from(args, 4);
        int users = args.integer("users", 100, 1, 10_000);
        int devices = args.integer("devices", 3, 1, 64);
        int senders = args.integer("senders", 10, 1, 1_000);
        double rate = args.decimal("rate", 500, 0.1);
        int seconds = args.integer("seconds", 20, 1, 3_600);
        ServerProbe probe = ServerProbe.of(args);
        NodeMetrics metrics = NodeMetrics.of(args);
        Progress progress = new Progress();
        progress.line("devices: " + users + " receivers with 1, then " + devices + " devices, " + senders + " senders, "
                + rate + " msg/s for " + seconds + " s, node at " + common.host() + ":" + common.port());
        List<Round> rounds = new ArrayList<>();
        try (Net net = new Net(2, "gen")) {
            for (int d : devices == 1 ? List.of(1) : List.of(1, devices)) {
                rounds.add(round(net, common, users, d, senders, rate, seconds, probe, metrics, progress));
            }
        }
        Table t = new Table("devices per user", "messages", "sent msg/s", "all devices have it, msg/s",
                "device deliveries/s", "to all devices p50", "p99", "duplicates", "errors", "node CPU/msg",
                "store time/msg", "store writes/msg");
        for (Round r : rounds) {
            t.row(r.devices(), Table.count(r.messages()), Table.decimal(r.messages() / r.sendSeconds()),
                    Table.decimal(r.messages() / r.allSeconds()), Table.decimal(r.deliveries() / r.allSeconds()),
                    Table.millis(r.toAll().percentileMillis(50)), Table.millis(r.toAll().percentileMillis(99)),
                    Table.count(r.duplicates()), r.errors().isEmpty() ? "0" : r.errors().toString(),
                    r.cpuNanos() < 0 ? "-" : Table.decimal(r.cpuNanos() / 1e3 / r.messages()) + " µs",
                    r.store().map(s -> Table.decimal(s.commitSeconds() * 1e6 / r.messages()) + " µs").orElse("-"),
                    r.store().map(s -> Table.decimal(s.commitWrites() / r.messages())).orElse("-"));
        }
        System.out.println();
        System.out.print(t.render());
    }

    private static Round round(Net net, Common common, int users, int devices, int senderCount, double rate, int seconds,
                               ServerProbe probe, NodeMetrics metrics, Progress progress) throws InterruptedException {
        int total = (int) Math.ceil(rate * seconds);
        Receivers receivers = new Receivers(total, devices);
        List<String> names = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int d = 0; d < devices; d++) {
                names.add(common.user("d" + devices + "rx" + u));
            }
        }
        Logins.Result rx = Logins.run(net, common, i -> common.target(), names, i -> "bench-" + (i % devices), true,
                ChatClient.Dialect.LEVEL3, receivers, progress, devices + "-device receivers");
        if (rx.online().size() < names.size()) {
            throw new IllegalStateException("receivers: " + LoginReport.of(rx).failureText());
        }
        List<String> senderNames = new ArrayList<>();
        for (int s = 0; s < senderCount; s++) {
            senderNames.add(common.user("d" + devices + "tx" + s));
        }
        Logins.Result tx = Logins.run(net, common, i -> common.target(), senderNames, i -> "bench", true,
                ChatClient.Dialect.LEVEL3, receivers, progress, "senders");
        if (tx.online().size() < senderCount) {
            throw new IllegalStateException("senders: " + LoginReport.of(tx).failureText());
        }
        long cpu0 = probe == null ? -1 : probe.cpuNanos().orElse(-1);
        Optional<NodeMetrics.Sample> store0 = metrics == null ? Optional.empty() : metrics.sample();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            ChatClient from = tx.online().get(i % senderCount);
            String to = common.user("d" + devices + "rx" + (i % users));
            ClientFrame.Message m = new ClientFrame.Message(to, "i:" + i, "m-" + i);
            receivers.sentAt.set(i, System.nanoTime());
            from.conn().loop().execute(() -> from.send(m));
            if (i > 0 && i % Math.max(1, (int) rate) == 0) {
                progress.line(devices + " device(s): sent " + Table.count(i) + "/" + Table.count(total)
                        + ", device deliveries " + Table.count(receivers.deliveries.sum()));
            }
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        receivers.await(progress);
        double allSeconds = (System.nanoTime() - start) / 1e9;
        long cpu = cpu0 < 0 ? -1 : probe.cpuNanos().orElse(-1) - cpu0;
        Optional<NodeMetrics.Sample> store = store0.flatMap(before -> metrics.sample().map(after -> after.minus(before)));
        Latencies toAll = new Latencies();
        for (int i = 0; i < total; i++) {
            toAll.recordNanos(receivers.last.get(i) - receivers.sentAt.get(i));
        }
        for (ChatClient c : rx.online()) {
            c.conn().loop().execute(c::close);
        }
        for (ChatClient c : tx.online()) {
            c.conn().loop().execute(c::close);
        }
        return new Round(devices, total, sendSeconds, allSeconds, receivers.deliveries.sum(), receivers.duplicates.sum(),
                toAll, Map.copyOf(receivers.errors), cpu, store);
    }

    /** Every device's deliveries (acked in batches), counted per message index until each device has it. */
    private static final class Receivers implements ChatClient.Listener {
        final AtomicLongArray sentAt;
        final AtomicLongArray last;
        final AtomicIntegerArray count;
        final int devices;
        final LongAdder deliveries = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final Map<String, Integer> errors = new ConcurrentHashMap<>();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        Receivers(int messages, int devices) {
            sentAt = new AtomicLongArray(messages);
            last = new AtomicLongArray(messages);
            count = new AtomicIntegerArray(messages);
            this.devices = devices;
        }

        @Override
        public void frame(ChatClient client, String type, String line) {
            if (type.equals("message_error") || type.equals("error")) {
                errors.merge(String.valueOf(Fields.string(line, "code")), 1, Integer::sum);
                return;
            }
            if (!type.equals("message")) {
                return;
            }
            long msgId = Fields.number(line, "msg_id", -1);
            AckBatch.add(client, msgId);
            String content = Fields.string(line, "content");
            if (content == null || !content.startsWith("i:") || client.username().equals(Fields.string(line, "sender"))) {
                return; // a sender's copy on its own other device is not what is measured
            }
            if (!seen.add(client.username() + '/' + client.device() + '/' + msgId)) {
                duplicates.increment();
                return;
            }
            deliveries.increment();
            int i = Integer.parseInt(content.substring(2));
            if (i >= 0 && i < count.length()) {
                last.accumulateAndGet(i, System.nanoTime(), Math::max);
                count.incrementAndGet(i);
            }
        }

        void await(Progress progress) throws InterruptedException {
            long lastMove = System.nanoTime();
            long lastCount = -1;
            long lastLine = 0;
            while (true) {
                int complete = 0;
                for (int i = 0; i < count.length(); i++) {
                    if (count.get(i) >= devices) {
                        complete++;
                    }
                }
                if (complete == count.length()) {
                    return;
                }
                long now = System.nanoTime();
                long d = deliveries.sum();
                if (d != lastCount) {
                    lastCount = d;
                    lastMove = now;
                } else if (now - lastMove > 60_000_000_000L) {
                    throw new IllegalStateException("deliveries stopped at " + d + " (" + complete + "/" + count.length()
                            + " messages on every device); errors " + errors);
                }
                if (now - lastLine > 1_000_000_000L) {
                    progress.line("on every device: " + Table.count(complete) + "/" + Table.count(count.length()));
                    lastLine = now;
                }
                Thread.sleep(10); // polling a condition the loop threads fill in
            }
        }
    }
}
