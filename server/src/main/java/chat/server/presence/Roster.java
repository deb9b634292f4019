package chat.server.presence;

import chat.protocol.ServerFrame;
import chat.server.session.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Who is online on this node, by name: answers the status columns of user lists and contact lists
 * without asking one Presence entity per row, and carries the seed-style broadcast of
 * `chat.presence.scope = all`. Presence entities keep it current; it holds no other truth.
 */
public final class Roster extends AbstractBehavior<Roster.Command> {

    private static final int RECENT = 10_000;

    public sealed interface Command {
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

    /** Sends a frame to every online session but `except`'s (presence scope `all`). */
    public record Broadcast(ServerFrame frame, String except) implements Command {
    }

    public record Status(boolean online, Long lastSeen) {
    }

    public record Statuses(Map<String, Status> users) {
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Roster::new);
    }

    private final TreeMap<String, ActorRef<Session.Command>> online = new TreeMap<>();
    private final Map<String, Long> recentlySeen = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > RECENT;
        }
    };

    private Roster(ActorContext<Command> ctx) {
        super(ctx);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Online.class, this::onOnline)
                .onMessage(Offline.class, this::onOffline)
                .onMessage(Lookup.class, this::onLookup)
                .onMessage(Matching.class, this::onMatching)
                .onMessage(Broadcast.class, this::onBroadcast)
                .build();
    }

    private Behavior<Command> onOnline(Online o) {
        online.put(o.user(), o.session());
        recentlySeen.remove(o.user());
        return this;
    }

    private Behavior<Command> onOffline(Offline o) {
        online.remove(o.user());
        recentlySeen.put(o.user(), o.lastSeen());
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
