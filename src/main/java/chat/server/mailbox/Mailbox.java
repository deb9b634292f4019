package chat.server.mailbox;

import chat.protocol.DeviceIds;
import chat.protocol.ErrorCode;
import chat.server.CborSerializable;
import chat.protocol.ServerFrame;
import chat.server.WorkPools;
import chat.server.ops.Metrics;
import chat.server.presence.Presence;
import chat.server.store.MessageQueries;
import chat.server.store.BatchWriter;
import chat.server.store.DefaultDeviceReplay;
import chat.server.store.DeviceStream;
import chat.server.store.Write;
import chat.server.store.Written;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistence actor. Every change to the store comes here and leaves in a group commit: while
 * one batch is being committed on the store-writer thread, the next one gathers, so under load many
 * messages share one fsync and at rest a message waits for none. Only after its batch is durable is
 * a message acknowledged to its sender and handed to the receiver's Presence: an ack is a promise.
 *
 * Reads that must see earlier writes (the pending messages and receipts replayed at login) wait for
 * every write enqueued before them to commit.
 */
public final class Mailbox extends AbstractBehavior<Mailbox.Command> {

    public sealed interface Command extends CborSerializable {
    }

    /**
     * A message from `sender` (already authenticated and folded) to `receiver`, sent from
     * `senderDevice` (null: levels 1 and 2, the device `default`); the sender's other level 3
     * devices get a copy.
     */
    public record Send(String sender, String receiver, String clientId, String content, String senderDevice,
                       ActorRef<SendOutcome> replyTo) implements Command {
        public Send(String sender, String receiver, String clientId, String content, ActorRef<SendOutcome> replyTo) {
            this(sender, receiver, clientId, content, null, replyTo);
        }
    }

    /**
     * The receiver has these messages: level 2 acked them, or level 1 had them written to its socket.
     * `replyTo` (may be null) hears once the marks are committed or have failed: a session counts
     * its marks in flight and stops reading a client that acks faster than the store keeps up.
     */
    public record MarkDelivered(String receiver, List<Long> msgIds, ActorRef<Done> replyTo) implements Command {
        public MarkDelivered {
            msgIds = List.copyOf(msgIds);
        }

        public MarkDelivered(String receiver, List<Long> msgIds) {
            this(receiver, msgIds, null);
        }
    }

    /**
     * A level 1 connection broke: these messages, counted as delivered when they were written, may
     * never have reached the client. They become pending again.
     */
    public record MarkPending(String receiver, List<Long> msgIds) implements Command {
        public MarkPending {
            msgIds = List.copyOf(msgIds);
        }
    }

    /** `device`: where the read happened; the reader's other devices get a read_marker. */
    public record MarkRead(String reader, String peer, long upTo, String device) implements Command {
        public MarkRead(String reader, String peer, long upTo) {
            this(reader, peer, upTo, null);
        }
    }

    /**
     * A write that another owner decides (a group's: its messages, membership and marks), committed
     * in this partition's order and answered with its outcome; a failed commit answers
     * store_unavailable. The owner does the fan-out: this actor does not know groups.
     */
    public record Apply(Write write, ActorRef<Written> replyTo) implements Command {
    }

    /**
     * A level 3 device's durable position in its stream (see {@link Write.DevicePosition}).
     * `deferrable`: the session's periodic store (heartbeat, every few hundred acks), which may wait
     * up to {@link #DEFERRED_WRITE_DELAY} for a commit to share; a session's last one does not.
     */
    public record MovePosition(String user, String device, long upTo, long lastSeen, boolean deferrable)
            implements Command {
        public MovePosition(String user, String device, long upTo, long lastSeen) {
            this(user, device, upTo, lastSeen, false);
        }
    }

    /** A page of a level 3 device's stream (see {@link chat.server.store.DeviceStream}). */
    public record FetchStream(String user, String device, long afterMsgId, int limit, int maxBehind,
                              ActorRef<StreamPage> replyTo) implements Command {
    }

