package chat.server.net;

import chat.protocol.FrameCodec;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import chat.server.Settings;
import chat.server.ops.Metrics;
import chat.server.session.Services;
import chat.server.session.Session;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * The TCP listener: binds the port, starts one {@link Session} per accepted connection (refusing
 * an address past chat.limits.connections-per-address), and at shutdown stops accepting, then
 * closes its sessions.
 */
public final class Listener extends AbstractBehavior<Listener.Command> {

    public sealed interface Command {
    }

    /** Stop accepting connections. */
    public record Unbind(ActorRef<Done> replyTo) implements Command {
    }

    /** Close every session gracefully; replies once they are all gone. */
    public record CloseSessions(ActorRef<Done> replyTo) implements Command {
    }

    /** How many sessions (connections) are open: they must go to zero when the connections do. */
    public record CountSessions(ActorRef<Integer> replyTo) implements Command {
    }

    private record Accepted(Tcp.IncomingConnection connection) implements Command {
    }

    private record Bound(Tcp.ServerBinding binding, boolean tls) implements Command {
    }

    private record BindFailed(Throwable error) implements Command {
    }

    private record SessionEnded(ActorRef<Session.Control> session, String address) implements Command {
    }

    /** The listener is bound: where (and where for TLS, or null), and the ref to ask it about its sessions. */
    public record Listening(InetSocketAddress address, InetSocketAddress tlsAddress, ActorRef<Command> listener) {
    }

    private enum Heartbeat implements Command {
        INSTANCE
    }

