package chat.server;

import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * The dedicated thread pools for blocking work: the single store-writer thread (SQLite has one
 * writer), the store readers, and password hashing. Actors hand work to them and get the result
 * back with pipeToSelf; nothing blocks Pekko's default dispatcher.
 */
public record WorkPools(Executor writer, Executor reader, Executor auth) {

    public static WorkPools of(ActorSystem<?> system) {
        return new WorkPools(
                system.dispatchers().lookup(DispatcherSelector.fromConfig("chat.store-writer-dispatcher")),
                system.dispatchers().lookup(DispatcherSelector.fromConfig("chat.store-reader-dispatcher")),
                system.dispatchers().lookup(DispatcherSelector.fromConfig("chat.auth-dispatcher")));
    }
}