    /** The answer to {@link FetchStream}; `failed`: the store could not be read. */
    public record StreamPage(long after, List<ServerFrame.Delivery> deliveries, long next, boolean more, boolean truncated,
                             boolean failed) implements CborSerializable {
        public StreamPage {
            deliveries = List.copyOf(deliveries);
        }
    }

    /**
     * A receipt kept for each of the sender's devices that did not get it live (`reached`: those
     * online), for their next login. When it was kept for none, Presence hears that every device had it.
     */
    public record KeepReceipt(String user, ServerFrame.Receipt receipt, Set<String> reached) implements Command {
        public KeepReceipt {
            reached = Set.copyOf(reached);
        }
    }

    public record DropReceipts(String user, String device, long upToReceiptId) implements Command {
    }

    public record ChangeContact(String owner, String contact, boolean listed, int maxContacts,
                                ActorRef<ContactOutcome> replyTo) implements Command {
    }

    public record RecordLastSeen(String user, long ts) implements Command {
    }

    public record FetchPending(String user, long afterMsgId, int limit, ActorRef<PendingPage> replyTo) implements Command {
    }

    public record FetchReceipts(String user, String device, long afterReceiptId, int limit, ActorRef<ReceiptPage> replyTo)
            implements Command {
    }

    /**
     * Replies once everything enqueued before it is committed: shutdown waits on it, and a session
     * asks it before a query so that the answer includes the session's own writes.
     */
    public record Flush(ActorRef<Done> replyTo) implements Command {
    }

    /** Cluster Sharding's stop message: commit what is enqueued, then stop. */
    public enum HandOff implements Command {
        INSTANCE
    }

    public sealed interface SendOutcome extends CborSerializable {
    }

    public record Stored(ServerFrame.MessageAck ack) implements SendOutcome {
    }

    public record Refused(ServerFrame.MessageError error) implements SendOutcome {
    }

    /** The page after msg_id `after`; `failed`: the store could not be read, `messages` is then empty. */
    public record PendingPage(long after, List<ServerFrame.Delivery> messages, boolean failed) implements CborSerializable {
    }

    /** The answer to {@link ChangeContact}. */
    public sealed interface ContactOutcome extends CborSerializable {
    }

    /** `changed`: the contact list changed (adding a listed contact again changes nothing). */
    public record ContactChanged(boolean changed) implements ContactOutcome {
    }

    /** Nothing changed; `code` is the error frame's code (unknown_user, too_many_contacts, store_unavailable). */
    public record ContactRefused(String code, String reason) implements ContactOutcome {
    }

    /** A receipt kept for a user who was offline, with its place in the user's kept receipts. */
    public record KeptReceipt(long receiptId, ServerFrame.Receipt receipt) implements CborSerializable {
    }

    public record ReceiptPage(long after, List<KeptReceipt> receipts, boolean failed)
            implements CborSerializable {
    }

    private record Queued(Command command, Write write) {
    }

    private record Committed(List<Queued> batch, List<Written> outcomes, long nanos) implements Command {
    }

    private record CommitFailed(List<Queued> batch, Throwable error) implements Command {
    }

    /** The deferred writes have waited long enough for a commit to share: they get their own. */
    private enum WriteDeferred implements Command {
        INSTANCE
    }

