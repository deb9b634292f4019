package chat.server.store;

import chat.protocol.ServerFrame;
import chat.server.CborSerializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One change the store-writer applies inside a group commit; its outcome is a {@link Written}. */
public sealed interface Write extends CborSerializable {

    /**
     * A new message, sent from `senderDevice` (null: a level 1 or 2 connection, the device
     * `default`). Outcome: {@link Written.Accepted} or {@link Written.Refused}.
     */
    record Send(String sender, String receiver, String clientId, String content, String senderDevice) implements Write {
        public Send(String sender, String receiver, String clientId, String content) {
            this(sender, receiver, clientId, content, null);
        }
    }

    /**
     * A device has everything of its stream up to `upTo` (its acks, as its session counts them;
     * for `default`, of the one-to-one messages to its user), and was last seen at `lastSeen`. Outcome: {@link Written.Done}.
     */
    record DevicePosition(String user, String device, long upTo, long lastSeen) implements Write {
    }

    /**
     * The user's device `default` (its level 1 and 2 logins) is online: its row is made the first
     * time, at the newest msg_id (like a new device, it replays what no device has acked yet, which
     * its pending messages are), and its last_seen moves. Outcome: {@link Written.Done}.
     */
    record DefaultDeviceSeen(String user, long at) implements Write {
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

    /**
     * Keep a receipt for each of the user's known devices that did not get it live (`reached`: the
     * devices online when it was sent); a group's receipt only for devices that were on level 3.
     * Outcome: {@link Written.Kept}.
     */
    record KeepReceipt(String user, ServerFrame.Receipt receipt, Set<String> reached) implements Write {
        public KeepReceipt {
            reached = Set.copyOf(reached);
        }
    }

    /** The device got its stored receipts up to this id (and those kept for any device). Outcome: {@link Written.Done}. */
    record DropReceipts(String user, String device, long upToReceiptId) implements Write {
    }

    /** add_contact (listed) or remove_contact. Outcome: {@link Written.Contact} or {@link Written.Refused}. */
    record ChangeContact(String owner, String contact, boolean listed, int maxContacts) implements Write {
    }

    /** The user went offline at `ts`. Outcome: {@link Written.Done}. */
    record RecordLastSeen(String user, long ts) implements Write {
    }

    // ---- level 3: groups (written through the group's own partition, in the group's order) ----

    /**
     * create_group by `creator` with the other `members` (folded, without the creator, no
     * duplicates). Outcome: {@link Written.GroupChanged} (with `existed` when the group is there
     * already: a resend) or {@link Written.Refused} (unknown_user).
     */
    record CreateGroup(String groupId, String name, String creator, String clientId, List<String> members) implements Write {
        public CreateGroup {
            members = List.copyOf(members);
        }
    }

    /** Changes by `by`, each one group event, in this order. Outcome: {@link Written.GroupChanged} or {@link Written.Refused}. */
    record ChangeGroup(String groupId, String by, List<GroupEdit> edits) implements Write {
        public ChangeGroup {
            edits = List.copyOf(edits);
        }
    }

    sealed interface GroupEdit extends CborSerializable {
    }

    record Added(List<String> users) implements GroupEdit {
        public Added {
            users = List.copyOf(users);
        }
    }

    /** `left`: the user left by itself (leave_group), else an admin removed it. */
    record Removed(List<String> users, boolean left) implements GroupEdit {
        public Removed {
            users = List.copyOf(users);
        }
    }

    /** The complete new admin list. */
    record Admins(List<String> admins) implements GroupEdit {
        public Admins {
            admins = List.copyOf(admins);
        }
    }

    record Renamed(String name) implements GroupEdit {
    }

    /** A message to a group, stored once. Outcome: {@link Written.Accepted} (receiver null). */
    record GroupSend(String groupId, String sender, String senderDevice, String clientId, String content) implements Write {
    }

    /** How far each member has the group's messages on at least one device. Outcome: {@link Written.Done}. */
    record GroupProgress(String groupId, Map<String, Long> deliveredUpTo) implements Write {
        public GroupProgress {
            deliveredUpTo = Map.copyOf(deliveredUpTo);
        }
    }

    /** The reader's marker in the group moves up to `upTo`. Outcome: {@link Written.Read}. */
    record MarkGroupRead(String reader, String groupId, long upTo) implements Write {
    }
}
