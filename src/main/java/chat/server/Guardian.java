package chat.server;

import chat.protocol.ServerFrame;
import chat.server.accounts.Accounts;
import chat.server.mailbox.Mailbox;
import chat.server.mailbox.Mailboxes;
import chat.server.net.Listener;
import chat.server.ops.Metrics;
import chat.server.presence.Presence;
import chat.server.presence.Roster;
import chat.server.session.Directory;
import chat.server.session.Services;
import chat.server.store.Database;
import chat.server.groups.Group;
import chat.server.groups.GroupServices;
import chat.server.store.DeviceStream;
import chat.server.store.GroupQueries;
import chat.server.store.MessageQueries;
import chat.server.store.MessageWriter;
import chat.server.store.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Wires the node: the Mailbox partitions (local actors on a single node, sharded in a cluster),
 * Accounts, the Roster (fed cluster-wide through a topic), the Presence shard region, Pekko
 * Management (/alive, /ready, /metrics) and — once this node is Up in its cluster (a cluster of one
 * unless seed nodes are configured) — the TCP Listener. Registers the graceful shutdown: stop
 * accepting, let in-flight commits finish, close sessions.
 */
public final class Guardian {

    private static final Duration SHUTDOWN_STEP = Duration.ofSeconds(10);

    private Guardian() {
    }

    /** `clock`: the node's time (of messages, tokens, devices, last_seen); the system clock but in tests. */
    public static Behavior<SelfUp> create(Settings settings, Database db, CompletableFuture<Listener.Listening> ready,
                                          Clock clock) {
        return Behaviors.setup(ctx -> {
            ActorSystem<?> system = ctx.getSystem();
            WorkPools pools = WorkPools.of(system, settings.store().postgresql());
            MessageQueries queries = new MessageQueries(db);
            DeviceStream stream = new DeviceStream(db);
            Metrics metrics = Metrics.get(system);
            metrics.storeCheck(db::reachable);
            metrics.gauge("chat_messages_pending", Metrics.cached(Duration.ofSeconds(5), queries::pendingTotal));
            ClusterSharding sharding = ClusterSharding.get(system);
            Function<String, RecipientRef<Presence.Command>> presence = user -> sharding.entityRefFor(Presence.TYPE_KEY, user);
            boolean clustered = !system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty();

            Mailboxes mailboxes;
            int partitions = settings.store().partitions();
            if (clustered) {
                sharding.init(Entity.of(Mailboxes.TYPE_KEY, entity -> Mailbox.create(
                        new MessageWriter(db, clock, settings.limits().maxPendingPerUser()), queries, stream, pools,
                        settings.store().maxBatch(), presence, clock)).withStopMessage(Mailbox.HandOff.INSTANCE));
                mailboxes = Mailboxes.sharded(sharding, partitions);
            } else {
                List<ActorRef<Mailbox.Command>> local = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    local.add(ctx.spawn(Mailbox.create(new MessageWriter(db, clock, settings.limits().maxPendingPerUser()),
                            queries, stream, pools, settings.store().maxBatch(), presence, clock), "mailbox-" + p));
                }
                mailboxes = Mailboxes.local(local);
            }
            ActorRef<Accounts.Command> accounts = ctx.spawn(Accounts.create(settings.auth(), settings.devices(), new UserStore(db), pools, clock),
                    "accounts");
            ActorRef<Topic.Command<Roster.Command>> rosterTopic = ctx.spawn(Topic.create(Roster.Command.class, "roster"),
                    "roster-topic");
            ActorRef<Roster.Command> roster = ctx.spawn(Roster.create(rosterTopic,
                    Cluster.get(system).selfMember().address().toString(),
                    system.settings().config().getDuration("chat.presence.roster-resync")), "roster");
            Presence.initSharding(ctx, new Presence.Dependencies(settings, presenceStore(mailboxes), roster, queries, pools,
                    clock, presence));

            GroupQueries groupQueries = new GroupQueries(db);
            Group.initSharding(ctx, new GroupServices(settings, mailboxes, presence, groupQueries, pools, clock));
            Function<String, RecipientRef<Group.Command>> groups = id -> sharding.entityRefFor(Group.TYPE_KEY, id);
            Directory directory = new Directory(queries, new UserStore(db), groupQueries, pools.reader(), roster, system.scheduler(),
                    settings.limits().userList());
            Services services = new Services(settings, mailboxes, accounts, directory, presence, groups, clock);
            startManagement(ctx, system);

            Cluster cluster = Cluster.get(system);
            cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
            if (!clustered) {
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            }
            return Behaviors.receive(SelfUp.class)
                    .onMessage(SelfUp.class, up -> {
                        ActorRef<Listener.Command> listener = ctx.spawn(Listener.create(settings, services, ready), "listener");
                        registerShutdown(system, listener, mailboxes, clustered);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** Presence keeps last_seen and an offline user's receipts through that user's Mailbox partition. */
    private static Presence.Store presenceStore(Mailboxes mailboxes) {
        return new Presence.Store() {
            @Override
            public void lastSeen(String user, long ts) {
                mailboxes.of(user).tell(new Mailbox.RecordLastSeen(user, ts));
            }

            @Override
            public void keepReceipt(String user, ServerFrame.Receipt receipt, Set<String> reached) {
                mailboxes.of(user).tell(new Mailbox.KeepReceipt(user, receipt, reached));
            }
        };
    }

    /** /alive, /ready (joined and the store answers) and /metrics over HTTP; a node runs on without them. */
    private static void startManagement(ActorContext<?> ctx, ActorSystem<?> system) {
        if (!system.settings().config().getBoolean("chat.management.enabled")) {
            return;
        }
        var log = ctx.getLog();
        PekkoManagement.get(Adapter.toClassic(system)).start().whenComplete((uri, error) -> {
            if (error != null) {
                log.warn("management endpoints not started: {}", error.getMessage());
            } else {
                log.info("management endpoints at {} (/alive, /ready, /metrics)", uri);
            }
        });
    }

    private static void registerShutdown(ActorSystem<?> system, ActorRef<Listener.Command> listener, Mailboxes mailboxes,
                                         boolean clustered) {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-accepting", () ->
                AskPattern.<Listener.Command, Done>ask(listener, Listener.Unbind::new, SHUTDOWN_STEP, system.scheduler()));
        if (!clustered) { // in a cluster the partitions hand over to other nodes; here they must finish
            shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "commit-in-flight", () ->
                    CompletableFuture.allOf(mailboxes.all().stream().map(m -> AskPattern.<Mailbox.Command, Done>ask(m,
                            Mailbox.Flush::new, SHUTDOWN_STEP, system.scheduler()).toCompletableFuture())
                            .toArray(CompletableFuture[]::new)).thenApply(all -> Done.getInstance()));
        }
        shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "close-sessions", () ->
                AskPattern.<Listener.Command, Done>ask(listener, Listener.CloseSessions::new, SHUTDOWN_STEP, system.scheduler()));
    }
}
