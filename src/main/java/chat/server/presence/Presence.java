package chat.server.presence;

import chat.server.CborSerializable;
import chat.protocol.ServerFrame;
import chat.server.Settings;
import chat.server.WorkPools;
import chat.server.store.MessageQueries;
import java.time.Clock;
import java.time.Duration;
import chat.protocol.DeviceIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractMatchingBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One user's presence, a Cluster Sharding entity keyed by username: the one place that knows the
 * user's live session (so a second login takes over instead of being refused), whether it is
 * online and since when it is not, who must hear about it (its contacts, loaded when first needed),
 * and what it is typing to whom (soft state with a TTL, never stored).
 *
 * Deliveries, receipts and notifications for the user all pass through here to its session (as a
 * {@link SessionNotice}, the only thing Presence may send a session); when there is no session,
 * messages simply stay pending in the store and receipts are kept for later.
 *
 * Its receive is a plain match over its own protocol ({@link AbstractMatchingBehavior}): a receive
 * built per entity with newReceiveBuilder() would cost every online user's entity its own table.
 */
public final class Presence extends AbstractMatchingBehavior<Presence.Command> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "presence");

    /**
     * An offline entity with nothing to do passivates this long after its last session ended:
     * entities of offline users (or of names typed to that belong to nobody) do not pile up. A timer,
     * not a receive timeout: cancelling a receive timeout whose message is already queued hands the
     * actor a null message, which fails it (akka/akka-core#32015, fixed in apache/pekko#3086 after
     * the Pekko release used here), and a storm of reconnects does exactly that.
     */
    private static final Duration IDLE = Duration.ofSeconds(10);

    public sealed interface Command extends CborSerializable {
    }

    /**
     * A session of this user logged in from `device` (levels 1 and 2: the device `default`). The
     * session gets {@link SessionNotice.Connected} back, or {@link SessionNotice.TooManyDevices}.
     */
    public record Connect(ActorRef<SessionNotice> session, int level, String device) implements Command {
        public Connect(ActorRef<SessionNotice> session, int level) {
            this(session, level, DeviceIds.DEFAULT);
        }
    }

    /** The session ended (logout, closed connection). Ignored unless it is the current session. */
    public record Disconnect(ActorRef<SessionNotice> session) implements Command {
    }

    /**
     * A committed message (or level 3 group event) for this user's devices. `exceptDevice` (may be
     * null) is the device it was sent from: an outgoing copy goes to the user's other devices only.
     */
    public record Deliver(ServerFrame.Delivery delivery, String exceptDevice) implements Command {
        public Deliver(ServerFrame.Delivery delivery) {
            this(delivery, null);
        }
    }

    /**
     * A frame for the user's session: a receipt (kept in the store when the user is offline), or
     * a contact's user_status or typing_notification (dropped when offline, or under pressure).
     */
    public record Notify(ServerFrame frame, String exceptDevice) implements Command {
        public Notify(ServerFrame frame) {
            this(frame, null);
        }
    }

    /** `peer` was added to (or removed from) the relationship with this user. */
    public record ContactChanged(String peer, boolean listed) implements Command {
    }

    /** The user is typing to `to` (again: a refresh) on `device`. */
    public record StartTyping(String to, String device) implements Command {
        public StartTyping(String to) {
            this(to, DeviceIds.DEFAULT);
        }
    }

    /**
     * A receipt sent while `reached` were online was kept for no device: the user has no other
     * device, so receipts need no store write while those devices stay online.
     */
    public record AllDevicesReached(Set<String> reached) implements Command {
        public AllDevicesReached {
            reached = Set.copyOf(reached);
        }
    }

    /** revoke_device: the device's session (if online) hears {@link SessionNotice.Revoked} and closes. */
    public record RevokeDevice(String device) implements Command {
    }

    /** Which of the user's devices are online, each with the time it logged in. */
    public record GetOnlineDevices(ActorRef<OnlineDevices> replyTo) implements Command {
    }

    public record OnlineDevices(Map<String, Long> since) implements CborSerializable {
        public OnlineDevices {
            since = Map.copyOf(since);
        }
    }

    /** `to` null: whoever the user typed to last. */
    public record StopTyping(String to) implements Command {
    }

    /** The user sent `to` a message: that ends its typing to `to`. */
    public record Sent(String to) implements Command {
    }

    private record WatchersLoaded(Set<String> watchers) implements Command {
    }

    private record WatchersFailed(Throwable error) implements Command {
    }

    private record TypingExpired(String to) implements Command {
    }

    private record SessionTerminated(ActorRef<SessionNotice> session) implements Command {
    }

    private enum Idle implements Command {
        INSTANCE
    }

    /**
     * What Presence asks to be kept in the store. The node wires it to the user's Mailbox partition:
     * the Mailbox hands its committed messages and receipts to Presence, so Presence does not name
     * the Mailbox (dependencies run one way, mailbox → presence).
     */
    public interface Store {
        /** The user went offline at `ts` (epoch ms). */
        void lastSeen(String user, long ts);

        /** A receipt for the user's devices that are not online (`reached` are): kept for their next login. */
        void keepReceipt(String user, ServerFrame.Receipt receipt, Set<String> reached);
    }

    /**
     * What every entity needs from the node. `roster` is this node's Roster (which passes what it
     * hears on to the other nodes' Rosters).
     */
    public record Dependencies(Settings settings, Store store, ActorRef<Roster.Command> roster,
                               MessageQueries queries, WorkPools pools, Clock clock,
                               Function<String, RecipientRef<Command>> presence) {
    }

    public static void initSharding(ActorContext<?> ctx, Dependencies deps) {
        ClusterSharding.get(ctx.getSystem()).init(Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(),
                self -> entity.getShard().tell(new ClusterSharding.Passivate<>(self)), deps)));
    }

    public static Behavior<Command> create(String user, Consumer<ActorRef<Command>> passivate,
                                           Dependencies deps) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Presence(ctx, timers, user, passivate, deps)));
    }

    private final TimerScheduler<Command> timers;
    private final String user;
    private final Consumer<ActorRef<Command>> passivate;
    private final Dependencies deps;

    /** The user's live sessions by device, in login order; the user is online while there is one. */
    private final Map<String, Live> sessions = new LinkedHashMap<>(2);
    private Set<String> watchers; // null until needed
    private boolean loadingWatchers;
    private final List<ServerFrame.UserStatus> unannounced = new ArrayList<>();
    private final List<ContactChanged> changedWhileLoading = new ArrayList<>();
    private final Set<String> typingTo = new LinkedHashSet<>();
    private final Map<String, String> typingFrom = new HashMap<>(); // target → the device that last refreshed it
    private String lastTypedTo;
    private boolean allDevicesOnline; // every known device of the user is online: receipts need not be kept

    private Presence(ActorContext<Command> ctx, TimerScheduler<Command> timers, String user,
                     Consumer<ActorRef<Command>> passivate, Dependencies deps) {
        super(ctx);
        this.timers = timers;
        this.user = user;
        this.passivate = passivate;
        this.deps = deps;
        timers.startSingleTimer(Idle.INSTANCE, Idle.INSTANCE, IDLE);
    }

    @Override
    public Behavior<Command> onMessage(Command c) {
        if (c instanceof Connect connect) {
            return onConnect(connect);
        } else if (c instanceof Disconnect d) {
            return ended(d.session());
        } else if (c instanceof SessionTerminated t) {
            return ended(t.session());
        } else if (c instanceof Deliver d) {
            return onDeliver(d);
        } else if (c instanceof Notify n) {
            return onNotify(n);
        } else if (c instanceof ContactChanged changed) {
            return onContactChanged(changed);
        } else if (c instanceof StartTyping t) {
            return onTyping(t);
        } else if (c instanceof StopTyping stop) {
            return stopTyping(stop.to() != null ? stop.to() : lastTypedTo);
        } else if (c instanceof Sent sent) {
            return stopTyping(sent.to());
        } else if (c instanceof TypingExpired expired) {
            return stopTyping(expired.to());
        } else if (c instanceof WatchersLoaded loaded) {
            return onWatchersLoaded(loaded);
        } else if (c instanceof WatchersFailed failed) {
            return onWatchersFailed(failed);
        } else if (c instanceof Idle) {
            return onIdle();
        } else if (c instanceof AllDevicesReached a) {
            allDevicesOnline = sessions.keySet().containsAll(a.reached()); // not if one of them went offline since
            return this;
        } else if (c instanceof RevokeDevice r) {
            return onRevokeDevice(r);
        } else if (c instanceof GetOnlineDevices g) {
            Map<String, Long> since = new LinkedHashMap<>();
            sessions.forEach((device, live) -> since.put(device, live.since()));
            g.replyTo().tell(new OnlineDevices(since));
            return this;
        }
        return Behaviors.unhandled();
    }

    /**
     * No signal is this entity's to keep: unhandled, sharding's PoisonPill (passivation, hand-off)
     * stops it. AbstractMatchingBehavior's own onSignal answers `this` to it, and a passivating
     * entity that never stops has every later message (a login's Connect) buffered by its shard
     * for ever.
     */
    @Override
    public Behavior<Command> onSignal(Signal signal) {
        return Behaviors.unhandled();
    }

    private record Live(ActorRef<SessionNotice> ref, int level, long since) {
    }

    private Behavior<Command> onConnect(Connect c) {
        Live same = sessions.get(c.device());
        if (same != null && same.ref().equals(c.session())) {
            c.session().tell(new SessionNotice.Connected()); // asked again: the answer was lost
            return this;
        }
        if (same != null) { // the device logged in again: its older session only is taken over
            getContext().unwatch(same.ref());
            same.ref().tell(new SessionNotice.Replaced());
        } else if (sessions.size() >= deps.settings().limits().maxDevices()) {
            c.session().tell(new SessionNotice.TooManyDevices(deps.settings().limits().maxDevices()));
            return this;
        }
        boolean wasOffline = sessions.isEmpty();
        sessions.put(c.device(), new Live(c.session(), c.level(), deps.clock().millis()));
        getContext().watchWith(c.session(), new SessionTerminated(c.session()));
        timers.cancel(Idle.INSTANCE);
        deps.roster().tell(new Roster.Online(user, c.session()));
        c.session().tell(new SessionNotice.Connected());
        if (wasOffline) {
            announce(new ServerFrame.UserStatus(user, ServerFrame.ONLINE, null));
        }
        return this;
    }

    private Behavior<Command> ended(ActorRef<SessionNotice> ended) {
        String device = deviceOf(ended);
        if (device == null) {
            return this; // an older session, already replaced
        }
        getContext().unwatch(ended);
        sessions.remove(device);
        allDevicesOnline = false; // this device's receipts wait for it from now on
        for (String to : List.copyOf(typingTo)) {
            if (sessions.isEmpty() || device.equals(typingFrom.get(to))) { // typing ends with the device that refreshed it
                stopTyping(to);
            }
        }
        if (!sessions.isEmpty()) {
            deps.roster().tell(new Roster.Online(user, sessions.values().iterator().next().ref()));
            return this; // online while any device is
        }
        long now = deps.clock().millis();
        deps.store().lastSeen(user, now);
        deps.roster().tell(new Roster.Offline(user, now));
        announce(new ServerFrame.UserStatus(user, ServerFrame.OFFLINE, now));
        timers.startSingleTimer(Idle.INSTANCE, Idle.INSTANCE, IDLE);
        return this;
    }

    private String deviceOf(ActorRef<SessionNotice> ref) {
        for (Map.Entry<String, Live> e : sessions.entrySet()) {
            if (e.getValue().ref().equals(ref)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * To each device but the one it came from. What levels 1 and 2 never see — a group's messages
     * and events, copies of what the user sent from elsewhere — waits for the level 3 devices.
     */
    private Behavior<Command> onDeliver(Deliver d) {
        ServerFrame.Delivery delivery = d.delivery();
        boolean levelThreeOnly = delivery.level3() || (delivery instanceof ServerFrame.Message m
                && user.equals(m.sender()) && !user.equals(m.receiver()));
        sessions.forEach((device, live) -> {
            if (!device.equals(d.exceptDevice()) && (live.level() >= 3 || !levelThreeOnly)) {
                live.ref().tell(new SessionNotice.Deliver(delivery));
            }
        });
        return this;
    }

    private Behavior<Command> onNotify(Notify n) {
        if (n.frame() instanceof ServerFrame.Receipt receipt) {
            // Each known device offline finds it at its next login (which devices are known, the
            // store knows); each online device gets it live (a level 1 connection has no receipts
            // to show: being online, it is not kept for it either). Kept first, so that a device
            // logging in after another had it live reads it from the store.
            if (!allDevicesOnline) {
                deps.store().keepReceipt(user, receipt, Set.copyOf(sessions.keySet()));
            }
            int minLevel = receipt.level3() ? 3 : 2;
            for (Live live : sessions.values()) {
                if (live.level() >= minLevel) {
                    live.ref().tell(new SessionNotice.Push(receipt, false));
                }
            }
        } else {
            sessions.forEach((device, live) -> {
                if (!device.equals(n.exceptDevice())) {
                    live.ref().tell(new SessionNotice.Push(n.frame(), true));
                }
            });
        }
        return this;
    }

    private Behavior<Command> onRevokeDevice(RevokeDevice r) {
        Live live = sessions.get(r.device());
        if (live != null) {
            live.ref().tell(new SessionNotice.Revoked());
        }
        return this;
    }

    private Behavior<Command> onContactChanged(ContactChanged c) {
        if (loadingWatchers) {
            changedWhileLoading.add(c); // the read in flight may predate this change
        } else if (watchers != null) {
            if (c.listed()) {
                watchers.add(c.peer());
            } else {
                watchers = null; // the other side may still list this user: ask the store again when needed
            }
        }
        return this;
    }

    private Behavior<Command> onTyping(StartTyping t) {
        String to = t.to();
        if (to.equals(user) || (!typingTo.contains(to) && typingTo.size() >= deps.settings().maxTypingTargets())) {
            return this;
        }
        typingFrom.put(to, t.device());
        if (typingTo.add(to)) { // only transitions are forwarded: a refresh notifies nobody
            deps.presence().apply(to).tell(new Notify(new ServerFrame.TypingNotification(user,
                    ServerFrame.TypingNotification.TYPING)));
        }
        lastTypedTo = to;
        timers.startSingleTimer(to, new TypingExpired(to), deps.settings().typingTtl());
        return this;
    }

    private Behavior<Command> stopTyping(String to) {
        if (to != null && typingTo.remove(to)) {
            typingFrom.remove(to);
            timers.cancel(to);
            deps.presence().apply(to).tell(new Notify(new ServerFrame.TypingNotification(user,
                    ServerFrame.TypingNotification.STOPPED)));
        }
        return this;
    }

    /** Tells the user's contacts (or, with scope `all`, everyone online) that it came or went. */
    private void announce(ServerFrame.UserStatus status) {
        if (deps.settings().presenceToAll()) {
            deps.roster().tell(new Roster.Broadcast(status, user));
            return;
        }
        if (watchers != null) {
            for (String w : watchers) {
                deps.presence().apply(w).tell(new Notify(status));
            }
            return;
        }
        unannounced.add(status);
        if (!loadingWatchers) {
            loadingWatchers = true;
            getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> deps.queries().watchers(user), deps.pools().reader()),
                    (loaded, error) -> error != null ? new WatchersFailed(error) : new WatchersLoaded(loaded));
        }
    }

    private Behavior<Command> onWatchersLoaded(WatchersLoaded w) {
        loadingWatchers = false;
        watchers = new LinkedHashSet<>(w.watchers());
        List<ContactChanged> changes = List.copyOf(changedWhileLoading);
        changedWhileLoading.clear();
        changes.forEach(this::onContactChanged);
        List<ServerFrame.UserStatus> pending = List.copyOf(unannounced);
        unannounced.clear();
        pending.forEach(this::announce);
        return this;
    }

    private Behavior<Command> onWatchersFailed(WatchersFailed f) {
        loadingWatchers = false;
        changedWhileLoading.clear();
        getContext().getLog().warn("contacts of [{}] could not be read; {} presence changes not announced: {}",
                user, unannounced.size(), f.error().getMessage());
        unannounced.clear();
        return this;
    }

    private Behavior<Command> onIdle() {
        if (!sessions.isEmpty()) {
            return this; // back online: the timer was cancelled, this one was already on its way
        }
        if (typingTo.isEmpty() && !loadingWatchers) {
            passivate.accept(getContext().getSelf());
        } else {
            timers.startSingleTimer(Idle.INSTANCE, Idle.INSTANCE, IDLE); // still busy: ask again later
        }
        return this;
    }
}
