package chat.server.store;

import chat.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What a level 1 or 2 login (the device `default`) replays: its user's pending messages (no device
 * has them yet: their status says so) and, once the user also has level 3 devices, the one-to-one
 * messages one of those acked while `default` was away (above its position). One page in msg_id
 * order, as if from one source, so the session's keyset paging stays as it is.
 */
public final class DefaultDeviceReplay {

    private final MessageQueries queries;
    private final DeviceStream stream; // null: a store without device streams (pending only)

    public DefaultDeviceReplay(MessageQueries queries, DeviceStream stream) {
        this.queries = queries;
        this.stream = stream;
    }

    /** Up to `limit` after `after`; fewer only when there is nothing more. */
    public List<ServerFrame.Message> page(String user, long after, int limit) {
        if (stream == null) {
            return queries.pending(user, after, limit);
        }
        List<ServerFrame.Message> out = new ArrayList<>(limit);
        long cursor = after;
        while (out.size() < limit) {
            int want = limit - out.size();
            List<ServerFrame.Message> pending = queries.pending(user, cursor, want);
            DeviceStream.Page missed = stream.readDefault(user, cursor, want);
            // each source is complete only up to where it stopped: the merge is, up to the lower of the two
            long complete = Long.MAX_VALUE;
            if (pending.size() == want) {
                complete = pending.get(pending.size() - 1).msgId();
            }
            if (missed.more()) {
                complete = Math.min(complete, missed.next());
            }
            TreeMap<Long, ServerFrame.Message> merged = new TreeMap<>();
            pending.forEach(m -> merged.put(m.msgId(), m));
            for (ServerFrame.Delivery d : missed.deliveries()) {
                if (d instanceof ServerFrame.Message m) {
                    merged.putIfAbsent(m.msgId(), m); // a pending one is in both when it is above the position
                }
            }
            for (ServerFrame.Message m : merged.headMap(complete, true).values()) {
                if (out.size() == limit) {
                    break;
                }
                out.add(m);
            }
            if (complete == Long.MAX_VALUE || complete <= cursor) {
                break; // both read to their end (or no progress to make)
            }
            cursor = complete;
        }
        return out;
    }
}
