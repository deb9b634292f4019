package chat.bench.load;

import chat.bench.client.ChatClient;
import chat.bench.net.Fields;
import chat.protocol.ClientFrame;
import chat.protocol.Frame;
import chat.protocol.FrameCodec;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One sender and one receiver. Message `seq` of pair `p` has the client id `<run>.<p>.<seq>` and
 * the content `s<step> t<scheduled nanoTime> xxx...`, so the receiver can tell its step and its
 * latency from the line alone. The old server server forwards no client id, so against it the content
 * carries the id too, `s<step> t<nanos> i<id> xxx...`, and the message names its `sender` (the
 * old server takes it from the frame). The sender half lives on the sender's loop thread, the receiver half
 * on the receiver's: each owns its bit set (acked, received), and they are compared only once
 * the step is over, through {@link chat.bench.net.Loop#call}.
 */
final class Pair {

    private static final int MAX_IDS_PER_ACK = 2_000; // ~20 KB per ack line, well under the node's 64 KiB

    final int index;
    final String idPrefix;
    final Sender sender;
    final Receiver receiver;
    /** The target is the old level 1 server: level 1 message frames, the id in the content. */
    final boolean level1;

    Pair(int index, String run, ChatClient senderClient, ChatClient receiverClient, Steps steps,
         AtomicInteger disconnects, String padding, boolean level1) {
        this.index = index;
        this.idPrefix = run + "." + index + ".";
        this.level1 = level1;
        this.sender = new Sender(senderClient, receiverClient.username(), steps, disconnects, padding);
        this.receiver = new Receiver(receiverClient, steps, disconnects);
    }

    /** Where the steps are, for attributing an ack or a delivery to the step that sent the message. */
    interface Steps {
        Step byIndex(int index);
    }

    final class Sender implements ChatClient.Listener {
        final ChatClient client;
        final String to;
        final Steps steps;
        final AtomicInteger disconnects;
        final String padding;
        final BitSet acked = new BitSet();
        final List<long[]> stepStarts = new ArrayList<>(); // {step index, first seq}
        long nextSeq;

        Sender(ChatClient client, String to, Steps steps, AtomicInteger disconnects, String padding) {
            this.client = client;
            this.to = to;
            this.steps = steps;
            this.disconnects = disconnects;
            this.padding = padding;
        }

        int pairIndex() {
            return index;
        }

        void beginStep(Step step) {
            stepStarts.add(new long[] {step.index, nextSeq});
        }

        void send(Step step, long scheduledNanos) {
            long seq = nextSeq++;
            String id = idPrefix + seq;
            if (level1) {
                String content = "s" + step.index + " t" + scheduledNanos + " i" + id + padding;
                client.sendRaw(FrameCodec.encode(new Level1Message(client.username(), to, content)));
            } else {
                String content = "s" + step.index + " t" + scheduledNanos + padding;
                client.sendRaw(FrameCodec.encode(new ClientFrame.Message(to, content, id)));
            }
            step.sent.increment();
        }

        /** The step being sent (the old server's message_error names no message), or null before the first. */
        private Step currentStep() {
            return stepStarts.isEmpty() ? null : steps.byIndex((int) stepStarts.get(stepStarts.size() - 1)[0]);
        }

        /** The first seq of `step` and the one after its last (`nextSeq` for the current step). */
        long[] range(int stepIndex) {
            for (int i = 0; i < stepStarts.size(); i++) {
                if (stepStarts.get(i)[0] == stepIndex) {
                    long end = i + 1 < stepStarts.size() ? stepStarts.get(i + 1)[1] : nextSeq;
                    return new long[] {stepStarts.get(i)[1], end};
                }
            }
            return new long[] {0, 0};
        }

        private Step stepOf(long seq) {
            for (int i = stepStarts.size() - 1; i >= 0; i--) { // acks are nearly always for the latest step
                if (seq >= stepStarts.get(i)[1]) {
                    return steps.byIndex((int) stepStarts.get(i)[0]);
                }
            }
            return null;
        }

        @Override
        public void frame(ChatClient c, String type, String line) {
            if ("message_ack".equals(type)) {
                long seq = seqOf(Fields.string(line, "id"));
                if (seq >= 0 && !acked.get((int) seq)) {
                    acked.set((int) seq);
                    Step s = stepOf(seq);
                    if (s != null) {
                        s.acked.increment();
                    }
                }
            } else if ("message_error".equals(type)) {
                String id = Fields.string(line, "id");
                Step s = id == null && level1 ? currentStep() : stepOf(seqOf(id));
                if (s != null) {
                    // the old server's only message_error: its receiver check found no such user
                    s.error(level1 ? "level1: no such receiver" : Fields.string(line, "code"));
                }
            } else if ("receipt".equals(type)) {
                Step s = stepOf(seqOf(Fields.string(line, "id")));
                if (s != null) {
                    s.receipts.increment();
                }
            }
        }

        @Override
        public void failed(ChatClient c, String reason) {
            disconnects.incrementAndGet();
        }
    }

    final class Receiver implements ChatClient.Listener {
        final ChatClient client;
        final Steps steps;
        final AtomicInteger disconnects;
        final BitSet received = new BitSet();
        private long[] pendingAcks = new long[64];
        private int pendingCount;
        /** Receivers with acks to send this turn, kept by the loop's schedule: it need not visit every receiver. */
        List<Receiver> dirty;

        Receiver(ChatClient client, Steps steps, AtomicInteger disconnects) {
            this.client = client;
            this.steps = steps;
            this.disconnects = disconnects;
        }

        @Override
        public void frame(ChatClient c, String type, String line) {
            if (!"message".equals(type)) {
                return;
            }
            long now = System.nanoTime();
            long msgId = Fields.number(line, "msg_id", -1);
            if (msgId >= 0) { // the node's messages are acked; the relay's have no msg_id
                if (pendingCount == 0 && dirty != null) {
                    dirty.add(this);
                }
                if (pendingCount == pendingAcks.length) {
                    pendingAcks = Arrays.copyOf(pendingAcks, pendingCount * 2);
                }
                pendingAcks[pendingCount++] = msgId;
            }
            String id = Fields.string(line, "id");
            String content = Fields.string(line, "content");
            if (id == null && content != null) {
                id = idOfContent(content); // the old server forwards no id: it is in the content as well
            }
            Step step = content == null ? null : steps.byIndex(stepOfContent(content));
            if (id == null || step == null || !id.startsWith(idPrefix)) {
                if (step != null) {
                    step.misrouted.increment();
                }
                return;
            }
            long seq = seqOf(id);
            if (seq < 0) {
                step.misrouted.increment();
                return;
            }
            if (received.get((int) seq)) {
                step.duplicates.increment();
                return;
            }
            received.set((int) seq);
            step.received.increment();
            step.latency.recordNanos(now - sentAt(content));
            step.receivedAt(now);
        }

        int pairIndex() {
            return index;
        }

        /** Sends the msg_ids read since the last call in ack frames. Loop thread, once per turn. */
        void flushAcks() {
            int from = 0;
            while (from < pendingCount) {
                int to = Math.min(pendingCount, from + MAX_IDS_PER_ACK);
                List<Long> ids = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    ids.add(pendingAcks[i]);
                }
                client.send(new ClientFrame.Ack(ids));
                from = to;
            }
            pendingCount = 0;
        }

        @Override
        public void failed(ChatClient c, String reason) {
            disconnects.incrementAndGet();
        }
    }

    /** The seq at the end of `<run>.<pair>.<seq>`, or -1. */
    static long seqOf(String id) {
        if (id == null) {
            return -1;
        }
        int dot = id.lastIndexOf('.');
        try {
            return Long.parseLong(id.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** "s3 t123..." -> 3. */
    static int stepOfContent(String content) {
        int space = content.indexOf(' ');
        try {
            return content.startsWith("s") && space > 1 ? Integer.parseInt(content.substring(1, space)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** "s3 t123 itp2e.1.45 xxx" -> "tp2e.1.45"; null when the content has no id. */
    static String idOfContent(String content) {
        int i = content.indexOf(" i");
        if (i < 0) {
            return null;
        }
        int end = content.indexOf(' ', i + 2);
        String id = content.substring(i + 2, end < 0 ? content.length() : end);
        return id.isEmpty() ? null : id;
    }

    /**
     * The old server's message frame: level 1 has no client id, and the old server routes by the frame's own
     * `sender` and `receiver`. Encoded by the same codec as the node's frames.
     */
    record Level1Message(String sender, String receiver, String content) implements Frame {
        @Override
        public String type() {
            return "message";
        }

        @Override
        public void writeFields(JsonGenerator out) throws IOException {
            out.writeStringField("sender", sender);
            out.writeStringField("receiver", receiver);
            out.writeStringField("content", content);
        }
    }

    /** "s3 t123456 xxx" -> 123456. */
    static long sentAt(String content) {
        int t = content.indexOf(" t");
        if (t < 0) {
            return 0;
        }
        int end = content.indexOf(' ', t + 2);
        return Long.parseLong(content.substring(t + 2, end < 0 ? content.length() : end));
    }
}
