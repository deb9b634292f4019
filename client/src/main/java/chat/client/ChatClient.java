package chat.client;

import chat.protocol.ClientFrame;
import chat.protocol.FrameCodec;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A level 2 chat client with no user interface: sign in (password or token), send and receive,
 * receipts, presence, typing, history. It keeps the user online across network trouble: on a lost
 * connection it reconnects with exponential backoff and jitter using its token, re-sends every
 * unacknowledged message with its original id (so the server stores each exactly once), drops
 * redelivered messages by msg_id, and acknowledges everything it receives.
 *
 * All state lives on one private thread; the public methods only post work to it, so they never
 * block (and are safe to call from a UI thread). Listeners run on that thread, in order.
 */
public final class ChatClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChatClient.class.getName());
    private static final long IDLE_LIMIT_MS = 45_000;
    private static final long RETRY_REFUSED_MS = 2_000;
    private static final int ACK_BATCH = 200;
    private static final long ACK_DELAY_MS = 25;

    /** A successful sign-in: the (case-folded) name and the token to resume with. */
    public record SignedIn(String username, String token) {
        @Override
        public String toString() {
            return "SignedIn[" + username + "]";
        }
    }

    private final String host;
    private final int port;
    private final SSLContext tls;
    private final ScheduledExecutorService thread;
    private final Backoff backoff;
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();

    private Connection connection;
    private boolean loggedIn;
    private String username;
    private String token;
    private boolean stayOnline;
    private volatile ConnectionState state = new ConnectionState.SignedOut();
    private int attempt;
    private ScheduledFuture<?> retry;
    private CompletableFuture<SignedIn> pendingLogin;
    private final ArrayDeque<CompletableFuture<ServerFrame.RegisterResponse>> pendingRegisters = new ArrayDeque<>();
    private final Map<String, ArrayDeque<Request>> requests = new HashMap<>();
    private final LinkedHashMap<String, Outgoing> outbox = new LinkedHashMap<>();
    private final SeenIds seen = new SeenIds(100_000);
    private final List<Long> unacked = new ArrayList<>();
    private boolean ackFlushScheduled;
    private long lastInbound;
    private volatile long duplicatesDropped;
    private volatile Predicate<String> lostWithConnection;

    /** A question waiting for (or queued behind) the server's answer of type `answerType`. */
    private record Request(ClientFrame frame, CompletableFuture<ServerFrame> answer) {
    }

    public ChatClient(String host, int port) {
        this(host, port, null, new Backoff(500, 30_000, new Random()));
    }

    public ChatClient(String host, int port, Backoff backoff) {
        this(host, port, null, backoff);
    }

    /** `tls`: connect with TLS, trusting what this context trusts (null: plain TCP). */
    public ChatClient(String host, int port, SSLContext tls, Backoff backoff) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.backoff = backoff;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chat-client");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::checkAlive, 5, 5, TimeUnit.SECONDS);
    }

    public void addListener(ChatListener listener) {
        listeners.add(listener);
    }

    public ConnectionState state() {
        return state;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    // ---- accounts ---------------------------------------------------------------------------

    /** Creates an account (connecting if needed). Fails with {@link ServerRefused} (user_exists, ...) or {@link Offline}. */
    public CompletableFuture<ServerFrame.RegisterResponse> register(String user, String password) {
        return onThread(() -> {
            CompletableFuture<ServerFrame.RegisterResponse> answer = new CompletableFuture<>();
            if (!connect(answer)) {
                return answer;
            }
            pendingRegisters.add(answer);
            write(new ClientFrame.Register(user, password, 2));
            return answer;
        }).thenCompose(f -> f).thenCompose(r -> ServerFrame.SUCCESS.equals(r.status())
                ? CompletableFuture.completedFuture(r)
                : CompletableFuture.failedFuture(new ServerRefused(r.code(), r.message())));
    }

    /** Signs in with a password; from then on the client stays online until {@link #signOut()}. */
    public CompletableFuture<SignedIn> signIn(String user, String password) {
        return login(new ClientFrame.Login(user, password, null, 2));
    }

    /** Signs in again with a token saved from an earlier sign-in ("remember me"). */
    public CompletableFuture<SignedIn> resume(String user, String savedToken) {
        return login(new ClientFrame.Login(user, null, savedToken, 2));
    }

    private CompletableFuture<SignedIn> login(ClientFrame.Login frame) {
        return onThread(() -> {
            CompletableFuture<SignedIn> done = new CompletableFuture<>();
            if (loggedIn || pendingLogin != null) {
                done.completeExceptionally(new IllegalStateException("already signed in"));
                return done;
            }
            cancelRetry();
            setState(new ConnectionState.Connecting());
            if (!connect(done)) {
                setState(new ConnectionState.SignedOut());
                return done;
            }
            pendingLogin = done;
            write(frame);
            return done;
        }).thenCompose(f -> f);
    }

    /** Logs out (the server revokes the token) and stops reconnecting. Unsent messages are dropped. */
    public void signOut() {
        thread.execute(() -> {
            if (loggedIn) {
                write(new ClientFrame.Logout());
            }
            stayOnline = false;
            token = null;
            for (Outgoing o : outbox.values()) {
                o.acked().completeExceptionally(new Offline("signed out before the message was sent"));
            }
            outbox.clear();
            disconnect("signed out");
            setState(new ConnectionState.SignedOut());
        });
    }

    /** Tries to reconnect now instead of waiting for the backoff. */
    public void reconnectNow() {
        thread.execute(() -> {
            if (stayOnline && connection == null) {
                cancelRetry();
                reconnect();
            }
        });
    }

    // ---- messages -----------------------------------------------------------------------------

    /**
     * Sends a message: it waits in the outbox until the server acknowledges it, and goes out again
     * (same id) after every reconnect until then. Works offline: it is sent when the connection is back.
     */
    public Outgoing send(String receiver, String content) {
        Outgoing o = new Outgoing(UUID.randomUUID().toString(), receiver, content, System.currentTimeMillis());
        thread.execute(() -> {
            outbox.put(o.id(), o);
            if (loggedIn) {
                write(messageFrame(o));
            }
        });
        return o;
    }

    /** The messages sent but not yet acknowledged, oldest first. */
    public CompletableFuture<List<Outgoing>> outbox() {
        return onThread(() -> List.copyOf(outbox.values()));
    }

    public void markRead(String peer, long upTo) {
        whenOnline(new ClientFrame.Read(peer, upTo));
    }

    public void typing(String peer) {
        whenOnline(new ClientFrame.Typing(peer));
    }

    public void stopTyping(String peer) {
        whenOnline(new ClientFrame.StopTyping(peer));
    }

    // ---- questions ----------------------------------------------------------------------------

    public CompletableFuture<ServerFrame.HistoryResponse> history(String peer, Long before, int limit) {
        return ask(new ClientFrame.History(peer, before, limit), "history_response", f -> (ServerFrame.HistoryResponse) f);
    }

    public CompletableFuture<List<ServerFrame.Conversation>> conversations(int limit) {
        return ask(new ClientFrame.Conversations(limit), "conversations_response",
                f -> ((ServerFrame.ConversationsResponse) f).conversations());
    }

    public CompletableFuture<List<ServerFrame.UserInfo>> users(String query, int limit) {
        return ask(new ClientFrame.GetUsers(query, limit), "user_list", f -> ((ServerFrame.UserList) f).users());
    }

    public CompletableFuture<List<ServerFrame.UserInfo>> contacts() {
        return ask(new ClientFrame.GetContacts(), "contacts", f -> ((ServerFrame.Contacts) f).users());
    }

    public CompletableFuture<List<ServerFrame.UserInfo>> addContact(String user) {
        return ask(new ClientFrame.AddContact(user), "contacts", f -> ((ServerFrame.Contacts) f).users());
    }

    public CompletableFuture<List<ServerFrame.UserInfo>> removeContact(String user) {
        return ask(new ClientFrame.RemoveContact(user), "contacts", f -> ((ServerFrame.Contacts) f).users());
    }

    /** Closes the connection without logging out (the token stays valid) and stops the client. */
    @Override
    public void close() {
        thread.execute(() -> {
            stayOnline = false;
            disconnect("closed");
        });
        thread.shutdown();
    }

    // ---- on the client thread -----------------------------------------------------------------

    private <T> CompletableFuture<T> onThread(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, thread);
    }

    private <T> CompletableFuture<T> ask(ClientFrame frame, String answerType, Function<ServerFrame, T> read) {
        return onThread(() -> {
            CompletableFuture<ServerFrame> answer = new CompletableFuture<>();
            if (!loggedIn) {
                answer.completeExceptionally(new Offline("not connected"));
                return answer;
            }
            ArrayDeque<Request> queue = requests.computeIfAbsent(answerType, t -> new ArrayDeque<>());
            queue.add(new Request(frame, answer));
            if (queue.size() == 1) { // one question of a kind at a time: answers then cannot cross
                write(frame);
            }
            return answer;
        }).thenCompose(f -> f).thenApply(read);
    }

    private void whenOnline(ClientFrame frame) {
        thread.execute(() -> {
            if (loggedIn) {
                write(frame);
            }
        });
    }

    /** Opens a connection if there is none; false (with `failed` completed) if the server cannot be reached. */
    private boolean connect(CompletableFuture<?> failed) {
        if (connection != null) {
            return true;
        }
        Connection c = null;
        try {
            c = new Connection(tls, (from, line) -> post(() -> onLine(from, line)),
                    (from, reason) -> post(() -> onClosed(from, reason)));
            c.open(host, port);
        } catch (IOException e) {
            if (c != null) {
                c.close();
            }
            failed.completeExceptionally(new Offline(e instanceof javax.net.ssl.SSLException
                    ? "no secure connection to " + host + ":" + port + " (" + e.getMessage() + ")"
                    : "cannot reach " + host + ":" + port + ": " + e.getMessage()));
            return false;
        }
        connection = c;
        lastInbound = System.currentTimeMillis();
        return true;
    }

    /** From the reader thread: after close() there is no client thread left to care. */
    private void post(Runnable event) {
        try {
            thread.execute(event);
        } catch (RejectedExecutionException closed) {
            // the client was closed: nothing listens any more
        }
    }

    private void write(ClientFrame frame) {
        if (connection == null) {
            return;
        }
        try {
            connection.send(frame);
        } catch (IOException e) {
            connection.close(); // the reader notices and reports the loss
        }
    }

    private void onLine(Connection from, String line) {
        if (from != connection || line.isBlank()) {
            return;
        }
        Predicate<String> lost = lostWithConnection;
        if (lost != null && lost.test(line)) {
            from.close(); // as if the network failed just before this line: the reader reports the loss
            return;
        }
        lastInbound = System.currentTimeMillis();
        ServerFrame frame;
        try {
            frame = FrameCodec.decodeServer(line);
        } catch (ProtocolError e) {
            return; // a frame this client does not know: a newer server; nothing to do with it
        }
        if (frame instanceof ServerFrame.Message m) {
            onMessage(m);
        } else if (frame instanceof ServerFrame.MessageAck a) {
            Outgoing o = outbox.remove(a.id());
            if (o != null) {
                o.acked().complete(a);
                each(l -> l.onAcked(o, a));
            }
        } else if (frame instanceof ServerFrame.MessageError e) {
            onMessageError(e);
        } else if (frame instanceof ServerFrame.Receipt r) {
            each(l -> l.onReceipt(r));
        } else if (frame instanceof ServerFrame.UserStatus s) {
            each(l -> l.onStatus(s));
        } else if (frame instanceof ServerFrame.TypingNotification t) {
            each(l -> l.onTyping(t));
        } else if (frame instanceof ServerFrame.LoginResponse r) {
            onLoginResponse(r);
        } else if (frame instanceof ServerFrame.RegisterResponse r) {
            CompletableFuture<ServerFrame.RegisterResponse> waiting = pendingRegisters.poll();
            if (waiting != null) {
                waiting.complete(r);
            }
        } else if (frame instanceof ServerFrame.ReplayDone d) {
            each(l -> l.onReplayDone(d.count()));
        } else if (frame instanceof ServerFrame.Ping) {
            write(new ClientFrame.Pong());
        } else if (frame instanceof ServerFrame.SessionReplaced) {
            stayOnline = false;
            disconnect("signed in elsewhere");
            setState(new ConnectionState.SignInRequired("You signed in from another place."));
        } else if (frame instanceof ServerFrame.Error e) {
            onError(e);
        } else {
            answer(frame);
        }
    }

    private void onMessage(ServerFrame.Message m) {
        if (seen.firstTime(m.msgId())) {
            each(l -> l.onMessage(m));
        } else {
            duplicatesDropped++; // only this thread writes it
        }
        unacked.add(m.msgId()); // duplicates too: the server keeps them pending until acked
        if (unacked.size() >= ACK_BATCH) {
            flushAcks();
        } else if (!ackFlushScheduled) {
            ackFlushScheduled = true;
            thread.schedule(this::flushAcks, ACK_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void flushAcks() {
        ackFlushScheduled = false;
        if (!unacked.isEmpty() && loggedIn) {
            write(new ClientFrame.Ack(List.copyOf(unacked)));
        }
        unacked.clear();
    }

    private void onMessageError(ServerFrame.MessageError e) {
        Outgoing o = e.id() == null ? null : outbox.get(e.id());
        if (o == null) {
            return;
        }
        if (ServerFrame.MessageError.RATE_LIMITED.equals(e.code())
                || ServerFrame.MessageError.STORE_UNAVAILABLE.equals(e.code())) {
            // not refused for good: send the same message (same id) again a little later
            thread.schedule(() -> {
                if (loggedIn && outbox.containsKey(o.id())) {
                    write(messageFrame(o));
                }
            }, RETRY_REFUSED_MS, TimeUnit.MILLISECONDS);
            return;
        }
        outbox.remove(o.id());
        o.acked().completeExceptionally(new SendRefused(e));
        each(l -> l.onRefused(o, e));
    }

    private void onLoginResponse(ServerFrame.LoginResponse r) {
        CompletableFuture<SignedIn> waiting = pendingLogin;
        pendingLogin = null;
        // the state changes before the caller hears the answer, so what it reads next is current
        if (ServerFrame.SUCCESS.equals(r.status())) {
            loggedIn = true;
            stayOnline = true;
            attempt = 0;
            username = r.username();
            if (r.token() != null) {
                token = r.token();
            }
            setState(new ConnectionState.Online(username));
            for (Outgoing o : outbox.values()) { // same ids: the server keeps one copy of each
                write(messageFrame(o));
            }
            if (waiting != null) {
                waiting.complete(new SignedIn(username, token));
            }
            return;
        }
        if (stayOnline && "bad_credentials".equals(r.code())) { // the saved token was revoked or expired
            stayOnline = false;
            disconnect("token refused");
            setState(new ConnectionState.SignInRequired("Your session has expired. Sign in again."));
        } else if (stayOnline) {
            disconnect(r.message());
            scheduleReconnect(r.message() == null ? "login refused" : r.message());
        } else {
            setState(new ConnectionState.SignedOut());
        }
        if (waiting != null) {
            waiting.completeExceptionally(new ServerRefused(r.code(), r.message()));
        }
    }

    private void onError(ServerFrame.Error e) {
        String answerType = e.ref() == null ? null : switch (e.ref()) {
            case "history" -> "history_response";
            case "get_users" -> "user_list";
            case "conversations" -> "conversations_response";
            case "add_contact", "remove_contact", "get_contacts" -> "contacts";
            default -> null;
        };
        ArrayDeque<Request> queue = answerType == null ? null : requests.get(answerType);
        if (queue != null && !queue.isEmpty()) {
            queue.poll().answer().completeExceptionally(new ServerRefused(e.code(), e.message()));
            sendNext(queue);
        }
        each(l -> l.onError(e));
    }

    private void answer(ServerFrame frame) {
        ArrayDeque<Request> queue = requests.get(frame.type());
        if (queue == null || queue.isEmpty()) {
            return;
        }
        queue.poll().answer().complete(frame);
        sendNext(queue);
    }

    private void sendNext(ArrayDeque<Request> queue) {
        Request next = queue.peek();
        if (next != null) {
            write(next.frame());
        }
    }

    private void onClosed(Connection from, String reason) {
        if (from != connection) {
            return;
        }
        connection = null;
        loggedIn = false;
        failPending(new Offline("connection lost"));
        if (stayOnline) {
            scheduleReconnect(reason);
        } else if (!(state instanceof ConnectionState.SignInRequired)) {
            setState(new ConnectionState.SignedOut());
        }
    }

    private void disconnect(String reason) {
        cancelRetry();
        Connection c = connection;
        connection = null;
        loggedIn = false;
        if (c != null) {
            c.close();
        }
        failPending(new Offline(reason));
    }

    private void failPending(Exception why) {
        if (pendingLogin != null) {
            pendingLogin.completeExceptionally(why);
            pendingLogin = null;
        }
        pendingRegisters.forEach(f -> f.completeExceptionally(why));
        pendingRegisters.clear();
        requests.values().forEach(q -> q.forEach(r -> r.answer().completeExceptionally(why)));
        requests.clear();
        unacked.clear(); // unacked messages stay pending on the server: they come again
    }

    private void scheduleReconnect(String reason) {
        attempt++;
        long delay = backoff.delayMillis(attempt);
        setState(new ConnectionState.Reconnecting(System.currentTimeMillis() + delay, attempt, reason));
        retry = thread.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void reconnect() {
        retry = null;
        if (!stayOnline || connection != null) {
            return;
        }
        setState(new ConnectionState.Connecting());
        CompletableFuture<SignedIn> attemptDone = new CompletableFuture<>();
        if (!connect(attemptDone)) {
            scheduleReconnect("cannot reach the server");
            return;
        }
        pendingLogin = attemptDone;
        write(new ClientFrame.Login(username, null, token, 2));
    }

    private void checkAlive() {
        if (connection != null && System.currentTimeMillis() - lastInbound > IDLE_LIMIT_MS) {
            connection.close(); // the server pings every 15 s: this connection is dead
        }
    }

    private void setState(ConnectionState next) {
        state = next;
        each(l -> l.onConnection(next));
    }

    private void each(Consumer<ChatListener> event) {
        for (ChatListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) { // a broken listener must not break the connection
                LOG.log(System.Logger.Level.WARNING, "chat listener failed", e);
            }
        }
    }

    /** Redelivered messages dropped so far (they were acked, not passed on). */
    long duplicatesDropped() {
        return duplicatesDropped;
    }

    /**
     * For tests of network failures: a line from the server for which `which` holds is never read;
     * its connection is lost instead, and the client reconnects as it would after a real failure.
     */
    void loseConnectionBefore(Predicate<String> which) {
        lostWithConnection = which;
    }

    private static ClientFrame.Message messageFrame(Outgoing o) {
        return new ClientFrame.Message(o.receiver(), o.content(), o.id());
    }
}
