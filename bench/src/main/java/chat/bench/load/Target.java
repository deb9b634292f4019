package chat.bench.load;

import chat.bench.client.ChatClient;

/** What `throughput` runs against, and what that changes in the workload. */
enum Target {
    /** Our node: level 2, message_ack for every message, receivers ack what they read. */
    NODE("node", true, ChatClient.Dialect.LEVEL2),
    /** The bench's bare relay: level 2 frames, no acks either way. */
    RELAY("relay", false, ChatClient.Dialect.LEVEL2),
    /**
     * An old level 1 server the user starts (such as the seed project's Python server): no acks, no
     * client id forwarded, so the message id travels in the content as well.
     */
    LEVEL1("level1", false, ChatClient.Dialect.LEVEL1);

    final String label;
    /** The target acknowledges messages (message_ack) and expects acks from receivers. */
    final boolean acks;
    final ChatClient.Dialect dialect;

    Target(String label, boolean acks, ChatClient.Dialect dialect) {
        this.label = label;
        this.acks = acks;
        this.dialect = dialect;
    }

    /** `--target` as typed: node, relay or level1; null otherwise. */
    static Target parse(String name) {
        for (Target t : values()) {
            if (t.label.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
