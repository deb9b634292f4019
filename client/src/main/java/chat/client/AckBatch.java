package chat.client;

import chat.protocol.ClientFrame;
import chat.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The acknowledgements this client owes: every message received, duplicates too (the server keeps
 * a message pending until it is acked), goes into one `ack` frame per 200 ids or 25 ms, whichever
 * comes first. A redelivered message is acked but passed on only once. Used on the client's thread only.
 */
final class AckBatch {

    private static final int MAX_IDS = 200;
    private static final long DELAY_MS = 25;

    private final ScheduledExecutorService thread;
    private final Consumer<ClientFrame> out;
    private final SeenIds seen = new SeenIds(100_000);
    private final List<Long> owed = new ArrayList<>();
    private boolean flushScheduled;
    private volatile long duplicatesDropped;

    /** `out` writes a frame if the client is logged in. */
    AckBatch(ScheduledExecutorService thread, Consumer<ClientFrame> out) {
        this.thread = thread;
        this.out = out;
    }

    /** Owes an ack for `m` (a message or a group event); true if it is the first copy (to pass on), false for a redelivery. */
    boolean received(ServerFrame.Delivery m) {
        boolean first = seen.firstTime(m.msgId());
        if (!first) {
            duplicatesDropped++; // only the client's thread writes it
        }
        owed.add(m.msgId());
        if (owed.size() >= MAX_IDS) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            thread.schedule(this::flush, DELAY_MS, TimeUnit.MILLISECONDS);
        }
        return first;
    }

    /** The connection is gone: what was not acked stays pending on the server and comes again. */
    void connectionLost() {
        owed.clear();
    }

    /** Redelivered messages dropped so far (acked, not passed on). */
    long duplicatesDropped() {
        return duplicatesDropped;
    }

    private void flush() {
        flushScheduled = false;
        if (!owed.isEmpty()) {
            out.accept(new ClientFrame.Ack(List.copyOf(owed)));
        }
        owed.clear();
    }
}
