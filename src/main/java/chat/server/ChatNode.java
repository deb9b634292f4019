package chat.server;

import chat.server.net.Listener;
import chat.server.store.Database;
import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** A running node: its store, its actor system and the address it listens on. */
public final class ChatNode implements AutoCloseable {

    private final ActorSystem<?> system;
    private final Database db;
    private final Listener.Listening listening;

    private ChatNode(ActorSystem<?> system, Database db, Listener.Listening listening) {
        this.system = system;
        this.db = db;
        this.listening = listening;
    }

    /**
     * Opens the store and starts the node; returns once it listens.
     *
     * @throws chat.server.store.StoreUnavailable when the store cannot be opened
     * @throws IllegalStateException when the node cannot listen
     */
    public static ChatNode start(Config config, Duration timeout) {
        return start(config, timeout, Clock.systemUTC());
    }

    /**
     * {@link #start(Config, Duration)} on another clock than the system's: a test of stored data
     * (tokens valid for 30 days from when they were written) runs at the data's time, not today's.
     */
    public static ChatNode start(Config config, Duration timeout, Clock clock) {
        Settings settings = Settings.from(config);
        JvmMemory.tune(config);
        Database db = Database.open(settings.store(), clock);
        CompletableFuture<Listener.Listening> ready = new CompletableFuture<>();
        ActorSystem<?> system = ActorSystem.create(Guardian.create(settings, db, ready, clock), "chat", config);
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
        return listening.address();
    }

    public int port() {
        return listening.address().getPort();
    }

    /** The TLS listener's address, or null when TLS is off. */
    public InetSocketAddress tlsAddress() {
        return listening.tlsAddress();
    }

    /** Open sessions (connections) on this node. */
    public int sessionCount() {
        return AskPattern.<Listener.Command, Integer>ask(listening.listener(), Listener.CountSessions::new,
                Duration.ofSeconds(5), system.scheduler()).toCompletableFuture().join();
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
