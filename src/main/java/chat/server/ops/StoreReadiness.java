package chat.server.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/** A readiness check of Pekko Management: the node is ready only while its store answers. */
public final class StoreReadiness implements Supplier<CompletionStage<Boolean>> {

    private final org.apache.pekko.actor.typed.ActorSystem<?> system;

    public StoreReadiness(ActorSystem system) {
        this.system = Adapter.toTyped(system);
    }

    @Override
    public CompletionStage<Boolean> get() {
        Metrics metrics = Metrics.get(system);
        return CompletableFuture.supplyAsync(metrics::storeReachable,
                system.dispatchers().lookup(DispatcherSelector.fromConfig("chat.store-reader-dispatcher")));
    }
}
