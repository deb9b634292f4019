package chat.server.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The level 1 messages most recently handed to the socket, up to a few megabytes of them. A level 1
 * client cannot acknowledge, so a message counts as delivered once it is written (the seed's rule);
 * but when the connection breaks, what was still in the kernel's buffers never reached the client.
 * Those messages are set back to pending and come again at the next login: at least once, even for
 * a client without acks. Grows only as a connection carries traffic.
 */
final class RecentWrites {

    /** Twice what the kernel may keep queued for one socket (Linux autotunes a send buffer up to 4 MB). */
    static final long WINDOW_BYTES = 8L << 20;
    private static final int MAX_ENTRIES = 1 << 16;

    private long[] ids = new long[16];
    private int[] sizes = new int[16];
    private int head; // oldest
    private int count;
    private long bytes;

    void add(long msgId, int size) {
        if (count == ids.length) {
            if (ids.length < MAX_ENTRIES) {
                grow();
            } else {
                dropOldest();
            }
        }
        int slot = (head + count) % ids.length;
        ids[slot] = msgId;
        sizes[slot] = size;
        count++;
        bytes += size;
        while (bytes > WINDOW_BYTES && count > 1) {
            dropOldest();
        }
    }

    /** The ids in the window, oldest first, and an empty window after. */
    List<Long> drain() {
        List<Long> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(ids[(head + i) % ids.length]);
        }
        head = 0;
        count = 0;
        bytes = 0;
        return out;
    }

    boolean isEmpty() {
        return count == 0;
    }

    private void dropOldest() {
        bytes -= sizes[head];
        head = (head + 1) % ids.length;
        count--;
    }

    private void grow() {
        long[] moreIds = new long[ids.length * 2];
        int[] moreSizes = new int[ids.length * 2];
        for (int i = 0; i < count; i++) {
            moreIds[i] = ids[(head + i) % ids.length];
            moreSizes[i] = sizes[(head + i) % ids.length];
        }
        ids = moreIds;
        sizes = moreSizes;
        head = 0;
    }
}
