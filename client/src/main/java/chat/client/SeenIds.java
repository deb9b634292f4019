package chat.client;

import java.util.LinkedHashMap;
import java.util.Map;

/** The msg_ids received lately, to drop redelivered duplicates (the server delivers at least once). */
final class SeenIds {

    private final Map<Long, Boolean> ids;

    SeenIds(int capacity) {
        this.ids = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time an id is offered. */
    boolean firstTime(long msgId) {
        return ids.put(msgId, Boolean.TRUE) == null;
    }
}
