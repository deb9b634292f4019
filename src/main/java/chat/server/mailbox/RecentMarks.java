package chat.server.mailbox;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The msg_ids this partition marked delivered lately (or is marking): the acks of a user's second
 * and third device for the same message find them here and cost no write. Bounded: the oldest are
 * forgotten, and a forgotten id only costs the write it always did (an update that changes nothing).
 */
final class RecentMarks {

    private final int capacity;
    private final LinkedHashSet<Long> ids = new LinkedHashSet<>();

    RecentMarks(int capacity) {
        this.capacity = capacity;
    }

    /** The ids not marked lately, now remembered as marked. */
    List<Long> fresh(List<Long> msgIds) {
        List<Long> fresh = new ArrayList<>(msgIds.size());
        for (long id : msgIds) {
            if (ids.add(id)) {
                fresh.add(id);
                if (ids.size() > capacity) {
                    ids.remove(ids.iterator().next());
                }
            }
        }
        return fresh;
    }

    /** These are pending again (a level 1 write the kernel never sent, a commit that failed). */
    void forget(List<Long> msgIds) {
        msgIds.forEach(ids::remove);
    }
}
