package chat.bench.load;

import chat.bench.client.ChatClient;
import chat.protocol.ClientFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * The acks of one client, sent once per loop turn (at most a millisecond apart) in one frame, as a
 * real client batches them: a benchmark that acked every message alone would measure ack frames,
 * not messages. Loop thread only.
 */
final class AckBatch implements Runnable {

    private static final int MAX_IDS = 256;

    private final ChatClient client;
    private final List<Long> pending = new ArrayList<>();

    private AckBatch(ChatClient client) {
        this.client = client;
    }

    /** Queues `msgId` for `client`'s next ack frame (the batch is made and attached at the first call). */
    static void add(ChatClient client, long msgId) {
        if (msgId <= 0) {
            return;
        }
        AckBatch batch = client.attachment() instanceof AckBatch b ? b : null;
        if (batch == null) {
            batch = new AckBatch(client);
            client.attach(batch);
            client.conn().loop().addTicker(batch);
        }
        batch.pending.add(msgId);
    }

    @Override
    public void run() {
        while (!pending.isEmpty()) {
            List<Long> ids = pending.subList(0, Math.min(MAX_IDS, pending.size()));
            client.send(new ClientFrame.Ack(List.copyOf(ids)));
            ids.clear();
        }
    }
}
