package chat.client.model;

/** The state of a message this user sent, as its ticks show it. */
public enum Tick {
    /** In the outbox: not yet stored by the server (a clock). */
    PENDING,
    /** Stored by the server (✓). */
    SENT,
    /** The receiver's client has it (✓✓). */
    DELIVERED,
    /** The receiver has read it (✓✓ in colour). */
    READ,
    /** Refused by the server for good. */
    FAILED;

    /** Ticks only move forward: a late "delivered" never undoes "read". */
    public Tick max(Tick other) {
        if (this == FAILED || other == FAILED) {
            return FAILED;
        }
        return other.ordinal() > ordinal() ? other : this;
    }

    public static Tick ofStatus(String status) {
        return switch (status == null ? "" : status) {
            case "read" -> READ;
            case "delivered" -> DELIVERED;
            default -> SENT;
        };
    }
}
