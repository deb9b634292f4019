package chat.server.store;

import chat.protocol.ServerFrame;
import java.util.List;

/** One change the store-writer applies inside a group commit; its outcome is a {@link Written}. */
public sealed interface Write {

    /** A new message. Outcome: {@link Written.Accepted} or {@link Written.Refused}. */
    record Send(String sender, String receiver, String clientId, String content) implements Write {
    }

    /** The receiver has its messages (level 2 ack, or level 1 write). Outcome: {@link Written.Delivered}. */
    record MarkDelivered(String receiver, List<Long> msgIds) implements Write {
        public MarkDelivered {
            msgIds = List.copyOf(msgIds);
        }
    }

    /** Those delivered messages (never read) are pending again. Outcome: {@link Written.Done}. */
    record MarkPending(String receiver, List<Long> msgIds) implements Write {
        public MarkPending {
            msgIds = List.copyOf(msgIds);
        }
    }

    /** The reader has read everything from `peer` up to `upTo`. Outcome: {@link Written.Read}. */
    record MarkRead(String reader, String peer, long upTo) implements Write {
    }

    /** Keep a receipt for a sender who is offline. Outcome: {@link Written.Done}. */
    record KeepReceipt(String user, ServerFrame.Receipt receipt) implements Write {
    }

    /** The user's stored receipts up to this id were sent. Outcome: {@link Written.Done}. */
    record DropReceipts(String user, long upToReceiptId) implements Write {
    }

    /** add_contact (listed) or remove_contact. Outcome: {@link Written.Contact} or {@link Written.Refused}. */
    record ChangeContact(String owner, String contact, boolean listed, int maxContacts) implements Write {
    }

    /** The user went offline at `ts`. Outcome: {@link Written.Done}. */
    record RecordLastSeen(String user, long ts) implements Write {
    }
}
