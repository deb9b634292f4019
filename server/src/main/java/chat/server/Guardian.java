package chat.server;

import chat.server.accounts.Accounts;
import chat.server.mailbox.Mailbox;
import chat.server.net.Listener;
import chat.server.presence.Presence;
import chat.server.presence.Roster;
import chat.server.session.Directory;
import chat.server.session.Services;
import chat.server.store.Database;
import chat.server.store.MessageQueries;
import chat.server.store.MessageWriter;
import chat.server.store.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Wires the node: the Mailbox, Accounts and Roster actors, the Presence shard region, and — once this
 * node is Up in its cluster (a cluster of one unless seed nodes are configured) — the TCP Listener.
 * Registers the graceful shutdown: stop accepting, let in-flight commits finish, close sessions.
 */
public final class Guardian {

    private static final Duration SHUTDOWN_STEP = Duration.ofSeconds(10);

    private Guardian() {
    }

    public static Behavior<SelfUp> create(Settings settings, Database db, CompletableFuture<Listener.Listening> ready) {
        return Behaviors.setup(ctx -> {
            Clock clock = Clock.systemUTC();
            WorkPools pools = WorkPools.of(ctx.getSystem());
            MessageQueries queries = new MessageQueries(db);
            ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
            Function<String, RecipientRef<Presence.Command>> presence = user -> sharding.entityRefFor(Presence.TYPE_KEY, user);

            ActorRef<Mailbox.Command> mailbox = ctx.spawn(Mailbox.create(
                    new MessageWriter(db, clock, settings.limits().maxPendingPerUser()), queries, pools,
                    settings.store().maxBatch(), presence, clock), "mailbox");
            ActorRef<Accounts.Command> accounts = ctx.spawn(Accounts.create(settings.auth(), new UserStore(db), pools, clock),
                    "accounts");
            ActorRef<Roster.Command> roster = ctx.spawn(Roster.create(), "roster");
            Presence.initSharding(ctx, new Presence.Dependencies(settings, mailbox, roster, queries, pools, clock, presence));

            Directory directory = new Directory(queries, pools.reader(), roster, ctx.getSystem().scheduler(),
                    settings.limits().userList());
            Services services = new Services(settings, mailbox, accounts, directory, presence, clock);

            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
            if (ctx.getSystem().settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            }
            return Behaviors.receive(SelfUp.class)
                    .onMessage(SelfUp.class, up -> {
                        ActorRef<Listener.Command> listener = ctx.spawn(Listener.create(settings, services, ready), "listener");
                        registerShutdown(ctx, listener, mailbox);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static void registerShutdown(ActorContext<?> ctx, ActorRef<Listener.Command> listener,
                                         ActorRef<Mailbox.Command> mailbox) {
        var system = ctx.getSystem();
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-accepting", () ->
                AskPattern.<Listener.Command, Done>ask(listener, Listener.Unbind::new, SHUTDOWN_STEP, system.scheduler()));
        shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "commit-in-flight", () ->
                AskPattern.<Mailbox.Command, Done>ask(mailbox, Mailbox.Flush::new, SHUTDOWN_STEP, system.scheduler()));
        shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "close-sessions", () ->
                AskPattern.<Listener.Command, Done>ask(listener, Listener.CloseSessions::new, SHUTDOWN_STEP, system.scheduler()));
    }
}
