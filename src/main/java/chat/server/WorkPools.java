package chat.server;

import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * The dedicated thread pools for blocking work: the store writer, the store readers, and password
 * hashing. Actors hand work to them and get the result back with pipeToSelf; nothing blocks Pekko's
 * default dispatcher.
 *
 * `writer` is one thread (SQLite has one writer, and the accounts' write connection is used by one
 * thread at a time). `partitions` runs the mailbox partitions' group commits: the same single thread
 * with SQLite; with PostgreSQL a pool, so that the partitions a node hosts commit side by side on
 * their own connections (each partition still has at most one commit in flight).
 */
public record WorkPools(Executor writer, Executor reader, Executor auth, Executor partitions) {

    public WorkPools(Executor writer, Executor reader, Executor auth) {
        this(writer, reader, auth, writer);
    }

    public static WorkPools of(ActorSystem<?> system, boolean sharedStore) {
        Executor writer = lookup(system, "chat.store-writer-dispatcher");
        return new WorkPools(writer, lookup(system, "chat.store-reader-dispatcher"), lookup(system, "chat.auth-dispatcher"),
                sharedStore ? lookup(system, "chat.store-partition-dispatcher") : writer);
    }

    private static Executor lookup(ActorSystem<?> system, String dispatcher) {
        return system.dispatchers().lookup(DispatcherSelector.fromConfig(dispatcher));
    }
}
