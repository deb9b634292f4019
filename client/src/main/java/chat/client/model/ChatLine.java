package chat.client.model;

/**
 * One message in a conversation, or (in a group) one of its membership events, shown as a centred
 * line of text ({@link #event()}). A message of this user starts with no msg_id (PENDING, known by
 * its client id) and gets one when the server acknowledges it. Lives on the UI thread.
 */
public final class ChatLine {

    private long msgId;
    private final String clientId;
    private final String sender;
    private final String content;
    private long ts;
    private final boolean mine;
    private final boolean event;
    private Tick tick;
    private String problem;

    ChatLine(long msgId, String clientId, String sender, String content, long ts, boolean mine, Tick tick) {
        this(msgId, clientId, sender, content, ts, mine, tick, false);
    }

    private ChatLine(long msgId, String clientId, String sender, String content, long ts, boolean mine, Tick tick,
                     boolean event) {
        this.event = event;
        this.msgId = msgId;
        this.clientId = clientId;
        this.sender = sender;
        this.content = content;
        this.ts = ts;
        this.mine = mine;
        this.tick = tick;
    }

    /** A group event ("bob added carol"): `content` is its text, `sender` who did it. */
    static ChatLine event(long msgId, String by, String text, long ts) {
        return new ChatLine(msgId, null, by, text, ts, false, Tick.SENT, true);
    }

    public boolean event() {
        return event;
    }

    public long msgId() {
        return msgId;
    }

    public String clientId() {
        return clientId;
    }

    public String sender() {
        return sender;
    }

    public String content() {
        return content;
    }

    public long ts() {
        return ts;
    }

    public boolean mine() {
        return mine;
    }

    public Tick tick() {
        return tick;
    }

    /** Why a FAILED message was refused. */
    public String problem() {
        return problem;
    }

    boolean stored() {
        return msgId > 0;
    }

    void stored(long id, long serverTs) {
        msgId = id;
        ts = serverTs;
        tick = tick.max(Tick.SENT);
    }

    void advance(Tick to) {
        tick = tick.max(to);
    }

    void fail(String why) {
        tick = Tick.FAILED;
        problem = why;
    }
}