    public static Behavior<Command> create(Settings settings, Services services, CompletableFuture<Listening> ready) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            PingSchedule pings = new PingSchedule(settings.heartbeatInterval(), settings.heartbeatTick());
            return new Listener(ctx, settings, services, ready, pings, timers);
        }));
    }

    private final Settings settings;
    private final Services services;
    private final CompletableFuture<Listening> ready;
    private final Map<String, Integer> perAddress = new HashMap<>();
    private final List<Tcp.ServerBinding> bindings = new ArrayList<>(); // the plain port's acceptors
    private int plainPending; // acceptors not bound yet
    private Tcp.ServerBinding tlsBinding;
    private boolean accepting = true;
    private final PingSchedule sessions;
    private final TimerScheduler<Command> timers;
    private final AtomicInteger sessionCount = new AtomicInteger(); // read by /metrics, off this actor's thread
    private final Metrics metrics;
    private final Materializer materializer;
    private ActorRef<Done> closingReplyTo;

    private Listener(ActorContext<Command> ctx, Settings settings, Services services,
                     CompletableFuture<Listening> ready, PingSchedule sessions, TimerScheduler<Command> timers) {
        super(ctx);
        this.sessions = sessions;
        this.timers = timers;
        this.settings = settings;
        this.services = services;
        this.ready = ready;
        this.metrics = Metrics.get(ctx.getSystem());
        metrics.gauge("chat_sessions", sessionCount::get);
        ActorRef<Command> self = ctx.getSelf();
        this.materializer = Materializer.matFromSystem(ctx.getSystem());
        List<Inet.SocketOption> options = List.of(TcpSO.keepAlive(true), TcpSO.tcpNoDelay(true));
        Sink<Tcp.IncomingConnection, CompletionStage<Done>> accept = Sink.foreach(c -> self.tell(new Accepted(c)));
        bindPlain(ctx, options, accept);
        if (settings.tls().enabled()) {
            try {
                var tls = Tcp.get(ctx.getSystem())
                        .bindWithTls(settings.host(), settings.tls().port(), TlsEngines.fromKeystore(settings.tls()),
                                settings.backlog(), options, Optional.empty(), session -> Optional.empty(), TLSClosing.eagerClose())
                        .to(accept).run(materializer);
                ctx.pipeToSelf(tls, (b, error) -> error != null ? new BindFailed(error) : new Bound(b, true));
            } catch (IllegalStateException e) { // an unreadable keystore: the node stops at once, saying why
                ready.completeExceptionally(e);
            }
        }
    }

    /**
     * The plain port, on `chat.server.acceptors` listening sockets: each accepts one connection per
     * round trip through Pekko's listener, so several accept side by side, each with its own queue.
     */
    private void bindPlain(ActorContext<Command> ctx, List<Inet.SocketOption> options,
                           Sink<Tcp.IncomingConnection, CompletionStage<Done>> accept) {
        int acceptors = ReusePort.supported() ? settings.acceptors() : 1;
        int port = settings.port();
        List<Inet.SocketOption> shared = options;
        if (acceptors > 1) {
            try {
                port = ReusePort.claim(settings.host(), settings.port());
            } catch (UncheckedIOException e) {
                ctx.getSelf().tell(new BindFailed(e)); // the port is taken: the node stops, saying so
                return;
            }
            shared = new ArrayList<>(options);
            shared.add(ReusePort.ON);
        }
        plainPending = acceptors;
        for (int i = 0; i < acceptors; i++) {
            var bound = Tcp.get(ctx.getSystem())
                    .bind(settings.host(), port, settings.backlog(), shared, false, Optional.empty())
                    .to(accept).run(materializer);
            ctx.pipeToSelf(bound, (b, error) -> error != null ? new BindFailed(error) : new Bound(b, false));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Bound.class, this::onBound)
                .onMessage(BindFailed.class, this::onBindFailed)
                .onMessage(Accepted.class, this::onAccepted)
                .onMessage(SessionEnded.class, this::onSessionEnded)
                .onMessage(Unbind.class, this::onUnbind)
                .onMessage(CloseSessions.class, this::onCloseSessions)
                .onMessage(Heartbeat.class, h -> {
                    sessions.ping();
                    return this;
                })
                .onMessage(CountSessions.class, c -> {
                    c.replyTo().tell(sessions.size());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onBound(Bound b) {
        InetSocketAddress local = b.binding().localAddress();
        if (b.tls()) {
            tlsBinding = b.binding();
            getContext().getLog().info("accepting TLS connections at {}:{}", local.getAddress().getHostAddress(), local.getPort());
        } else {
            bindings.add(b.binding());
            plainPending--;
        }
        if (plainPending == 0 && !bindings.isEmpty() && (tlsBinding != null || !settings.tls().enabled())) {
            InetSocketAddress address = bindings.get(0).localAddress();
            getContext().getLog().info("listening on {}:{}", address.getAddress().getHostAddress(), address.getPort());
            ready.complete(new Listening(address, tlsBinding == null ? null : tlsBinding.localAddress(), getContext().getSelf()));
            timers.startTimerAtFixedRate(Heartbeat.INSTANCE, sessions.tick()); // a share of the sessions every tick
        }
        return this;
    }

    private Behavior<Command> onBindFailed(BindFailed f) {
        bindings.forEach(Tcp.ServerBinding::unbind); // the acceptors bound before one failed
        ready.completeExceptionally(new IllegalStateException("cannot listen on " + settings.host() + ": "
                + f.error().getMessage(), f.error()));
        return Behaviors.stopped();
    }

    private Behavior<Command> onAccepted(Accepted a) {
        Tcp.IncomingConnection connection = a.connection();
        String address = connection.remoteAddress().getAddress().getHostAddress();
        int open = perAddress.getOrDefault(address, 0);
        if (!accepting || open >= settings.limits().connectionsPerAddress()) {
            refuse(connection, accepting ? "too many connections from your address" : "the server is shutting down");
            return this;
        }
        perAddress.put(address, open + 1);
        metrics.connectionsAccepted.increment();
        ActorRef<Session.Control> session = getContext().<Session.Command>spawnAnonymous(Session.create(services)).narrow();
        session.tell(new Session.Attach(ConnectionFlow.opener(connection, settings.limits(), metrics.framesIn, materializer)));
        sessions.add(session);
        sessionCount.set(sessions.size());
        getContext().watchWith(session, new SessionEnded(session, address));
        return this;
    }

    /** Answers a connection it will not serve with one error frame, then closes it. */
    private void refuse(Tcp.IncomingConnection connection, String why) {
        ByteString answer = ByteString.fromArrayUnsafe(FrameCodec.encode(
                new ServerFrame.Error(ProtocolError.RATE_LIMITED, why, null)));
        connection.handleWith(Flow.fromSinkAndSource(Sink.ignore(), Source.single(answer)), materializer);
    }

    private Behavior<Command> onSessionEnded(SessionEnded e) {
        perAddress.computeIfPresent(e.address(), (k, n) -> n <= 1 ? null : n - 1);
        sessions.remove(e.session());
        sessionCount.set(sessions.size());
        if (sessions.isEmpty() && closingReplyTo != null) {
            closingReplyTo.tell(Done.getInstance());
            closingReplyTo = null;
        }
        return this;
    }

    private Behavior<Command> onUnbind(Unbind u) {
        accepting = false;
        CompletableFuture<?> plain = CompletableFuture.allOf(bindings.stream()
                .map(b -> b.unbind().toCompletableFuture()).toArray(CompletableFuture[]::new));
        CompletableFuture<?> tls = tlsBinding == null ? CompletableFuture.completedFuture(null)
                : tlsBinding.unbind().toCompletableFuture();
        CompletableFuture.allOf(plain, tls).whenComplete((ok, error) -> u.replyTo().tell(Done.getInstance()));
        return this;
    }

    private Behavior<Command> onCloseSessions(CloseSessions c) {
        accepting = false;
        if (sessions.isEmpty()) {
            c.replyTo().tell(Done.getInstance());
            return this;
        }
        closingReplyTo = c.replyTo();
        sessions.forEach(s -> s.tell(Session.Close.INSTANCE));
        return this;
    }
}
