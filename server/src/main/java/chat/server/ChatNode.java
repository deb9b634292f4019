package chat.server;

import chat.server.store.Database;
import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/** A running node: its store, its actor system and the address it listens on. */
public final class ChatNode implements AutoCloseable {

    private final ActorSystem<?> system;
    private final Database db;
    private final InetSocketAddress address;

    private ChatNode(ActorSystem<?> system, Database db, InetSocketAddress address) {
        this.system = system;
        this.db = db;
        this.address = address;
    }

    /**
     * Opens the store and starts the node; returns once it listens.
     *
     * @throws chat.server.store.StoreUnavailable when the store cannot be opened
     * @throws IllegalStateException when the node cannot listen
     */
    public static ChatNode start(Config config, Duration timeout) {
        Settings settings = Settings.from(config);
        Database db = Database.open(settings.store());
        CompletableFuture<InetSocketAddress> ready = new CompletableFuture<>();
        ActorSystem<?> system = ActorSystem.create(Guardian.create(settings, db, ready), "chat", config);
        try {
            return new ChatNode(system, db, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
            db.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(cause instanceof TimeoutException ? "the node did not start within " + timeout
                    : cause.getMessage(), cause);
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    public ActorSystem<?> system() {
        return system;
    }

    /** Starts the graceful shutdown (as SIGTERM does) without waiting for it. */
    public void shutdown() {
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.jvmExitReason());
    }

    /** Blocks until the node has stopped, then closes the store. */
    public void awaitTermination() {
        system.getWhenTerminated().toCompletableFuture().join();
        db.close();
    }

    @Override
    public void close() {
        shutdown();
        awaitTermination();
    }
}