    /**
     * How long a deferrable position waits for a commit to join. Members of a big group store their
     * positions on their own heartbeats, one at a time between the group's messages: each alone was a
     * commit of its own (~6 per group message in a group of 1,000 at 10 messages/s). A position only
     * spares a device replaying what it has after a crash, so it can wait; a second is small beside the
     * heartbeat that sends it.
     */
    static final Duration DEFERRED_WRITE_DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class); // for callbacks off the actor's thread

    public static Behavior<Command> create(BatchWriter writer, MessageQueries queries, WorkPools pools, int maxBatch,
                                           Function<String, RecipientRef<Presence.Command>> presence, Clock clock) {
        return create(writer, queries, null, pools, maxBatch, presence, clock);
    }

    /** `stream`: what level 3 devices replay (null where none log in, as in the store's own tests). */
    public static Behavior<Command> create(BatchWriter writer, MessageQueries queries, DeviceStream stream, WorkPools pools,
                                           int maxBatch, Function<String, RecipientRef<Presence.Command>> presence,
                                           Clock clock) {
        return Behaviors.setup(ctx -> new Mailbox(ctx, writer, queries, stream, pools, maxBatch, presence, clock));
    }

    private final BatchWriter writer;
    private final MessageQueries queries;
    private final DeviceStream stream;
    private final DefaultDeviceReplay defaultReplay;
    /** Enough for every device of the users of a partition to ack a burst of the same messages. */
    private final RecentMarks recentMarks = new RecentMarks(65_536);
    private final WorkPools pools;
    private final int maxBatch;
    private final Function<String, RecipientRef<Presence.Command>> presence;
    private final Clock clock;
    private final Metrics metrics;

    private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
    /** Deferrable writes, in order; they join `waiting` ahead of the next write, read or timer. */
    private final ArrayDeque<Queued> deferred = new ArrayDeque<>();
    private boolean deferredTimerSet;
    private boolean committing;
    private boolean stopping;
    private CompletableFuture<Committed> inFlight;
    private long enqueued;
    private long committed;
    private final List<Barrier> barriers = new ArrayList<>();

    /** A read (or flush) that may run once `committed` reaches `seq`. */
    private record Barrier(long seq, Runnable run) {
    }

    private Mailbox(ActorContext<Command> ctx, BatchWriter writer, MessageQueries queries, DeviceStream stream, WorkPools pools,
                    int maxBatch, Function<String, RecipientRef<Presence.Command>> presence, Clock clock) {
        super(ctx);
        this.writer = writer;
        this.queries = queries;
        this.defaultReplay = new DefaultDeviceReplay(queries, stream);
        this.stream = stream;
        this.pools = pools;
        this.maxBatch = maxBatch;
        this.presence = presence;
        this.clock = clock;
        this.metrics = Metrics.get(ctx.getSystem());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Send.class, s -> enqueue(s, new Write.Send(s.sender(), s.receiver(), s.clientId(), s.content(),
                        s.senderDevice())))
                .onMessage(MovePosition.class, this::onMovePosition)
                .onMessage(FetchStream.class, this::onFetchStream)
                .onMessage(Apply.class, a -> enqueue(a, a.write()))
                .onMessage(MarkDelivered.class, this::onMarkDelivered)
                .onMessage(MarkPending.class, u -> {
                    recentMarks.forget(u.msgIds());
                    return enqueue(u, new Write.MarkPending(u.receiver(), u.msgIds()));
                })
                .onMessage(MarkRead.class, r -> enqueue(r, new Write.MarkRead(r.reader(), r.peer(), r.upTo())))
                .onMessage(KeepReceipt.class, k -> enqueue(k, new Write.KeepReceipt(k.user(), k.receipt(), k.reached())))
                .onMessage(DropReceipts.class, r -> enqueue(r, new Write.DropReceipts(r.user(), r.device(), r.upToReceiptId())))
                .onMessage(ChangeContact.class, c -> enqueue(c,
                        new Write.ChangeContact(c.owner(), c.contact(), c.listed(), c.maxContacts())))
                .onMessage(RecordLastSeen.class, s -> enqueue(s, new Write.RecordLastSeen(s.user(), s.ts())))
                .onMessage(FetchPending.class, this::onFetchPending)
                .onMessage(FetchReceipts.class, this::onFetchReceipts)
                .onMessage(Flush.class, f -> afterCommitted(() -> f.replyTo().tell(Done.getInstance())))
                .onMessage(HandOff.class, h -> onHandOff())
                .onMessage(WriteDeferred.class, w -> onWriteDeferred())
                .onMessage(Committed.class, this::onCommitted)
                .onMessage(CommitFailed.class, this::onCommitFailed)
                .onSignal(PostStop.class, s -> onStopped())
                .build();
    }

    private Behavior<Command> enqueue(Command command, Write write) {
        undefer();
        waiting.add(new Queued(command, write));
        enqueued++;
        if (!committing) {
            commitNext();
        }
        return this;
    }

    private Behavior<Command> onMovePosition(MovePosition m) {
        Write write = new Write.DevicePosition(m.user(), m.device(), m.upTo(), m.lastSeen());
        if (!m.deferrable() || stopping) {
            return enqueue(m, write);
        }
        deferred.add(new Queued(m, write));
        if (deferred.size() >= maxBatch) {
            return commitDeferred();
        }
        if (!deferredTimerSet) {
            deferredTimerSet = true;
            getContext().scheduleOnce(DEFERRED_WRITE_DELAY, getContext().getSelf(), WriteDeferred.INSTANCE);
        }
        return this;
    }

    private Behavior<Command> onWriteDeferred() {
        deferredTimerSet = false;
        return commitDeferred();
    }

    private Behavior<Command> commitDeferred() {
        undefer();
        if (!committing && !waiting.isEmpty()) {
            commitNext();
        }
        return this;
    }

    /** The deferred writes join the queue, ahead of whatever comes next: the order of writes is kept. */
    private void undefer() {
        while (!deferred.isEmpty()) {
            waiting.add(deferred.poll());
            enqueued++;
        }
    }

    private void commitNext() {
        int n = Math.min(maxBatch, waiting.size());
        List<Queued> batch = new ArrayList<>(n);
        List<Write> writes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Queued q = waiting.poll();
            batch.add(q);
            writes.add(q.write());
        }
        committing = true;
        inFlight = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            List<Written> outcomes = writer.apply(writes);
            return new Committed(batch, outcomes, System.nanoTime() - start);
        }, pools.partitions());
        getContext().pipeToSelf(inFlight, (committed, error) -> error != null ? new CommitFailed(batch, error) : committed);
    }

    /**
     * The partition moved to another node (or the node stops): the writer's connection goes back once
     * the commit in flight, if any, has ended. Its senders hear nothing more from here: their
     * sessions' clients resend, and the resend is idempotent.
     */
    private Behavior<Command> onStopped() {
        if (inFlight == null || inFlight.isDone()) {
            writer.close();
        } else {
            inFlight.whenComplete((done, error) -> writer.close());
        }
        return this;
    }

    private Behavior<Command> onCommitted(Committed c) {
        long ts = clock.millis();
        metrics.commitBatch.observe(c.batch().size());
        metrics.commitSeconds.observe(c.nanos() / 1e9);
        for (int i = 0; i < c.batch().size(); i++) {
            dispatch(c.batch().get(i).command(), c.outcomes().get(i), ts);
        }
        return batchDone(c.batch().size());
    }

    private Behavior<Command> onCommitFailed(CommitFailed f) {
        getContext().getLog().error("group commit of {} writes failed: {}", f.batch().size(), f.error().getMessage());
        metrics.commitsFailed.increment();
        for (Queued q : f.batch()) {
            if (q.command() instanceof Send s) {
                s.replyTo().tell(new Refused(new ServerFrame.MessageError(s.receiver(),
                        "the message could not be stored; it was not sent, try again", s.clientId(),
                        ServerFrame.MessageError.STORE_UNAVAILABLE)));
            } else if (q.command() instanceof ChangeContact c) {
                c.replyTo().tell(new ContactRefused(ErrorCode.STORE_UNAVAILABLE.wire(), "the contact list could not be saved"));
            } else if (q.command() instanceof Apply a) {
                a.replyTo().tell(new Written.Refused(ErrorCode.STORE_UNAVAILABLE.wire(),
                        "it could not be stored; nothing changed, try again"));
            } else if (q.command() instanceof MarkDelivered d) {
                recentMarks.forget(d.msgIds()); // a later ack marks them again
                if (d.replyTo() != null) {
                    d.replyTo().tell(Done.getInstance());
                }
            }
            // lost delivery marks only mean a redelivery at the next login (clients drop duplicates)
        }
        return batchDone(f.batch().size());
    }

    private Behavior<Command> batchDone(int size) {
        committed += size;
        committing = false;
        Iterator<Barrier> it = barriers.iterator();
        while (it.hasNext()) {
            Barrier b = it.next();
            if (b.seq() <= committed) {
                it.remove();
                b.run().run();
            }
        }
        if (!waiting.isEmpty()) {
            commitNext();
        } else if (stopping) {
            return Behaviors.stopped();
        }
        return this;
    }

    /**
     * The partition is handed over to another node: what was enqueued here is committed first, so
     * no two writers ever commit for one partition (msg_ids stay in commit order per recipient) and
     * nothing accepted here is dropped.
     */
    private Behavior<Command> onHandOff() {
        stopping = true;
        commitDeferred();
        return committing || !waiting.isEmpty() ? this : Behaviors.stopped();
    }

    private void dispatch(Command command, Written outcome, long ts) {
        if (command instanceof Apply a) {
            if (outcome instanceof Written.Accepted accepted && !accepted.duplicate()) {
                metrics.messagesAccepted.increment();
            }
            a.replyTo().tell(outcome);
        } else if (command instanceof Send s) {
            if (outcome instanceof Written.Accepted a) {
                ServerFrame.Message m = a.message();
                s.replyTo().tell(new Stored(new ServerFrame.MessageAck(m.id(), m.msgId(), m.receiver(), m.ts(), m.timestamp())));
                if (!a.duplicate()) {
                    metrics.messagesAccepted.increment();
                    presence.apply(m.receiver()).tell(new Presence.Deliver(m));
                    if (!m.sender().equals(m.receiver())) { // the copy, for the sender's other level 3 devices
                        presence.apply(m.sender()).tell(new Presence.Deliver(m, s.senderDevice() == null
                                ? DeviceIds.DEFAULT : s.senderDevice()));
                    }
                }
                if (a.newPair()) {
                    presence.apply(m.sender()).tell(new Presence.ContactChanged(m.receiver(), true));
                    presence.apply(m.receiver()).tell(new Presence.ContactChanged(m.sender(), true));
                }
            } else if (outcome instanceof Written.Refused r) {
                s.replyTo().tell(new Refused(new ServerFrame.MessageError(s.receiver(), r.reason(), s.clientId(), r.code())));
            }
        } else if (command instanceof MarkDelivered d && outcome instanceof Written.Delivered now) {
            if (d.replyTo() != null) {
                d.replyTo().tell(Done.getInstance());
            }
            metrics.messagesDelivered.add(now.messages().size());
            for (Written.DeliveredMessage m : now.messages()) {
                metrics.deliverySeconds.observe(Math.max(0, ts - m.ts()) / 1000.0);
                presence.apply(m.sender()).tell(new Presence.Notify(new ServerFrame.Receipt(m.msgId(), m.clientId(),
                        d.receiver(), ServerFrame.Receipt.DELIVERED, null, ts)));
            }
        } else if (command instanceof KeepReceipt k && outcome instanceof Written.Kept kept && kept.devices() == 0
                && !k.receipt().level3()) { // a group's receipt is kept for level 3 devices only: it says nothing of the others
            presence.apply(k.user()).tell(new Presence.AllDevicesReached(k.reached()));
        } else if (command instanceof MarkRead r && outcome instanceof Written.Read read && read.advanced()) {
            presence.apply(r.peer()).tell(new Presence.Notify(new ServerFrame.Receipt(null, null, r.reader(),
                    ServerFrame.Receipt.READ, read.upTo(), ts)));
            // the reader's other devices clear their unread count too
            presence.apply(r.reader()).tell(new Presence.Notify(new ServerFrame.ReadMarker(r.peer(), null, read.upTo()),
                    r.device() == null ? DeviceIds.DEFAULT : r.device()));
        } else if (command instanceof ChangeContact c) {
            c.replyTo().tell(outcome instanceof Written.Refused r ? new ContactRefused(r.code(), r.reason())
                    : new ContactChanged(outcome instanceof Written.Contact changed && changed.changed()));
            if (outcome instanceof Written.Contact changed && changed.changed()) {
                presence.apply(c.owner()).tell(new Presence.ContactChanged(c.contact(), c.listed()));
                presence.apply(c.contact()).tell(new Presence.ContactChanged(c.owner(), c.listed()));
            }
        }
    }

    /** Only what no device of the receiver has acked lately becomes a write (see {@link RecentMarks}). */
    private Behavior<Command> onMarkDelivered(MarkDelivered d) {
        List<Long> fresh = recentMarks.fresh(d.msgIds());
        if (fresh.isEmpty()) {
            if (d.replyTo() != null) {
                d.replyTo().tell(Done.getInstance());
            }
            return this;
        }
        MarkDelivered marking = fresh.size() == d.msgIds().size() ? d : new MarkDelivered(d.receiver(), fresh, d.replyTo());
        return enqueue(marking, new Write.MarkDelivered(d.receiver(), fresh));
    }

    private Behavior<Command> onFetchPending(FetchPending f) {
        if (f.afterMsgId() == 0) {
            // a level 1 or 2 login: the device `default` is online (its row, its last_seen)
            enqueue(null, new Write.DefaultDeviceSeen(f.user(), clock.millis()));
        }
        Runnable fetch = () -> read(() -> defaultReplay.page(f.user(), f.afterMsgId(), f.limit()),
                messages -> f.replyTo().tell(new PendingPage(f.afterMsgId(), List.copyOf(messages), false)),
                () -> f.replyTo().tell(new PendingPage(f.afterMsgId(), List.of(), true)));
        if (f.afterMsgId() > 0) {
            // a later page of a replay: whatever commits meanwhile also reaches the session live, and
            // the session drops what its cursor has passed; waiting for the receiver's own delivery
            // marks to commit would only slow the replay down to one page per group commit
            fetch.run();
            return this;
        }
        return afterCommitted(fetch);
    }

    private Behavior<Command> onFetchStream(FetchStream f) {
        Runnable fetch = () -> read(() -> stream.read(f.user(), f.device(), f.afterMsgId(), f.limit(), f.maxBehind()),
                page -> f.replyTo().tell(new StreamPage(f.afterMsgId(), page.deliveries(), page.next(), page.more(),
                        page.truncated(), false)),
                () -> f.replyTo().tell(new StreamPage(f.afterMsgId(), List.of(), f.afterMsgId(), false, false, true)));
        // as for pending pages: only the first waits for what was enqueued before it
        if (f.afterMsgId() > 0) {
            fetch.run();
            return this;
        }
        return afterCommitted(fetch);
    }

    private Behavior<Command> onFetchReceipts(FetchReceipts f) {
        return afterCommitted(() -> read(() -> queries.receipts(f.user(), f.device(), f.afterReceiptId(), f.limit()),
                receipts -> f.replyTo().tell(new ReceiptPage(f.afterReceiptId(),
                        receipts.stream().map(r -> new KeptReceipt(r.receiptId(), r.receipt())).toList(), false)),
                () -> f.replyTo().tell(new ReceiptPage(f.afterReceiptId(), List.of(), true))));
    }

    /** Runs `action` once every write enqueued so far is committed (or has failed). */
    private Behavior<Command> afterCommitted(Runnable action) {
        commitDeferred();
        if (committed >= enqueued) {
            action.run();
        } else {
            barriers.add(new Barrier(enqueued, action));
        }
        return this;
    }

    /** A read on the reader pool; the reply goes straight to the asker, not through this actor. */
    private <T> void read(Supplier<T> query, Consumer<T> reply, Runnable failed) {
        CompletableFuture.supplyAsync(query, pools.reader()).whenComplete((result, error) -> {
            if (error != null) {
                LOG.error("store read failed: {}", error.getMessage());
                failed.run();
            } else {
                reply.accept(result);
            }
        });
    }
}
