package chat.server.store;

import chat.protocol.ServerFrame;

/**
 * Where a message is on its way, as the `status` column of `messages` (and of `receipts`, for the
 * two a receipt can say) stores it, and as `history_response` spells it.
 */
public enum MessageStatus {
    /** Committed, not yet acknowledged by any device of the recipient: it stays pending. */
    SENT(0, "sent"),
    DELIVERED(1, ServerFrame.Receipt.DELIVERED),
    READ(2, ServerFrame.Receipt.READ);

    /** The value in the database. */
    public final int code;
    /** The name on the wire. */
    public final String wire;

    MessageStatus(int code, String wire) {
        this.code = code;
        this.wire = wire;
    }

    public static MessageStatus of(int code) {
        return values()[code];
    }

    /** A receipt's status (`delivered` or `read`). */
    public static MessageStatus ofReceipt(String status) {
        return READ.wire.equals(status) ? READ : DELIVERED;
    }
}
