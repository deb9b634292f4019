package chat.client;

import chat.protocol.ErrorCode;
import chat.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The messages sent and not yet acknowledged, oldest first. Each goes out again, with its own id,
 * after every reconnect until the server acknowledges it (the id makes the server keep one copy)
 * or refuses it for good; a refusal for now (rate_limited, store_unavailable) sends it again a
 * little later. Used on the client's thread only.
 */
final class Outbox {

    private static final long RETRY_REFUSED_MS = 2_000;

    private final LinkedHashMap<String, Outgoing> waiting = new LinkedHashMap<>();
    private final ScheduledExecutorService thread;
    private final Consumer<Outgoing> send;

    /** `send` writes a message frame if the client is logged in (and drops it otherwise: it goes out at the next login). */
    Outbox(ScheduledExecutorService thread, Consumer<Outgoing> send) {
        this.thread = thread;
        this.send = send;
    }

    void add(Outgoing o) {
        waiting.put(o.id(), o);
        send.accept(o);
    }

    /** After a login: everything still waiting goes out again, oldest first. */
    void resendAll() {
        for (Outgoing o : List.copyOf(waiting.values())) {
            send.accept(o);
        }
    }

    /** The server stored it: the message leaves the outbox (null if it was not waiting, e.g. a repeated ack). */
    Outgoing acked(ServerFrame.MessageAck ack) {
        Outgoing o = waiting.remove(ack.id());
        if (o != null) {
            o.acked().complete(ack);
        }
        return o;
    }

    /**
     * The server did not take it. Returns the message if it is refused for good (it leaves the
     * outbox, its future fails), null if it was not waiting or goes out again later.
     */
    Outgoing refused(ServerFrame.MessageError e) {
        Outgoing o = e.id() == null ? null : waiting.get(e.id());
        if (o == null) {
            return null;
        }
        if (ErrorCode.RATE_LIMITED.is(e.code()) || ErrorCode.STORE_UNAVAILABLE.is(e.code())) {
            thread.schedule(() -> {
                if (waiting.containsKey(o.id())) {
                    send.accept(o);
                }
            }, RETRY_REFUSED_MS, TimeUnit.MILLISECONDS);
            return null;
        }
        waiting.remove(o.id());
        o.acked().completeExceptionally(new SendRefused(e));
        return o;
    }

    List<Outgoing> waiting() {
        return new ArrayList<>(waiting.values());
    }

    /** Signed out: nothing waiting will be sent. */
    void dropAll(Exception why) {
        for (Outgoing o : waiting.values()) {
            o.acked().completeExceptionally(why);
        }
        waiting.clear();
    }
}
