package chat.server.store;

import chat.protocol.ServerFrame;
import chat.server.CborSerializable;
import java.util.List;

/** The outcome of one {@link Write}, known once its group commit is durable. */
public sealed interface Written extends CborSerializable {

    /**
     * The message is stored. `duplicate`: it was stored before under the same client id and this is
     * that message. `newPair`: the two users had never been in contact before.
     */
    record Accepted(ServerFrame.Message message, boolean duplicate, boolean newPair) implements Written {
    }

    /** Nothing was stored; `code` is a message_error code (unknown_user, mailbox_full, ...). */
    record Refused(String code, String reason) implements Written {
    }

    /** Messages that turned delivered now, each with the sender to tell. */
    record Delivered(List<DeliveredMessage> messages) implements Written {
        public Delivered {
            messages = List.copyOf(messages);
        }
    }

    /** `ts`: when the message was accepted, for the delivery-latency metric. */
    record DeliveredMessage(long msgId, String sender, String clientId, long ts) implements CborSerializable {
    }

    /** `advanced`: the read marker moved, to `upTo` (never past the newest message from the peer). */
    record Read(boolean advanced, long upTo) implements Written {
    }

    /** `changed`: the contact list changed. */
    record Contact(boolean changed) implements Written {
    }

    /** A receipt was kept for this many devices (0: every device of the user had it live). */
    record Kept(int devices) implements Written {
    }

    record Done() implements Written {
    }

    /** A group was made or changed: its new events, in order. `existed`: a create_group resent, nothing made. */
    record GroupChanged(List<ServerFrame.GroupEvent> events, boolean existed) implements Written {
        public GroupChanged {
            events = List.copyOf(events);
        }
    }
}
