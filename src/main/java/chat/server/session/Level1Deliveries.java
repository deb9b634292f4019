package chat.server.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Level 1 delivery tracking. A level 1 client cannot acknowledge, so a message counts as
 * delivered once the wire tap reports it on its way to the socket (the seed's rule): those go to
 * the Mailbox as one delivery mark per turn. The most recent ones are also kept
 * ({@link RecentWrites}): if the connection breaks, what the kernel still held is pending again.
 */
final class Level1Deliveries {

    private final List<Long> wired = new ArrayList<>(); // written, not yet told to the Mailbox
    private final RecentWrites recent = new RecentWrites();

    /** True if it is the first since the last {@link #takeWired}: a flush is to be scheduled. */
    boolean add(long msgId, int bytes) {
        boolean first = wired.isEmpty();
        wired.add(msgId);
        recent.add(msgId, bytes);
        return first;
    }

    boolean hasWired() {
        return !wired.isEmpty();
    }

    List<Long> takeWired() {
        List<Long> out = List.copyOf(wired);
        wired.clear();
        return out;
    }

    boolean hasUnconfirmed() {
        return !recent.isEmpty();
    }

    List<Long> drainUnconfirmed() {
        return recent.drain();
    }
}
