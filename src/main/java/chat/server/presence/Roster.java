package chat.server.presence;

import chat.protocol.ServerFrame;
import chat.server.CborSerializable;
import chat.server.ops.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Who is online, by name, cluster-wide: answers the status columns of user lists and contact lists
 * without asking one Presence entity per row, and carries the seed-style broadcast of
 * `chat.presence.scope = all`. It holds no other truth.
 *
 * Presence entities tell the Roster of their node; it passes each change to the other nodes'
 * Rosters through a topic. Because a topic only reaches the subscribers it already knows, every
 * Roster also publishes a snapshot of its own entries when a node joins and every so often, and
 * forgets the entries of a node that left the cluster (their sessions are gone).
 *
 * A Roster keeps the session of its own node's users only; of the others' users it keeps the name
 * and the node. Every node holds an entry for every user online anywhere, and a remote ActorRef in
 * it cost ~500 B of heap per user on every node (docs/SCALING.md). A scope-all broadcast goes to the
 * other nodes' Rosters once, through the topic, and each pushes to its own sessions.
 */
public final class Roster extends AbstractBehavior<Roster.Command> {

    private static final int RECENT = 10_000;
    /** Users per snapshot message: ~100 bytes each serialized, well under Artery's 256 KiB frame. */
    public static final int SNAPSHOT_CHUNK = 1_000;
    private static final Duration AFTER_JOIN = Duration.ofSeconds(3);

    public sealed interface Command extends CborSerializable {
    }

    public record Online(String user, ActorRef<SessionNotice> session) implements Command {
    }

    public record Offline(String user, long lastSeen) implements Command {
    }

    /** Status of each named user: online, or offline with a recent last-seen when this node knows one. */
    public record Lookup(Collection<String> users, ActorRef<Statuses> replyTo) implements Command {
    }

    /** Online users whose name starts with `prefix`, by name, at most `limit`. */
    public record Matching(String prefix, int limit, ActorRef<Statuses> replyTo) implements Command {
    }

    /** Sends a frame to every online session but `except`'s (presence scope `all`). */
    public record Broadcast(ServerFrame frame, String except) implements Command {
    }

    /** A change heard by the Roster of node `origin`, passed on to the others: `online` (a name) or `offline`. */
    public record Replicated(String online, Offline offline, String origin) implements Command {
    }

    /** A {@link Broadcast} of node `origin`, for the sessions of every other node. */
    public record Spread(ServerFrame frame, String except, String origin) implements Command {
    }

    /**
     * Everyone the Roster of node `origin` has heard of directly, in `parts` messages numbered from 0
     * (one message would outgrow Artery's frame at a few thousand users). Once every part of an
     * `epoch` has arrived it replaces what others knew from that node.
     */
    public record Snapshot(String origin, long epoch, int part, int parts, List<String> online)
            implements Command {
    }

    public record Status(boolean online, Long lastSeen) {
    }

    public record Statuses(Map<String, Status> users) implements CborSerializable {
    }

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {
    }

    private enum Resync implements Command {
        INSTANCE
    }

