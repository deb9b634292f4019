package chat.bench.load;

import chat.bench.Args;
import chat.bench.Common;
import chat.bench.Progress;
import chat.bench.ServerProbe;
import chat.bench.Table;
import chat.bench.client.ChatClient;
import chat.bench.client.Logins;
import chat.bench.net.Net;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * `replay N`: a user receives N messages while offline (sent as fast as the node acknowledges them,
 * with a window per sender), then logs in; measures how long the backlog takes to arrive and what
 * it costs the node in memory (it must stream, never load a backlog at once).
 */
public final class ReplayCommand {

    public static final String USAGE = """
            replay N [--senders S] [--window W] [--size B] [--timeout S] [--server-pid PID]
                     [--host H] [--port P] [--sources K] [--run ID]
              One user (b-<run>-rx) gets N messages while offline, then logs in.
              --senders S     users sending the backlog (default 4)
              --window W      unacknowledged messages per sender (default 128; the node pauses a
                              session at 256 in flight)
              --size B        message content bytes (default 64)
              --timeout S     give up on a phase after S seconds without progress (default 60)
              --server-pid P  the node's RSS before, during (peak) and after the replay, heap after GC
              N above 100,000 needs -Dchat.limits.max-pending-per-user on the node.""";

    private static final Set<String> VALUED = ConnectionsCommand.union(Common.OPTIONS,
            Set.of("senders", "window", "size", "timeout", "server-pid"));

    private ReplayCommand() {
    }

    public static void run(List<String> argv) throws InterruptedException {
        Args args = Args.parse(argv, VALUED, Set.of());
        int n = args.positionalInt(0, "N (the number of messages)", 1, 100_000_000);
        Common common = Common.from(args, 1);
        int senderCount = args.integer("senders", 4, 1, 1_000);
        int window = args.integer("window", 128, 1, 100_000);
        int size = args.integer("size", 64, 16, 16_000);
        long timeoutMillis = args.integer("timeout", 60, 1, 86_400) * 1000L;
        ServerProbe probe = ServerProbe.of(args);
        Progress progress = new Progress();
        String receiver = common.user("rx");
        progress.line("replay: " + Table.count(n) + " messages for " + receiver + " from " + senderCount
                + " senders, node at " + common.host() + ":" + common.port());

        try (Net net = new Net(2, "gen")) {
            register(net, common, receiver);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < senderCount; i++) {
                names.add(common.user("tx" + i));
            }
            Logins.Result senders = Logins.run(net, common, names, true, new ChatClient.Listener() { }, progress, "senders");
            if (senders.online().size() < senderCount) {
                throw new IllegalStateException("senders could not log in: " + LoginReport.of(senders).failureText());
            }
            Backlog backlog = new Backlog(common.run(), receiver, n, window, size);
            long sendStart = System.nanoTime();
            backlog.start(senders.online());
            if (!waitFor(backlog::sendingDone, () -> backlog.acked() + backlog.errors(), timeoutMillis, progress,
                    () -> "sending: acked " + Table.count(backlog.acked()) + "/" + Table.count(n)
                            + (backlog.errors() > 0 ? ", errors " + backlog.errorCodes() : ""))) {
                progress.line("sending stalled; replaying what was acknowledged");
            }
            double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
            Memory before = Memory.measure(probe, progress, "before the login");

            Backlog.Drain drain = backlog.drain();
            ChatClient rx = new ChatClient(receiver, common.password(), ChatClient.Mode.LOGIN, drain);
            drain.client = rx;
            OptionalLong[] peak = {OptionalLong.empty()};
            rx.start(net.next(), common.target(), common.sources().next());
            waitFor(drain::done, drain::received, timeoutMillis, progress, () -> {
                if (probe != null) {
                    OptionalLong rss = probe.rss();
                    if (rss.isPresent() && (peak[0].isEmpty() || rss.getAsLong() > peak[0].getAsLong())) {
                        peak[0] = rss;
                    }
                }
                return "replaying: received " + Table.count(drain.received()) + "/" + Table.count(backlog.acked());
            });
            Memory after = Memory.measure(probe, progress, "after the replay");
            rx.conn().loop().call(() -> {
                rx.close();
                return null;
            }).join();
            print(n, backlog, drain, sendSeconds, before, peak[0], after);
        }
    }

    private static void register(Net net, Common common, String name) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> failure = new AtomicReference<>();
        new ChatClient(name, common.password(), ChatClient.Mode.REGISTER_ONLY, new ChatClient.Listener() {
            @Override
            public void ready(ChatClient client) {
                done.countDown();
            }

            @Override
            public void failed(ChatClient client, String reason) {
                failure.set(reason);
                done.countDown();
            }
        }).start(net.next(), common.target(), common.sources().next());
        if (!done.await(60, TimeUnit.SECONDS) || failure.get() != null) {
            throw new IllegalStateException("cannot register " + name + ": " + failure.get());
        }
    }

    /** Polls `done` every 100 ms with a progress line a second; false when `count` stopped moving for `timeout`. */
    private static boolean waitFor(BooleanSupplier done, LongSupplier count, long timeoutMillis, Progress progress,
                                   Supplier<String> status) {
        long lastCount = -1;
        long lastMove = System.currentTimeMillis();
        long lastLine = 0;
        while (!done.getAsBoolean()) {
            Progress.sleep(100);
            long now = System.currentTimeMillis();
            long c = count.getAsLong();
            if (c != lastCount) {
                lastCount = c;
                lastMove = now;
            }
            String line = status.get(); // also samples the node's RSS while replaying
            if (now - lastLine >= 1_000) {
                progress.line(line);
                lastLine = now;
            }
            if (now - lastMove > timeoutMillis) {
                return false;
            }
        }
        return true;
    }

    private static void print(int n, Backlog backlog, Backlog.Drain d, double sendSeconds, Memory before,
                              OptionalLong peak, Memory after) {
        double toAll = d.allNanos() / 1e9;
        Table t = Table.keyValue()
                .row("messages requested", Table.count(n))
                .row("acknowledged by the node", Table.count(backlog.acked()))
                .row("refused (message_error)", backlog.errors() == 0 ? "0" : backlog.errorCodes().toString())
                .row("sending rate (acked/s)", Table.decimal(backlog.acked() / sendSeconds))
                .row("received after login", Table.count(d.received()))
                .row("replay_done count", d.replayCount() < 0 ? "never came" : Table.count(d.replayCount()))
                .row("duplicates", Table.count(d.duplicates()))
                .row("out of order", Table.count(d.outOfOrder()))
                .row("login -> login_response", Table.millis(d.loginAnswerNanos() / 1e6))
                .row("login -> first message", Table.millis(d.firstNanos() / 1e6))
                .row("login -> replay_done", Table.millis(d.replayDoneNanos() / 1e6))
                .row("login -> all messages", d.allNanos() < 0 ? "not all came" : Table.millis(d.allNanos() / 1e6))
                .row("replay rate (msg/s)", d.allNanos() <= 0 ? "-" : Table.decimal(d.received() / toAll));
        if (before.known()) {
            t.row("node RSS before login", bytes(before.rss()))
                    .row("node RSS peak during replay (100 ms samples)", bytes(peak))
                    .row("node RSS after replay", bytes(after.rss()))
                    .row("node heap before (after GC)", bytes(before.heap()))
                    .row("node heap after (after GC)", bytes(after.heap()));
        }
        System.out.println();
        System.out.print(t.render());
    }

    private static String bytes(OptionalLong b) {
        return b.isPresent() ? Table.bytes(b.getAsLong()) : "-";
    }
}
