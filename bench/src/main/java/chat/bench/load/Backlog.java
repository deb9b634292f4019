package chat.bench.load;

import chat.bench.client.ChatClient;
import chat.bench.net.Fields;
import chat.protocol.ClientFrame;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The backlog of the replay benchmark: senders that keep a window of unacknowledged messages to one
 * offline user (as fast as the node commits, no faster), and the {@link Drain} that counts them
 * arriving when that user logs in.
 */
final class Backlog {

    private static final int ACK_BATCH = 200;

    private final String run;
    private final String receiver;
    private final int total;
    private final int window;
    private final String padding;
    private final LongAdder acked = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
    private final AtomicLong minMsgId = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxMsgId = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger sendersDone = new AtomicInteger();
    private int senderCount;

    Backlog(String run, String receiver, int total, int window, int contentBytes) {
        this.run = run;
        this.receiver = receiver;
        this.total = total;
        this.window = window;
        this.padding = "x".repeat(Math.max(0, contentBytes - 12));
    }

    void start(List<ChatClient> senders) {
        senderCount = senders.size();
        for (int i = 0; i < senders.size(); i++) {
            int share = total / senders.size() + (i < total % senders.size() ? 1 : 0);
            ChatClient c = senders.get(i);
            Flood flood = new Flood(i, share, c);
            c.conn().loop().execute(() -> {
                c.listener(flood);
                flood.fill();
            });
        }
    }

    boolean sendingDone() {
        return sendersDone.get() >= senderCount;
    }

    long acked() {
        return acked.sum();
    }

    long errors() {
        return errors.sum();
    }

    Map<String, Long> errorCodes() {
        Map<String, Long> m = new TreeMap<>();
        codes.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** The receiving side; the msg_ids it can expect are those the senders were acked. */
    Drain drain() {
        return new Drain(minMsgId.get(), maxMsgId.get(), acked());
    }

    /** One sender: at most `window` messages without their message_ack. Loop thread. */
    private final class Flood implements ChatClient.Listener {
        final int index;
        final int share;
        final ChatClient client;
        int sent;
        int answered;
        boolean finished;

        Flood(int index, int share, ChatClient client) {
            this.index = index;
            this.share = share;
            this.client = client;
        }

        void fill() {
            while (sent - answered < window && sent < share) {
                client.send(new ClientFrame.Message(receiver, "r" + sent + " " + padding, run + ".tx" + index + "." + sent));
                sent++;
            }
            if (answered >= share) {
                finish();
            }
        }

        @Override
        public void frame(ChatClient c, String type, String line) {
            if ("message_ack".equals(type)) {
                long msgId = Fields.number(line, "msg_id", -1);
                minMsgId.accumulateAndGet(msgId, Math::min);
                maxMsgId.accumulateAndGet(msgId, Math::max);
                acked.increment();
            } else if ("message_error".equals(type)) {
                errors.increment();
                codes.computeIfAbsent(String.valueOf(Fields.string(line, "code")), k -> new LongAdder()).increment();
            } else {
                return;
            }
            answered++;
            fill();
        }

        @Override
        public void failed(ChatClient c, String reason) {
            finish();
        }

        private void finish() {
            if (!finished) {
                finished = true;
                sendersDone.incrementAndGet();
            }
        }
    }

    /** The offline user logging in: counts the backlog in, checks order and duplicates, acks in batches. */
    final class Drain implements ChatClient.Listener {
        ChatClient client;
        private final long firstId;
        private final long expected;
        private final BitSet seen = new BitSet();
        private final List<Long> pendingAcks = new ArrayList<>();
        private long lastId;
        private volatile long received;
        private volatile boolean replayDone;
        private long duplicates;
        private long outOfOrder;
        private long firstAt;
        private long replayDoneAt;
        private long allAt;
        private long replayCount = -1;

        Drain(long firstId, long lastId, long expected) {
            this.firstId = firstId;
            this.expected = expected;
        }

        @Override
        public void frame(ChatClient c, String type, String line) {
            if (!"message".equals(type)) {
                return;
            }
            long now = System.nanoTime();
            long msgId = Fields.number(line, "msg_id", -1);
            if (firstAt == 0) {
                firstAt = now;
            }
            pendingAcks.add(msgId);
            if (pendingAcks.size() >= ACK_BATCH) {
                flushAcks();
            }
            int bit = (int) (msgId - firstId);
            if (bit >= 0 && seen.get(bit)) {
                duplicates++;
                return;
            }
            if (bit >= 0) {
                seen.set(bit);
            }
            if (msgId < lastId) {
                outOfOrder++;
            }
            lastId = msgId;
            received++;
            if (received == expected) {
                allAt = now;
                flushAcks();
            }
        }

        @Override
        public void ready(ChatClient c) {
            replayDoneAt = System.nanoTime();
            replayCount = c.replayCount();
            replayDone = true;
            flushAcks();
        }

        private void flushAcks() {
            if (!pendingAcks.isEmpty()) {
                client.send(new ClientFrame.Ack(pendingAcks));
                pendingAcks.clear();
            }
        }

        boolean done() {
            return replayDone && received >= expected;
        }

        long received() {
            return received;
        }

        long duplicates() {
            return duplicates;
        }

        long outOfOrder() {
            return outOfOrder;
        }

        long replayCount() {
            return replayCount;
        }

        long loginAnswerNanos() {
            return client.loginAnswerNanos();
        }

        long firstNanos() {
            return firstAt == 0 ? -1 : firstAt - client.loginSentNanos();
        }

        long replayDoneNanos() {
            return replayDoneAt == 0 ? -1 : replayDoneAt - client.loginSentNanos();
        }

        long allNanos() {
            return allAt == 0 ? -1 : allAt - client.loginSentNanos();
        }
    }
}