    /** A Roster of this node alone. */
    public static Behavior<Command> create() {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Roster(ctx, timers, null, "")));
    }

    /**
     * A Roster that shares what it hears with the Rosters of the other nodes through `topic`, and
     * its whole view every `resync`.
     */
    public static Behavior<Command> create(ActorRef<Topic.Command<Command>> topic, String node, Duration resync) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            topic.tell(Topic.subscribe(ctx.getSelf()));
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                    ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
            timers.startTimerWithFixedDelay(Resync.INSTANCE, resync);
            return new Roster(ctx, timers, topic, node);
        }));
    }

    private final TimerScheduler<Command> timers;
    private final ActorRef<Topic.Command<Command>> topic;
    private final String node;
    private final TreeMap<String, String> online = new TreeMap<>(); // user -> node (one String per node)
    private final Map<String, ActorRef<SessionNotice>> local = new HashMap<>(); // this node's users
    private final Map<String, String> nodes = new HashMap<>(); // canonical node names
    private final Map<String, Assembly> assembling = new HashMap<>(); // by origin node
    private long snapshotEpoch;
    private final AtomicInteger onlineCount = new AtomicInteger(); // read by /metrics, off this actor's thread
    private final Map<String, Long> recentlySeen = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > RECENT;
        }
    };

    private Roster(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<Topic.Command<Command>> topic,
                   String node) {
        super(ctx);
        this.timers = timers;
        this.topic = topic;
        this.node = node;
        Metrics.get(ctx.getSystem()).gauge("chat_users_online", onlineCount::get);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Online.class, o -> {
                    online(o.user(), o.session(), node);
                    share(o);
                    return this;
                })
                .onMessage(Offline.class, o -> {
                    offline(o.user(), o.lastSeen());
                    share(o);
                    return this;
                })
                .onMessage(Lookup.class, this::onLookup)
                .onMessage(Matching.class, this::onMatching)
                .onMessage(Broadcast.class, this::onBroadcast)
                .onMessage(Replicated.class, this::onReplicated)
                .onMessage(Spread.class, this::onSpread)
                .onMessage(Snapshot.class, this::onSnapshot)
                .onMessage(MembershipChanged.class, this::onMembershipChanged)
                .onMessage(Resync.class, r -> {
                    publishSnapshot();
                    return this;
                })
                .build();
    }

    private void online(String user, ActorRef<SessionNotice> session, String origin) {
        if (session != null) {
            local.put(user, session);
        } else {
            local.remove(user); // the user's live session is now on another node
        }
        online.put(user, nodes.computeIfAbsent(origin, o -> o));
        recentlySeen.remove(user);
        onlineCount.set(online.size());
    }

    private void offline(String user, long lastSeen) {
        online.remove(user);
        local.remove(user);
        recentlySeen.put(user, lastSeen);
        onlineCount.set(online.size());
    }

    private void share(Command change) {
        if (topic != null) {
            topic.tell(Topic.publish(change instanceof Online o ? new Replicated(o.user(), null, node)
                    : new Replicated(null, (Offline) change, node)));
        }
    }

    private void publishSnapshot() {
        if (topic == null) {
            return;
        }
        List<List<String>> chunks = new ArrayList<>();
        chunks.add(new ArrayList<>());
        for (String user : local.keySet()) {
            if (chunks.get(chunks.size() - 1).size() == SNAPSHOT_CHUNK) {
                chunks.add(new ArrayList<>());
            }
            chunks.get(chunks.size() - 1).add(user);
        }
        long epoch = snapshotEpoch = Math.max(snapshotEpoch + 1, System.currentTimeMillis()); // grows across restarts too
        for (int i = 0; i < chunks.size(); i++) {
            topic.tell(Topic.publish(new Snapshot(node, epoch, i, chunks.size(), chunks.get(i))));
        }
    }

    private Behavior<Command> onReplicated(Replicated r) {
        if (node.equals(r.origin())) {
            return this; // our own change, already applied
        }
        if (r.online() != null) {
            online(r.online(), null, r.origin());
        } else if (r.offline() != null) {
            offline(r.offline().user(), r.offline().lastSeen());
        }
        return this;
    }

    private Behavior<Command> onSnapshot(Snapshot s) {
        if (node.equals(s.origin())) {
            return this;
        }
        Assembly a = assembling.get(s.origin());
        if (a == null || a.epoch < s.epoch()) { // a newer snapshot: an unfinished older one is dropped
            a = new Assembly(s.epoch());
            assembling.put(s.origin(), a);
        } else if (a.epoch > s.epoch()) {
            return this;
        }
        s.online().forEach(user -> online(user, null, s.origin()));
        a.users.addAll(s.online());
        if (++a.parts == s.parts()) {
            assembling.remove(s.origin());
            forgetOrigin(s.origin(), a.users);
        }
        return this;
    }

    /** The parts of one node's snapshot received so far. */
    private static final class Assembly {
        final long epoch;
        final Set<String> users = new HashSet<>();
        int parts;

        Assembly(long epoch) {
            this.epoch = epoch;
        }
    }

    private Behavior<Command> onMembershipChanged(MembershipChanged m) {
        if (m.event() instanceof ClusterEvent.MemberUp) {
            timers.startSingleTimer("after-join", Resync.INSTANCE, AFTER_JOIN); // once the newcomer subscribed
        } else if (m.event() instanceof ClusterEvent.MemberRemoved removed) {
            forgetOrigin(removed.member().address().toString(), List.of());
        }
        return this;
    }

    /** Drops what came from `origin`, but for `keep`. */
    private void forgetOrigin(String origin, Collection<String> keep) {
        List<String> gone = new ArrayList<>();
        online.forEach((user, from) -> {
            if (from.equals(origin) && !keep.contains(user)) {
                gone.add(user);
            }
        });
        long now = System.currentTimeMillis();
        gone.forEach(user -> offline(user, now));
    }

    private Behavior<Command> onLookup(Lookup l) {
        Map<String, Status> out = new HashMap<>();
        for (String u : l.users()) {
            if (online.containsKey(u)) {
                out.put(u, new Status(true, null));
            } else {
                out.put(u, new Status(false, recentlySeen.get(u)));
            }
        }
        l.replyTo().tell(new Statuses(out));
        return this;
    }

    private Behavior<Command> onMatching(Matching m) {
        Map<String, Status> out = new LinkedHashMap<>();
        for (String u : online.subMap(m.prefix(), m.prefix() + "{").keySet()) { // names sort below '{'
            if (out.size() >= m.limit()) {
                break;
            }
            out.put(u, new Status(true, null));
        }
        m.replyTo().tell(new Statuses(out));
        return this;
    }

    private Behavior<Command> onBroadcast(Broadcast b) {
        pushToLocal(b.frame(), b.except());
        if (topic != null) {
            topic.tell(Topic.publish(new Spread(b.frame(), b.except(), node)));
        }
        return this;
    }

    private Behavior<Command> onSpread(Spread s) {
        if (!node.equals(s.origin())) {
            pushToLocal(s.frame(), s.except());
        }
        return this;
    }

    private void pushToLocal(ServerFrame frame, String except) {
        local.forEach((user, session) -> {
            if (!user.equals(except)) {
                session.tell(new SessionNotice.Push(frame, true));
            }
        });
    }
}
