package chat.server.presence;

import chat.server.CborSerializable;
import chat.server.ops.Metrics;
import chat.protocol.ServerFrame;
import chat.server.session.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Who is online, by name, cluster-wide: answers the status columns of user lists and contact lists
 * without asking one Presence entity per row, and carries the seed-style broadcast of
 * `chat.presence.scope = all`. Presence entities tell the Roster of their node, which passes the
 * change on to the other nodes' Rosters through a topic; it holds no other truth.
 */
public final class Roster extends AbstractBehavior<Roster.Command> {

    private static final int RECENT = 10_000;

    public sealed interface Command extends CborSerializable {
    }

    public record Online(String user, ActorRef<Session.Command> session) implements Command {
    }

    public record Offline(String user, long lastSeen) implements Command {
    }

    /** Status of each named user: online, or offline with a recent last-seen when this node knows one. */
    public record Lookup(Collection<String> users, ActorRef<Statuses> replyTo) implements Command {
    }

    /** Online users whose name starts with `prefix`, by name, at most `limit`. */
    public record Matching(String prefix, int limit, ActorRef<Statuses> replyTo) implements Command {
    }

    /** A change heard by the Roster of node `origin`, passed on to the others. */
    public record Replicated(Command change, String origin) implements Command {
    }

    /** Sends a frame to every online session but `except`'s (presence scope `all`). */
    public record Broadcast(ServerFrame frame, String except) implements Command {
    }

    public record Status(boolean online, Long lastSeen) {
    }

    public record Statuses(Map<String, Status> users) implements CborSerializable {
    }

    /** A Roster of this node alone. */
    public static Behavior<Command> create() {
        return Behaviors.setup(ctx -> new Roster(ctx, null, ""));
    }

    /** A Roster that shares what it hears with the Rosters of the other nodes through `topic`. */
    public static Behavior<Command> create(ActorRef<Topic.Command<Command>> topic, String node) {
        return Behaviors.setup(ctx -> {
            topic.tell(Topic.subscribe(ctx.getSelf()));
            return new Roster(ctx, topic, node);
        });
    }

    private final ActorRef<Topic.Command<Command>> topic;
    private final String node;
    private final AtomicInteger onlineCount = new AtomicInteger(); // read by /metrics, off this actor's thread

    private final TreeMap<String, ActorRef<Session.Command>> online = new TreeMap<>();
    private final Map<String, Long> recentlySeen = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > RECENT;
        }
    };

    private Roster(ActorContext<Command> ctx, ActorRef<Topic.Command<Command>> topic, String node) {
        super(ctx);
        this.topic = topic;
        this.node = node;
        Metrics.get(ctx.getSystem()).gauge("chat_users_online", onlineCount::get);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Online.class, this::onOnline)
                .onMessage(Offline.class, this::onOffline)
                .onMessage(Lookup.class, this::onLookup)
                .onMessage(Matching.class, this::onMatching)
                .onMessage(Broadcast.class, this::onBroadcast)
                .onMessage(Replicated.class, this::onReplicated)
                .build();
    }

    private Behavior<Command> onOnline(Online o) {
        online.put(o.user(), o.session());
        recentlySeen.remove(o.user());
        onlineCount.set(online.size());
        share(o);
        return this;
    }

    private Behavior<Command> onOffline(Offline o) {
        online.remove(o.user());
        recentlySeen.put(o.user(), o.lastSeen());
        onlineCount.set(online.size());
        share(o);
        return this;
    }

    private void share(Command change) {
        if (topic != null) {
            topic.tell(Topic.publish(new Replicated(change, node)));
        }
    }

    private Behavior<Command> onReplicated(Replicated r) {
        if (node.equals(r.origin())) {
            return this; // our own change, already applied
        }
        if (r.change() instanceof Online o) {
            online.put(o.user(), o.session());
            recentlySeen.remove(o.user());
        } else if (r.change() instanceof Offline o) {
            online.remove(o.user());
            recentlySeen.put(o.user(), o.lastSeen());
        }
        onlineCount.set(online.size());
        return this;
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
        List<ActorRef<Session.Command>> targets = new ArrayList<>(online.size());
        online.forEach((user, session) -> {
            if (!user.equals(b.except())) {
                targets.add(session);
            }
        });
        for (ActorRef<Session.Command> s : targets) {
            s.tell(new Session.Push(b.frame(), true));
        }
        return this;
    }
}
