package chat.server.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a device is in its stream, as its session sees it: what it was sent and has not
 * acked yet. The position — everything up to it acked — is what the session stores now and then
 * (on the heartbeat, every {@link #WRITE_EVERY} acks, and when it ends), not per ack: a device's
 * acks cost the store a row update per batch, not a write per message. After a crash the stored
 * position may lag: the device gets those messages again, and drops them by msg_id.
 */
final class DevicePosition {

    /** Acks after which the position is stored without waiting for the heartbeat. */
    static final int WRITE_EVERY = 512;
    /** Unacked deliveries tracked; past it the position stops before the first untracked one. */
    private static final int MAX_TRACKED = 65_536;

    private final TreeSet<Long> unacked = new TreeSet<>();
    /**
     * Sent and unacked, and their ack moves only the position: a group's message or event (the
     * Group keeps its members' progress), an outgoing copy (its status is its receiver's). Their acks
     * cost the store nothing per frame, so a group of 1,000 is not 1,000 writes per message.
     */
    private final Set<Long> positionOnly = new HashSet<>();
    private long highestSent;
    private long untrackedFrom = Long.MAX_VALUE;
    private long stored;
    private int acksSinceStored;

    /** `marksStatus`: a one-to-one message to this user, whose first ack by any device marks it delivered. */
    void sent(long msgId, boolean marksStatus) {
        if (unacked.size() >= MAX_TRACKED) {
            untrackedFrom = Math.min(untrackedFrom, msgId);
            return;
        }
        unacked.add(msgId);
        if (!marksStatus) {
            positionOnly.add(msgId);
        }
        highestSent = Math.max(highestSent, msgId);
    }

    /**
     * Of these acked ids, the ones whose status the ack is to mark: all but those known to move the
     * position only (an id this session did not send is marked, as before: nothing is lost by it).
     */
    List<Long> statusMarks(List<Long> msgIds) {
        if (positionOnly.isEmpty()) {
            return msgIds;
        }
        List<Long> marks = new ArrayList<>(msgIds.size());
        for (long id : msgIds) {
            if (!positionOnly.remove(id)) {
                marks.add(id);
            }
        }
        return marks;
    }

    /** The device acked these; true if the position should be stored now. */
    boolean acked(Iterable<Long> msgIds) {
        for (long id : msgIds) {
            if (unacked.remove(id)) {
                acksSinceStored++;
            }
        }
        return acksSinceStored >= WRITE_EVERY;
    }

    /** Everything up to this msg_id was sent and acked (0: nothing yet). */
    long position() {
        long upTo = unacked.isEmpty() ? highestSent : unacked.first() - 1;
        return Math.min(upTo, untrackedFrom - 1);
    }

    /** The position to store, or -1 when the stored one is still right. */
    long toStore() {
        long p = position();
        if (p <= 0 || p == stored) {
            return -1;
        }
        stored = p;
        acksSinceStored = 0;
        return p;
    }
}
