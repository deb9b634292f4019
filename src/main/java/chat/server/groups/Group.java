package chat.server.groups;

import chat.protocol.ErrorCode;
import chat.protocol.ServerFrame;
import chat.server.CborSerializable;
import chat.server.mailbox.Mailbox;
import chat.server.store.GroupQueries;
import chat.server.store.Write;
import chat.server.store.Written;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.AbstractMatchingBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One group, a Cluster Sharding entity keyed by group_id: the one place that owns its membership.
 * Loaded from the store once, then kept here: a message is checked against it and fanned out to
 * the members of the moment it was accepted without reading them again.
 *
 * Every write goes through the group's own Mailbox partition, in the order this actor sends it, so
 * the group's msg_ids follow that order. Messages are pipelined (many in flight); a membership
 * change is not: while one is being committed everything else waits in the stash, so a member
 * removed before message N never receives N and one added after it never sees it.
 *
 * Aggregated receipts are kept here too: who of a message's audience still lacks it on every
 * device, who has read up to where. Delivery progress reaches the store once a second
 * ({@link Write.GroupProgress}), not per ack.
 */
public final class Group extends AbstractMatchingBehavior<Group.Command> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "group");

    private static final Duration IDLE = Duration.ofMinutes(2);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    /** Messages whose receipts are still followed; older ones answer group_receipts from the members' positions only. */
    private static final int RECENT = 10_000;
    private static final int STASH = 10_000;

    public sealed interface Command extends CborSerializable {
    }

    /** create_group: `members` folded, deduplicated, without the creator, validated by the session. */
    public record Create(String creator, String name, List<String> members, String clientId, ActorRef<Reply> replyTo)
            implements Command {
        public Create {
            members = List.copyOf(members);
        }
    }

    /** group_update (lists folded; null: not in the frame). */
    public record Update(String actor, List<String> add, List<String> remove, List<String> admins, String name,
                         ActorRef<Reply> replyTo) implements Command {
    }

    public record Leave(String actor, ActorRef<Reply> replyTo) implements Command {
    }

    public record Send(String sender, String device, String clientId, String content, ActorRef<Mailbox.SendOutcome> replyTo)
            implements Command {
    }

    /** typing (true) or stop_typing (false) by a member. */
    public record Typing(String user, boolean typing) implements Command {
    }

    public record Read(String reader, String device, long upTo) implements Command {
    }

    /** A device of `user` acked these messages of the group. */
    public record Delivered(String user, List<Long> msgIds) implements Command {
        public Delivered {
            msgIds = List.copyOf(msgIds);
        }
    }

    public record Receipts(String user, long msgId, ActorRef<Reply> replyTo) implements Command {
    }

    /** The answer for the acting connection; `frame` null: nothing to send it (its devices got the news). */
    public record Reply(ServerFrame frame) implements CborSerializable {
    }

    private record Loaded(GroupQueries.GroupRecord record) implements Command {
    }

    private record LoadFailed(Throwable error) implements Command {
    }

    private record Committed(Object op, Written outcome) implements Command {
    }

    private record TypingExpired(String user) implements Command {
    }

    private record SenderFound(long msgId, String sender, Receipts ask) implements Command {
    }

    private enum Tick implements Command {
        PROGRESS, IDLE
    }

    public static void initSharding(ActorContext<?> ctx, GroupServices services) {
        ClusterSharding.get(ctx.getSystem()).init(Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(),
                self -> entity.getShard().tell(new ClusterSharding.Passivate<>(self)), services)));
    }

    public static Behavior<Command> create(String groupId, Consumer<ActorRef<Command>> passivate, GroupServices services) {
        return Behaviors.withStash(STASH, stash -> Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new Group(ctx, timers, stash, groupId, passivate, services))));
    }

    /** A member now; its delivered and read positions in the group. */
    private static final class Member {
        boolean admin;
        final long joinedAt;
        final int seq;
        long delivered;
        long read;
        boolean level3;

        Member(boolean admin, long joinedAt, int seq, long delivered, long read, boolean level3) {
            this.admin = admin;
            this.joinedAt = joinedAt;
            this.seq = seq;
            this.delivered = delivered;
            this.read = read;
            this.level3 = level3;
        }
    }

    /** A message whose aggregated receipts are still to come. */
    private static final class Sent {
        final String sender;
        final String clientId;
        final Set<String> audience; // the other members of the moment with a level 3 device
        final Set<String> lacking;
        boolean read;

        Sent(String sender, String clientId, Set<String> audience) {
            this.sender = sender;
            this.clientId = clientId;
            this.audience = audience;
            this.lacking = new HashSet<>(audience);
        }
    }

    private record Change(String actor, List<Write.GroupEdit> edits, Set<String> before, ActorRef<Reply> replyTo) {
    }

    private record Sending(Send send) {
    }

    private record Marking(Read read) {
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final StashBuffer<Command> stash;
    private final String groupId;
    private final Consumer<ActorRef<Command>> passivate;
    private final GroupServices services;

    private boolean loaded;
    private boolean changing; // a create or membership change is being committed: the rest waits
    private GroupQueries.GroupRecord record; // null: no such group (yet)
    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private final List<GroupQueries.MemberRow> former = new ArrayList<>();
    private Set<String> snapshot = Set.of(); // the members, immutable: each message keeps the one of its moment
    private long newest;
    private final TreeMap<Long, Sent> recent = new TreeMap<>();
    private final Map<String, Long> readReceiptSent = new HashMap<>();
    private final Map<String, Long> progress = new HashMap<>();
    private final Map<String, Set<String>> typing = new HashMap<>(); // typist → who got its "typing"
    private int inFlight;

    private Group(ActorContext<Command> ctx, TimerScheduler<Command> timers, StashBuffer<Command> stash, String groupId,
                  Consumer<ActorRef<Command>> passivate, GroupServices services) {
        super(ctx);
        this.ctx = ctx;
        this.timers = timers;
        this.stash = stash;
        this.groupId = groupId;
        this.passivate = passivate;
        this.services = services;
        load();
        timers.startTimerWithFixedDelay(Tick.IDLE, Tick.IDLE, IDLE);
    }

    private void load() {
        ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> services.queries().load(groupId), services.pools().reader()),
                (r, error) -> error != null ? new LoadFailed(error) : new Loaded(r));
    }

    @Override
    public Behavior<Command> onMessage(Command c) {
        if (c instanceof Loaded l) {
            return onLoaded(l.record());
        } else if (c instanceof LoadFailed f) {
            if (f.error() == null) {
                load(); // the retry
            } else {
                ctx.getLog().warn("group [{}] could not be loaded: {}", groupId, f.error().getMessage());
                timers.startSingleTimer("reload", new LoadFailed(null), Duration.ofSeconds(1));
            }
            return this;
        } else if (c instanceof Fanned f) {
            return onFanned(f);
        } else if (c instanceof Committed done) {
            return onCommitted(done);
        } else if (c instanceof SenderFound f) {
            answerReceipts(f.ask(), f.sender());
            return this;
        } else if (c == Tick.PROGRESS) {
            flushProgress();
            return this;
        } else if (c == Tick.IDLE) {
            if (loaded && !changing && inFlight == 0 && progress.isEmpty() && typing.isEmpty()) {
                passivate.accept(ctx.getSelf());
            }
            return this;
        } else if (c instanceof TypingExpired t) {
            stopTyping(t.user());
            return this;
        }
        if (!loaded || changing) {
            if (stash.isFull()) {
                refuse(c, ErrorCode.RATE_LIMITED, "the group is busy; try again");
            } else {
                stash.stash(c);
            }
            return this;
        }
        if (c instanceof Create create) {
            return onCreate(create);
        }
        if (record == null) {
            refuse(c, ErrorCode.UNKNOWN_GROUP, "there is no group '" + groupId + "'");
            return this;
        }
        if (c instanceof Send s) {
            return onSend(s);
        } else if (c instanceof Update u) {
            return onUpdate(u);
        } else if (c instanceof Leave l) {
            return onLeave(l);
        } else if (c instanceof Typing t) {
            return onTyping(t);
        } else if (c instanceof Read r) {
            return onRead(r);
        } else if (c instanceof Delivered d) {
            return onDelivered(d);
        } else if (c instanceof Receipts r) {
            return onReceipts(r);
        }
        return Behaviors.unhandled();
    }

    /**
     * No signal is this entity's to keep: unhandled, sharding's PoisonPill (passivation, hand-off)
     * stops it. AbstractMatchingBehavior's own onSignal answers `this` to it, and a passivating
     * entity that never stops has every later message (a member's next one) buffered by its shard
     * for ever.
     */
    @Override
    public Behavior<Command> onSignal(Signal signal) {
        return Behaviors.unhandled();
    }

    // ---- loading --------------------------------------------------------------------------------

    private Behavior<Command> onLoaded(GroupQueries.GroupRecord r) {
        boolean first = !loaded;
        loaded = true;
        changing = false;
        adopt(r);
        return first || !stash.isEmpty() ? stash.unstashAll(this) : this;
    }

    /** The store's view, keeping the positions this actor has seen move further. */
    private void adopt(GroupQueries.GroupRecord r) {
        record = r;
        if (r == null) {
            return;
        }
        Map<String, Member> old = new HashMap<>(members);
        members.clear();
        former.clear();
        for (GroupQueries.MemberRow m : r.members()) {
            if (m.leftAt() != null) {
                former.add(m);
                continue;
            }
            Member was = old.get(m.username());
            members.put(m.username(), new Member(m.admin(), m.joinedAt(), m.seq(),
                    Math.max(m.deliveredUpTo(), was == null ? 0 : was.delivered),
                    Math.max(m.readUpTo(), was == null ? 0 : was.read), m.level3() || (was != null && was.level3)));
        }
        snapshot = Set.copyOf(members.keySet());
        newest = Math.max(newest, r.newest());
    }

    // ---- membership -----------------------------------------------------------------------------

    private Behavior<Command> onCreate(Create c) {
        if (record != null) { // a resend of an accepted create_group: the same group, nothing made
            c.replyTo().tell(new Reply(GroupQueries.frame(record)));
            return this;
        }
        // the session checked these too; the owner keeps its invariants whoever asks
        Set<String> others = new LinkedHashSet<>(c.members());
        others.remove(c.creator());
        int max = services.settings().limits().maxGroupMembers();
        if (others.size() + 1 > max) {
            c.replyTo().tell(new Reply(error(ErrorCode.TOO_MANY_MEMBERS, "a group has at most " + max + " members", "create_group")));
            return this;
        }
        commitChange(new Write.CreateGroup(groupId, c.name(), c.creator(), c.clientId(), List.copyOf(others)),
                new Change(c.creator(), List.of(), Set.of(), c.replyTo()));
        return this;
    }

    private Behavior<Command> onUpdate(Update u) {
        Member actor = members.get(u.actor());
        if (actor == null) {
            u.replyTo().tell(new Reply(error(ErrorCode.NOT_A_MEMBER, "you are not a member of this group", "group_update")));
            return this;
        }
        if (!actor.admin) {
            u.replyTo().tell(new Reply(error(ErrorCode.FORBIDDEN, "only the group's admins may change it", "group_update")));
            return this;
        }
        List<Write.GroupEdit> edits = new ArrayList<>();
        if (u.name() != null && !u.name().equals(record.name())) {
            edits.add(new Write.Renamed(u.name()));
        }
        Set<String> after = new LinkedHashSet<>(members.keySet());
        List<String> added = new ArrayList<>();
        for (String a : u.add() == null ? List.<String>of() : u.add()) {
            if (after.add(a)) {
                added.add(a);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String r : u.remove() == null ? List.<String>of() : u.remove()) {
            if (members.containsKey(r) && !added.contains(r) && after.remove(r)) {
                removed.add(r);
            }
        }
        int max = services.settings().limits().maxGroupMembers();
        if (after.size() > max) {
            u.replyTo().tell(new Reply(error(ErrorCode.TOO_MANY_MEMBERS, "a group has at most " + max + " members", "group_update")));
            return this;
        }
        if (!added.isEmpty()) {
            edits.add(new Write.Added(added));
        }
        if (!removed.isEmpty()) {
            edits.add(new Write.Removed(removed, false));
        }
        Set<String> admins = new LinkedHashSet<>();
        members.forEach((name, m) -> {
            if (m.admin && after.contains(name)) {
                admins.add(name);
            }
        });
        if (u.admins() != null) {
            Set<String> wanted = new LinkedHashSet<>();
            for (String a : u.admins()) {
                if (after.contains(a)) {
                    wanted.add(a);
                }
            }
            if (wanted.isEmpty() && !after.isEmpty()) {
                u.replyTo().tell(new Reply(error(ErrorCode.BAD_FRAME, "a group keeps at least one admin among its members",
                        "group_update")));
                return this;
            }
            if (!wanted.equals(admins)) {
                edits.add(new Write.Admins(List.copyOf(wanted)));
            }
        } else if (admins.isEmpty() && !after.isEmpty()) {
            edits.add(new Write.Admins(List.of(successor(after))));
        }
        if (edits.isEmpty()) {
            u.replyTo().tell(new Reply(GroupQueries.frame(record))); // nothing changed: the group as it is
            return this;
        }
        commitChange(new Write.ChangeGroup(groupId, u.actor(), edits), new Change(u.actor(), edits, snapshot, u.replyTo()));
        return this;
    }

    private Behavior<Command> onLeave(Leave l) {
        Member leaver = members.get(l.actor());
        if (leaver == null) {
            l.replyTo().tell(new Reply(error(ErrorCode.NOT_A_MEMBER, "you are not a member of this group", "leave_group")));
            return this;
        }
        List<Write.GroupEdit> edits = new ArrayList<>();
        edits.add(new Write.Removed(List.of(l.actor()), true));
        Set<String> after = new LinkedHashSet<>(members.keySet());
        after.remove(l.actor());
        boolean adminLeft = after.stream().noneMatch(name -> members.get(name).admin);
        if (adminLeft && !after.isEmpty()) {
            edits.add(new Write.Admins(List.of(successor(after)))); // the longest-standing member takes over
        }
        commitChange(new Write.ChangeGroup(groupId, l.actor(), edits), new Change(l.actor(), edits, snapshot, l.replyTo()));
        return this;
    }

    /** The member who joined first (ties: its place in the list that added it). */
    private String successor(Set<String> among) {
        String best = null;
        for (String name : among) {
            Member m = members.get(name);
            if (m == null) {
                continue; // added in this same change: not longer-standing than anyone already in
            }
            Member b = best == null ? null : members.get(best);
            if (b == null || m.joinedAt < b.joinedAt || (m.joinedAt == b.joinedAt && m.seq < b.seq)) {
                best = name;
            }
        }
        return best != null ? best : among.iterator().next();
    }

    private void commitChange(Write write, Change change) {
        changing = true;
        ask(write, change);
    }

    private void onChangeCommitted(Change change, Written outcome) {
        if (outcome instanceof Written.Refused r) {
            changing = false;
            change.replyTo().tell(new Reply(new ServerFrame.Error(r.code(), r.reason(),
                    change.edits().isEmpty() && change.before().isEmpty() ? "create_group" : "group_update")));
            stash.unstashAll(this);
            return;
        }
        Written.GroupChanged changed = (Written.GroupChanged) outcome;
        // the store's membership is the truth: read it back (with the new members' devices), then go on
        CompletableFuture<GroupQueries.GroupRecord> reread = CompletableFuture.supplyAsync(
                () -> services.queries().load(groupId), services.pools().reader());
        ctx.pipeToSelf(reread, (r, error) -> {
            if (error != null) {
                return new LoadFailed(error);
            }
            return new Fanned(change, changed, r);
        });
    }

    /** A committed change, with the group as the store now has it: tell everyone concerned. */
    private record Fanned(Change change, Written.GroupChanged changed, GroupQueries.GroupRecord record) implements Command {
    }

    private Behavior<Command> onFanned(Fanned f) {
        adopt(f.record());
        changing = false;
        if (record == null) {
            f.change().replyTo().tell(new Reply(error(ErrorCode.INTERNAL, "the group could not be read back", "create_group")));
            return stash.unstashAll(this);
        }
        ServerFrame.Group frame = GroupQueries.frame(record);
        if (f.changed().existed()) {
            f.change().replyTo().tell(new Reply(frame));
            return stash.unstashAll(this);
        }
        Set<String> audience = new LinkedHashSet<>(f.change().before());
        audience.addAll(members.keySet());
        for (String user : audience) {
            services.presence().apply(user).tell(new chat.server.presence.Presence.Notify(frame));
        }
        // each event to those in the group at it: an added user from its "added" on, a removed one up to its "removed"
        Set<String> at = new LinkedHashSet<>(f.change().before());
        for (ServerFrame.GroupEvent e : f.changed().events()) {
            newest = Math.max(newest, e.msgId());
            if (ServerFrame.GroupEvent.CREATED.equals(e.event()) || ServerFrame.GroupEvent.ADDED.equals(e.event())) {
                at.addAll(e.users());
            }
            for (String user : at) {
                services.presence().apply(user).tell(new chat.server.presence.Presence.Deliver(e));
            }
            if (ServerFrame.GroupEvent.REMOVED.equals(e.event()) || ServerFrame.GroupEvent.LEFT.equals(e.event())) {
                e.users().forEach(at::remove);
                e.users().forEach(this::stopTyping);
            }
        }
        f.change().replyTo().tell(new Reply(null)); // the acting device got the group frame like every member's
        return stash.unstashAll(this);
    }

    // ---- messages -------------------------------------------------------------------------------

    private Behavior<Command> onSend(Send s) {
        if (!members.containsKey(s.sender())) {
            s.replyTo().tell(new Mailbox.Refused(ServerFrame.MessageError.forGroup(groupId, "you are not a member of this group",
                    s.clientId(), ErrorCode.NOT_A_MEMBER)));
            return this;
        }
        stopTyping(s.sender());
        ask(new Write.GroupSend(groupId, s.sender(), s.device(), s.clientId(), s.content()), new Sending(s));
        return this;
    }

    private void onSent(Send s, Written outcome, Set<String> audienceOfTheMoment) {
        if (outcome instanceof Written.Refused r) {
            s.replyTo().tell(new Mailbox.Refused(new ServerFrame.MessageError(null, r.reason(), s.clientId(), r.code(), groupId)));
            return;
        }
        Written.Accepted a = (Written.Accepted) outcome;
        ServerFrame.Message m = a.message();
        s.replyTo().tell(new Mailbox.Stored(new ServerFrame.MessageAck(m.id(), m.msgId(), null, m.ts(), m.timestamp(), groupId)));
        if (a.duplicate()) {
            return;
        }
        newest = Math.max(newest, m.msgId());
        ServerFrame.Message delivered = m.groupId() != null ? m
                : new ServerFrame.Message(m.msgId(), m.id(), m.sender(), null, m.content(), m.timestamp(), m.ts(), null, groupId);
        for (String user : audienceOfTheMoment) {
            services.presence().apply(user).tell(new chat.server.presence.Presence.Deliver(delivered,
                    user.equals(s.sender()) ? s.device() : null));
        }
        Set<String> waited = new HashSet<>();
        for (String user : audienceOfTheMoment) {
            Member member = members.get(user);
            if (!user.equals(s.sender()) && member != null && member.level3) {
                waited.add(user);
            }
        }
        Sent sent = new Sent(s.sender(), m.id(), waited);
        recent.put(m.msgId(), sent);
        while (recent.size() > RECENT) {
            recent.pollFirstEntry();
        }
        if (waited.isEmpty()) {
            deliveredReceipt(m.msgId(), sent);
        }
    }

    // ---- receipts -------------------------------------------------------------------------------

    private Behavior<Command> onDelivered(Delivered d) {
        Member member = members.get(d.user());
        if (member == null) {
            return this;
        }
        member.level3 = true; // acks come from level 3 devices only
        for (long id : d.msgIds()) {
            if (id > member.delivered) {
                member.delivered = id;
                progress.put(d.user(), id);
            }
            Sent sent = recent.get(id);
            if (sent != null && sent.lacking.remove(d.user()) && sent.lacking.isEmpty()) {
                deliveredReceipt(id, sent);
            }
        }
        if (!progress.isEmpty() && !timers.isTimerActive(Tick.PROGRESS)) {
            timers.startSingleTimer(Tick.PROGRESS, Tick.PROGRESS, PROGRESS_EVERY);
        }
        return this;
    }

    private void deliveredReceipt(long msgId, Sent sent) {
        services.presence().apply(sent.sender).tell(new chat.server.presence.Presence.Notify(ServerFrame.Receipt.forGroup(
                groupId, msgId, sent.clientId, ServerFrame.Receipt.DELIVERED, null, services.clock().millis())));
        prune();
    }

    private void flushProgress() {
        if (progress.isEmpty()) {
            return;
        }
        Map<String, Long> moved = Map.copyOf(progress);
        progress.clear();
        ask(new Write.GroupProgress(groupId, moved), "progress");
    }

    private Behavior<Command> onRead(Read r) {
        Member member = members.get(r.reader());
        long upTo = Math.min(r.upTo(), newest);
        if (member == null || upTo <= member.read) {
            return this;
        }
        member.read = upTo;
        member.level3 = member.level3 || r.device() != null;
        ask(new Write.MarkGroupRead(r.reader(), groupId, upTo), new Marking(r));
        // read implies delivered
        List<Long> have = new ArrayList<>(recent.headMap(upTo, true).keySet());
        onDelivered(new Delivered(r.reader(), have.isEmpty() ? List.of() : List.of(have.get(have.size() - 1))));
        for (long id : have) {
            Sent sent = recent.get(id);
            if (sent != null && sent.lacking.remove(r.reader()) && sent.lacking.isEmpty()) {
                deliveredReceipt(id, sent);
            }
        }
        readReceipts();
        return this;
    }

    /** Each sender hears, once per step, the highest of its messages every one of its audience has read. */
    private void readReceipts() {
        Map<String, Long> readUpTo = new HashMap<>();
        for (Map.Entry<Long, Sent> e : recent.entrySet()) {
            Sent sent = e.getValue();
            if (sent.read) {
                continue;
            }
            boolean all = true;
            for (String user : sent.audience) {
                Member m = members.get(user);
                if (m != null && m.read < e.getKey()) { // one who left since is not waited for
                    all = false;
                    break;
                }
            }
            if (all) {
                sent.read = true;
                readUpTo.merge(sent.sender, e.getKey(), Math::max);
            }
        }
        long now = services.clock().millis();
        readUpTo.forEach((sender, upTo) -> {
            if (upTo > readReceiptSent.getOrDefault(sender, 0L)) {
                readReceiptSent.put(sender, upTo);
                services.presence().apply(sender).tell(new chat.server.presence.Presence.Notify(ServerFrame.Receipt.forGroup(
                        groupId, null, null, ServerFrame.Receipt.READ, upTo, now)));
            }
        });
        prune();
    }

    /** Messages whose receipts have all been sent are no longer followed. */
    private void prune() {
        while (!recent.isEmpty()) {
            Sent first = recent.firstEntry().getValue();
            if (!first.read || !first.lacking.isEmpty()) {
                return;
            }
            recent.pollFirstEntry();
        }
    }

    private Behavior<Command> onReceipts(Receipts r) {
        boolean ever = members.containsKey(r.user()) || former.stream().anyMatch(m -> m.username().equals(r.user()));
        if (!ever) {
            r.replyTo().tell(new Reply(error(ErrorCode.NOT_A_MEMBER, "you are not a member of this group", "group_receipts")));
            return this;
        }
        Sent sent = recent.get(r.msgId());
        if (sent != null) {
            answerReceipts(r, sent.sender);
            return this;
        }
        ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> services.queries().sender(r.msgId()), services.pools().reader()),
                (sender, error) -> new SenderFound(r.msgId(), error != null ? null : sender, r));
        return this;
    }

    /** delivered/read of one message among those of its moment with a level 3 device, the sender left out. */
    private void answerReceipts(Receipts r, String sender) {
        List<String> delivered = new ArrayList<>();
        List<String> read = new ArrayList<>();
        long id = r.msgId();
        members.forEach((user, m) -> {
            if (m.joinedAt <= id && !user.equals(sender) && m.level3) {
                if (m.delivered >= id || m.read >= id) {
                    delivered.add(user);
                }
                if (m.read >= id) {
                    read.add(user);
                }
            }
        });
        for (GroupQueries.MemberRow m : former) {
            if (m.joinedAt() <= id && m.leftAt() >= id && !m.username().equals(sender) && m.level3()
                    && !members.containsKey(m.username())) {
                if (m.deliveredUpTo() >= id || m.readUpTo() >= id) {
                    delivered.add(m.username());
                }
                if (m.readUpTo() >= id) {
                    read.add(m.username());
                }
            }
        }
        r.replyTo().tell(new Reply(new ServerFrame.GroupReceiptsResponse(groupId, id, delivered, read)));
    }

    // ---- typing ---------------------------------------------------------------------------------

    private Behavior<Command> onTyping(Typing t) {
        if (!members.containsKey(t.user())) {
            return this;
        }
        if (!t.typing()) {
            stopTyping(t.user());
            return this;
        }
        if (!typing.containsKey(t.user())) { // only transitions are forwarded: a refresh notifies nobody
            Set<String> told = new HashSet<>();
            for (String user : members.keySet()) {
                if (!user.equals(t.user())) {
                    told.add(user);
                    services.presence().apply(user).tell(new chat.server.presence.Presence.Notify(
                            new ServerFrame.TypingNotification(t.user(), ServerFrame.TypingNotification.TYPING, groupId)));
                }
            }
            typing.put(t.user(), told);
        }
        timers.startSingleTimer("typing-" + t.user(), new TypingExpired(t.user()), services.settings().typingTtl());
        return this;
    }

    /** `stopped` goes only to those who got `typing`. */
    private void stopTyping(String user) {
        Set<String> told = typing.remove(user);
        if (told == null) {
            return;
        }
        timers.cancel("typing-" + user);
        for (String u : told) {
            services.presence().apply(u).tell(new chat.server.presence.Presence.Notify(
                    new ServerFrame.TypingNotification(user, ServerFrame.TypingNotification.STOPPED, groupId)));
        }
    }

    // ---- writes ---------------------------------------------------------------------------------

    /** A write through the group's partition; the outcome comes back as {@link Committed} with `op`. */
    private void ask(Write write, Object op) {
        inFlight++;
        Set<String> audience = snapshot;
        Object tagged = op instanceof Sending s ? new SendingTo(s.send(), audience) : op;
        ctx.pipeToSelf(AskPattern.<Mailbox.Command, Written>ask(services.mailboxes().of(groupId),
                        replyTo -> new Mailbox.Apply(write, replyTo), ASK_TIMEOUT, ctx.getSystem().scheduler()),
                (outcome, error) -> new Committed(tagged, error != null
                        ? new Written.Refused(ErrorCode.STORE_UNAVAILABLE.wire(), "it could not be stored; try again")
                        : outcome));
    }

    private record SendingTo(Send send, Set<String> audience) {
    }

    private Behavior<Command> onCommitted(Committed c) {
        inFlight--;
        if (c.op() instanceof SendingTo s) {
            onSent(s.send(), c.outcome(), s.audience());
        } else if (c.op() instanceof Change change) {
            onChangeCommitted(change, c.outcome());
        } else if (c.op() instanceof Marking m && c.outcome() instanceof Written.Read read && read.advanced()) {
            services.presence().apply(m.read().reader()).tell(new chat.server.presence.Presence.Notify(
                    new ServerFrame.ReadMarker(null, groupId, read.upTo()), m.read().device()));
        }
        return this;
    }

    private void refuse(Command c, ErrorCode code, String reason) {
        if (c instanceof Send s) {
            s.replyTo().tell(new Mailbox.Refused(ServerFrame.MessageError.forGroup(groupId, reason, s.clientId(), code)));
        } else if (c instanceof Create x) {
            x.replyTo().tell(new Reply(error(code, reason, "create_group")));
        } else if (c instanceof Update x) {
            x.replyTo().tell(new Reply(error(code, reason, "group_update")));
        } else if (c instanceof Leave x) {
            x.replyTo().tell(new Reply(error(code, reason, "leave_group")));
        } else if (c instanceof Receipts x) {
            x.replyTo().tell(new Reply(error(code, reason, "group_receipts")));
        }
        // typing, reads and acks of a group that does not exist change nothing
    }

    private static ServerFrame.Error error(ErrorCode code, String reason, String ref) {
        return new ServerFrame.Error(code, reason, ref);
    }
}
