package chat.server.mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Which Mailbox partition a user's writes go to. All writes concerning one recipient (its incoming
 * messages, its acks and reads, its kept receipts) go through the same partition, one group commit
 * at a time, so its msg_ids are committed in order even when many nodes write to one database.
 * A single node has its partitions as plain local actors; a cluster shards them over its nodes.
 */
public final class Mailboxes {

    public static final EntityTypeKey<Mailbox.Command> TYPE_KEY = EntityTypeKey.create(Mailbox.Command.class, "mailbox");

    private final int partitions;
    private final IntFunction<RecipientRef<Mailbox.Command>> partition;

    private Mailboxes(int partitions, IntFunction<RecipientRef<Mailbox.Command>> partition) {
        this.partitions = partitions;
        this.partition = partition;
    }

    public static Mailboxes local(List<ActorRef<Mailbox.Command>> refs) {
        List<ActorRef<Mailbox.Command>> copy = List.copyOf(refs);
        return new Mailboxes(copy.size(), copy::get);
    }

    public static Mailboxes sharded(ClusterSharding sharding, int partitions) {
        return new Mailboxes(partitions, p -> sharding.entityRefFor(TYPE_KEY, Integer.toString(p)));
    }

    /** The partition of `user` (String.hashCode is the same on every JVM). */
    public static int partitionOf(String user, int partitions) {
        return Math.floorMod(user.hashCode(), partitions);
    }

    public RecipientRef<Mailbox.Command> of(String user) {
        return partition.apply(partitionOf(user, partitions));
    }

    public List<RecipientRef<Mailbox.Command>> all() {
        List<RecipientRef<Mailbox.Command>> out = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            out.add(partition.apply(p));
        }
        return out;
    }
}
