package chat.bench.load;

import chat.bench.Common;
import chat.bench.Progress;
import chat.bench.ServerProbe;
import chat.bench.Table;
import chat.bench.client.ChatClient;
import chat.bench.client.Logins;
import chat.bench.net.Loop;
import chat.bench.net.Net;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open-loop message workload: K logged-in pairs, and on each generator thread a schedule that
 * sends message k of a step at start + k/rate whatever the answers, so a slow node shows up as
 * latency and loss rather than as a politely slower client. Latency is measured from the scheduled
 * time, not the moment the bytes left, so time spent queued in the generator counts too.
 */
final class Traffic implements AutoCloseable, Pair.Steps {

    private final Net net;
    private final boolean acks;
    private final int pairCount;
    private final List<Pair> pairs = new ArrayList<>();
    private final Map<Loop, Schedule> schedules = new LinkedHashMap<>();
    private final List<Step> steps = new CopyOnWriteArrayList<>();
    private final AtomicInteger disconnects = new AtomicInteger();

    /**
     * Registers and logs in K senders and K receivers (b-<run>-s<i>, b-<run>-r<i>) in the target's
     * dialect. The node acknowledges messages and expects acks; the relay and the old server do neither.
     */
    Traffic(Common common, int pairCount, int contentBytes, Target target, Progress progress) {
        this(common, List.of(common.target()), pairCount, contentBytes, target, progress);
    }

