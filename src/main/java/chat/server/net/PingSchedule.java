package chat.server.net;

import chat.server.session.Session;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The node's open sessions, spread over the heartbeat interval: every tick pings one slot's share,
 * so each session is pinged once per interval but never all at once. One round for every session
 * every 15 s put a burst of pings (and their pongs) in front of each message sent in that
 * instant: the generator saw p99 jumps of 120-210 ms in step with the rounds. A session's slot
 * comes from its ref's hash, so removing it needs no index of its own. Confined to the Listener.
 */
final class PingSchedule {

    private final Set<ActorRef<Session.Control>>[] slots;
    private final Duration tick;
    private int next;
    private int size;

    @SuppressWarnings("unchecked")
    PingSchedule(Duration interval, Duration tick) {
        int n = (int) Math.max(1, Math.min(10_000, interval.toNanos() / Math.max(1, tick.toNanos())));
        this.slots = new Set[n];
        for (int i = 0; i < n; i++) {
            slots[i] = new HashSet<>();
        }
        this.tick = interval.dividedBy(n); // n ticks make exactly one interval
    }

    /** How often {@link #ping} is to be called. */
    Duration tick() {
        return tick;
    }

    void add(ActorRef<Session.Control> session) {
        if (slotOf(session).add(session)) {
            size++;
        }
    }

    void remove(ActorRef<Session.Control> session) {
        if (slotOf(session).remove(session)) {
            size--;
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void forEach(Consumer<ActorRef<Session.Control>> action) {
        for (Set<ActorRef<Session.Control>> slot : slots) {
            slot.forEach(action);
        }
    }

    /** One tick: the next slot's sessions get their heartbeat (ping, and the dead-peer check). */
    void ping() {
        due().forEach(s -> s.tell(Session.Heartbeat.INSTANCE));
    }

    /** The sessions whose turn it is; the next call gives the next slot's. */
    Set<ActorRef<Session.Control>> due() {
        Set<ActorRef<Session.Control>> slot = slots[next];
        next = (next + 1) % slots.length;
        return slot;
    }

    private Set<ActorRef<Session.Control>> slotOf(ActorRef<Session.Control> session) {
        return slots[Math.floorMod(session.hashCode(), slots.length)];
    }
}