    /** The same over a cluster's `nodes`: sender i at node i mod N, its receiver at the next one. */
    Traffic(Common common, List<InetSocketAddress> nodes, int pairCount, int contentBytes, Target target, Progress progress) {
        this.net = new Net(2, "gen");
        this.acks = target.acks;
        this.pairCount = pairCount;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pairCount; i++) {
            names.add(common.user("s" + i));
        }
        for (int i = 0; i < pairCount; i++) {
            names.add(common.user("r" + i));
        }
        Logins.Result r = Logins.run(net, common, i -> nodes.get((i < pairCount ? i : i - pairCount + 1) % nodes.size()), names, true,
                target.dialect, new ChatClient.Listener() { }, progress, "pairs");
        if (r.online().size() < names.size()) {
            close();
            throw new IllegalStateException("only " + r.online().size() + " of " + names.size()
                    + " users got online: " + LoginReport.of(r).failureText()
                    + (target == Target.LEVEL1 ? " (the old server deadlocks for good once a logged-in client has disconnected,"
                    + " as after any earlier run: restart it, with a fresh --db, before every run)" : ""));
        }
        String padding = contentBytes > 30 ? " " + "x".repeat(contentBytes - 30) : "";
        for (int i = 0; i < pairCount; i++) {
            ChatClient s = r.online().get(i);
            ChatClient rc = r.online().get(pairCount + i);
            Pair pair = new Pair(i, common.run(), s, rc, this, disconnects, padding, target == Target.LEVEL1);
            pairs.add(pair);
            Schedule sendSide = schedule(s.conn().loop());
            sendSide.loop.call(() -> {
                s.listener(pair.sender);
                return sendSide.senders.add(pair.sender);
            }).join();
            Schedule receiveSide = schedule(rc.conn().loop());
            receiveSide.loop.call(() -> {
                pair.receiver.dirty = receiveSide.dirty;
                rc.listener(pair.receiver);
                return receiveSide.receivers.add(pair.receiver);
            }).join();
        }
        schedules.values().forEach(w -> w.loop.execute(() -> w.loop.addTicker(w)));
    }

    @Override
    public Step byIndex(int index) {
        return index >= 0 && index < steps.size() ? steps.get(index) : null;
    }

    int disconnects() {
        return disconnects.get();
    }

    /**
     * Sends at `rate` messages/s for `seconds`, then waits up to `grace` seconds for the last
     * deliveries, and counts what was lost.
     */
    Step run(String label, double rate, double seconds, double grace, Progress progress, ServerProbe probe) {
        Step step = new Step(steps.size(), label, rate, seconds);
        steps.add(step);
        long genCpu = generatorCpuNanos();
        long nodeCpu = probe == null ? -1 : probe.cpuNanos().orElse(-1);
        long start = System.nanoTime() + 20_000_000L; // every loop has its schedule before the first send is due
        long end = start + (long) (seconds * 1e9);
        step.startNanos = start;
        for (Schedule w : schedules.values()) {
            double share = rate * w.senders.size() / pairCount;
            w.loop.call(() -> w.begin(step, share, start, end)).join();
        }
        while (System.nanoTime() < end) {
            Progress.sleep(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            progress.line(status(step));
        }
        for (Schedule w : schedules.values()) {
            while (w.loop.call(() -> w.sending).join()) {
                Progress.sleep(10); // a loop that fell behind is still catching up on its schedule
            }
        }
        long graceEnd = System.nanoTime() + (long) (grace * 1e9);
        while (!settled(step) && System.nanoTime() < graceEnd) {
            Progress.sleep(100);
        }
        if (!settled(step)) {
            progress.line("grace period over: " + status(step));
        }
        count(step);
        step.genCpuNanos = generatorCpuNanos() - genCpu;
        if (nodeCpu >= 0) {
            step.nodeCpuNanos = probe.cpuNanos().orElse(nodeCpu) - nodeCpu;
        }
        return step;
    }

    private boolean settled(Step s) {
        long sent = s.sent.sum();
        if (!acks) {
            return s.received.sum() >= sent;
        }
        long acked = s.acked.sum();
        return acked + s.errorCount() >= sent && s.received.sum() >= acked;
    }

    private String status(Step s) {
        return s.label + " at " + Table.decimal(s.rate) + "/s: sent " + Table.count(s.sent.sum())
                + (acks ? ", acked " + Table.count(s.acked.sum()) : "")
                + ", received " + Table.count(s.received.sum())
                + (s.errorCount() > 0 ? ", errors " + s.errorsByCode() : "")
                + ", latency " + s.latency.summary();
    }

    /** Lost: acknowledged by the node (or, for the relay and the old server, sent) but never received. */
    private void count(Step step) {
        Map<Integer, BitSet> expected = new HashMap<>();
        Map<Integer, Long> sentPerPair = new HashMap<>();
        Map<Integer, BitSet> received = new HashMap<>();
        Map<Integer, long[]> ranges = new HashMap<>();
        for (Schedule w : schedules.values()) {
            w.loop.call(() -> {
                for (Pair.Sender s : w.senders) {
                    long[] r = s.range(step.index);
                    int pair = s.pairIndex();
                    ranges.put(pair, r);
                    sentPerPair.put(pair, r[1] - r[0]);
                    BitSet e = acks ? s.acked.get((int) r[0], (int) r[1]) : new BitSet();
                    if (!acks) {
                        e.set(0, (int) (r[1] - r[0]));
                    }
                    expected.put(pair, e);
                }
                return null;
            }).join();
        }
        for (Schedule w : schedules.values()) {
            w.loop.call(() -> {
                for (Pair.Receiver r : w.receivers) {
                    long[] range = ranges.get(r.pairIndex());
                    received.put(r.pairIndex(), r.received.get((int) range[0], (int) range[1]));
                }
                return null;
            }).join();
        }
        long lost = 0;
        long unacked = 0;
        for (Map.Entry<Integer, BitSet> e : expected.entrySet()) {
            BitSet missing = (BitSet) e.getValue().clone();
            missing.andNot(received.get(e.getKey()));
            lost += missing.cardinality();
            if (acks) {
                unacked += sentPerPair.get(e.getKey()) - e.getValue().cardinality();
            }
        }
        step.lost = lost;
        step.unacked = Math.max(0, unacked - step.errorCount());
    }

    private Schedule schedule(Loop loop) {
        return schedules.computeIfAbsent(loop, Schedule::new);
    }

    private static long generatorCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    @Override
    public void close() {
        net.close();
    }

    /** One loop's share of the work: its senders' schedule and its receivers' ack batches. */
    private static final class Schedule implements Runnable {
        final Loop loop;
        final List<Pair.Sender> senders = new ArrayList<>();
        final List<Pair.Receiver> receivers = new ArrayList<>();
        final List<Pair.Receiver> dirty = new ArrayList<>();
        Step step;
        double rate;
        long start;
        long total;
        long sentHere;
        int next;
        boolean sending;

        Schedule(Loop loop) {
            this.loop = loop;
        }

        Void begin(Step step, double rate, long start, long end) {
            this.step = step;
            this.rate = rate;
            this.start = start;
            this.total = senders.isEmpty() ? 0 : Math.round((end - start) / 1e9 * rate);
            this.sentHere = 0;
            this.sending = total > 0;
            senders.forEach(s -> s.beginStep(step));
            return null;
        }

        @Override
        public void run() {
            if (sending) {
                long now = System.nanoTime();
                while (sentHere < total) {
                    long due = start + (long) (sentHere * 1e9 / rate);
                    if (due > now) {
                        break;
                    }
                    senders.get(next).send(step, due);
                    next = (next + 1) % senders.size();
                    sentHere++;
                }
                sending = sentHere < total;
            }
            for (int i = 0; i < dirty.size(); i++) {
                dirty.get(i).flushAcks();
            }
            dirty.clear();
        }
    }
}
