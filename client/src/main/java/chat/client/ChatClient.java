package chat.client;

import chat.protocol.ClientFrame;
import chat.protocol.ErrorCode;
import chat.protocol.FrameCodec;
import chat.protocol.ProtocolError;
import chat.protocol.ServerFrame;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A chat client with no user interface: sign in (password or token), send and receive,
 * receipts, presence, typing, history; with a device named ({@link #useDevice}) it speaks level 3
 * too: groups, outgoing copies from the user's other devices, read markers, the device list. It keeps the user online across network trouble: on a lost
 * connection it reconnects with its token after a random delay ({@link Reconnect}), re-sends every
 * unacknowledged message with its original id ({@link Outbox}), drops redelivered messages by
 * msg_id and acknowledges everything it receives ({@link AckBatch}).
 *
 * All state lives on one private thread; the public methods only post work to it, so they never
 * block (and are safe to call from a UI thread). Listeners run on that thread, in order.
 */
public final class ChatClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChatClient.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long IDLE_LIMIT_MS = 45_000;

    /** A successful sign-in: the (case-folded) name and the token to resume with. */
    public record SignedIn(String username, String token) {
        @Override
        public String toString() {
            return "SignedIn[" + username + "]";
        }
    }

    private final String host;
    private final int port;
    private final ScheduledExecutorService thread;
    private final Link link;
    private final Listeners listeners = new Listeners();
    private final Requests requests;
    private final Outbox outbox;
    private final AckBatch acks;
    private final Reconnect reconnect;

    private boolean loggedIn;
    private String username;
    private String token;
    private String device; // null: a level 2 client
    private String deviceName;
    private boolean stayOnline;
    private volatile ConnectionState state = new ConnectionState.SignedOut();
    private CompletableFuture<SignedIn> pendingLogin;

    public ChatClient(String host, int port) {
        this(host, port, (SSLContext) null);
    }

    /** `tls`: connect with TLS, trusting what this context trusts (null: plain TCP). Reconnects wait 0–1 s at first, at most 30 s. */
    public ChatClient(String host, int port, SSLContext tls) {
        this(host, port, Connector.tcp(tls), new Backoff(1_000, 30_000, new Random()));
    }

    /** `connector` opens the connections (a test's own, to break them on purpose); `backoff` spaces the reconnects. */
    public ChatClient(String host, int port, Connector connector, Backoff backoff) {
        this.host = host;
        this.port = port;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chat-client");
            t.setDaemon(true);
            return t;
        });
        this.link = new Link(host, port, connector, thread, System::currentTimeMillis, this::onLine, this::onClosed);
        this.requests = new Requests(link::write);
        this.outbox = new Outbox(thread, o -> whenLoggedIn(o.groupId() != null
                ? ClientFrame.Message.toGroup(o.groupId(), o.content(), o.id())
                : new ClientFrame.Message(o.receiver(), o.content(), o.id())));
        this.acks = new AckBatch(thread, this::whenLoggedIn);
        this.reconnect = new Reconnect(thread, backoff, System::currentTimeMillis, this::reconnect);
        // the server pings every 15 s: a connection silent for 45 s is dead
        thread.scheduleWithFixedDelay(() -> link.closeIfSilentFor(IDLE_LIMIT_MS), 5, 5, TimeUnit.SECONDS);
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

    /**
     * Level 3 from the next login on: this installation's stable `device` id (see
     * {@link DeviceId}) and a name for people. Token logins name the same device, as the token
     * belongs to it.
     */
    public void useDevice(String deviceId, String name) {
        if (!chat.protocol.DeviceIds.valid(deviceId)) {
            throw new IllegalArgumentException("a device id is 1-64 chars of [A-Za-z0-9_.-]");
        }
        String cleanName = chat.protocol.DeviceIds.cleanName(name);
        thread.execute(() -> {
            device = deviceId;
            deviceName = cleanName;
        });
    }

    /** Creates an account (connecting if needed). Fails with {@link ServerRefused} (user_exists, ...) or {@link Offline}. */
    public CompletableFuture<ServerFrame.RegisterResponse> register(String user, String password) {
        return onThread(() -> {
            CompletableFuture<ServerFrame> failed = new CompletableFuture<>();
            return connect(failed) ? requests.ask(new ClientFrame.Register(user, password, 2), "register_response") : failed;
        }).thenCompose(f -> f).thenCompose(f -> {
            ServerFrame.RegisterResponse r = (ServerFrame.RegisterResponse) f;
            return ServerFrame.SUCCESS.equals(r.status()) ? CompletableFuture.completedFuture(r)
                    : CompletableFuture.failedFuture(new ServerRefused(r.code(), r.message()));
        });
    }

    /** Signs in with a password; from then on the client stays online until {@link #signOut()}. */
    public CompletableFuture<SignedIn> signIn(String user, String password) {
        return onThread(() -> loginFrame(user, password, null)).thenCompose(this::login);
    }

    /** Signs in again with a token saved from an earlier sign-in ("remember me"). */
    public CompletableFuture<SignedIn> resume(String user, String savedToken) {
        return onThread(() -> loginFrame(user, null, savedToken)).thenCompose(this::login);
    }

    /** Level 3 when a device is named, else level 2. On the client's thread. */
    private ClientFrame.Login loginFrame(String user, String password, String withToken) {
        return device == null ? new ClientFrame.Login(user, password, withToken, 2)
                : new ClientFrame.Login(user, password, withToken, 3, device, deviceName);
    }

    private CompletableFuture<SignedIn> login(ClientFrame.Login frame) {
        return onThread(() -> {
            CompletableFuture<SignedIn> done = new CompletableFuture<>();
            if (loggedIn || pendingLogin != null) {
                done.completeExceptionally(new IllegalStateException("already signed in"));
                return done;
            }
            reconnect.cancel();
            setState(new ConnectionState.Connecting());
            if (!connect(done)) {
                setState(new ConnectionState.SignedOut());
                return done;
            }
            pendingLogin = done;
            link.write(frame);
            return done;
        }).thenCompose(f -> f);
    }

    /** Logs out (the server revokes the token) and stops reconnecting. Unsent messages are dropped. */
    public void signOut() {
        thread.execute(() -> {
            if (loggedIn) {
                link.write(new ClientFrame.Logout());
            }
            stayOnline = false;
            token = null;
            outbox.dropAll(new Offline("signed out before the message was sent"));
            disconnect("signed out");
            setState(new ConnectionState.SignedOut());
        });
    }

    /** Tries to reconnect now instead of waiting for the next attempt. */
    public void reconnectNow() {
        thread.execute(() -> {
            if (stayOnline && !link.isOpen()) {
                reconnect.cancel();
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
        thread.execute(() -> outbox.add(o));
        return o;
    }

    /** Level 3: a message to a group, with the same outbox guarantees as {@link #send}. */
    public Outgoing sendToGroup(String groupId, String content) {
        Outgoing o = new Outgoing(UUID.randomUUID().toString(), null, groupId, content, System.currentTimeMillis());
        thread.execute(() -> outbox.add(o));
        return o;
    }

    /** The messages sent but not yet acknowledged, oldest first. */
    public CompletableFuture<List<Outgoing>> outbox() {
        return onThread(outbox::waiting);
    }

    public void markRead(String peer, long upTo) {
        thread.execute(() -> whenLoggedIn(new ClientFrame.Read(peer, upTo)));
    }

    public void typing(String peer) {
        thread.execute(() -> whenLoggedIn(new ClientFrame.Typing(peer)));
    }

    public void stopTyping(String peer) {
        thread.execute(() -> whenLoggedIn(new ClientFrame.StopTyping(peer)));
    }

    public void markGroupRead(String groupId, long upTo) {
        thread.execute(() -> whenLoggedIn(new ClientFrame.Read(null, upTo, groupId)));
    }

    public void typingInGroup(String groupId) {
        thread.execute(() -> whenLoggedIn(new ClientFrame.Typing(null, groupId)));
    }

    public void stopTypingInGroup(String groupId) {
        thread.execute(() -> whenLoggedIn(new ClientFrame.StopTyping(null, groupId)));
    }

    // ---- groups (level 3) ---------------------------------------------------------------------
    // The answers are `group` frames, which every member's devices get too: they reach the
    // listeners' onGroup, and a refusal their onError (its `ref` names the frame).

    /** Creates a group; `id` makes a resend create nothing new. False when offline (nothing was sent). */
    public CompletableFuture<Boolean> createGroup(String name, List<String> members, String id) {
        return onThread(() -> sent(new ClientFrame.CreateGroup(name, members, id)));
    }

    /** Admins only: any of `add`, `remove`, `admins` (the complete new list), `name` may be null. */
    public CompletableFuture<Boolean> updateGroup(String groupId, List<String> add, List<String> remove,
                                                  List<String> admins, String name) {
        return onThread(() -> sent(new ClientFrame.GroupUpdate(groupId, add, remove, admins, name)));
    }

    public CompletableFuture<Boolean> leaveGroup(String groupId) {
        return onThread(() -> sent(new ClientFrame.LeaveGroup(groupId)));
    }

    // ---- questions ----------------------------------------------------------------------------

    public CompletableFuture<ServerFrame.HistoryResponse> history(String peer, Long before, int limit) {
        return ask(new ClientFrame.History(peer, before, limit), "history_response", f -> (ServerFrame.HistoryResponse) f);
    }

    public CompletableFuture<ServerFrame.HistoryResponse> groupHistory(String groupId, Long before, int limit) {
        return ask(new ClientFrame.History(null, before, limit, groupId), "history_response", f -> (ServerFrame.HistoryResponse) f);
    }

    public CompletableFuture<List<ServerFrame.Group>> groups() {
        return ask(new ClientFrame.Groups(), "groups_response", f -> ((ServerFrame.GroupsResponse) f).groups());
    }

    /** Who of a group has one of this user's messages, and who has read it. */
    public CompletableFuture<ServerFrame.GroupReceiptsResponse> groupReceipts(String groupId, long msgId) {
        return ask(new ClientFrame.GroupReceipts(groupId, msgId), "group_receipts_response",
                f -> (ServerFrame.GroupReceiptsResponse) f);
    }

    public CompletableFuture<List<ServerFrame.DeviceInfo>> devices() {
        return ask(new ClientFrame.Devices(), "devices_response", f -> ((ServerFrame.DevicesResponse) f).devices());
    }

    /** Signs `deviceId` out (its token ends, its connection closes); answers the devices left. */
    public CompletableFuture<List<ServerFrame.DeviceInfo>> revokeDevice(String deviceId) {
        return ask(new ClientFrame.RevokeDevice(deviceId), "devices_response", f -> ((ServerFrame.DevicesResponse) f).devices());
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
        return onThread(() -> loggedIn ? requests.ask(frame, answerType)
                : CompletableFuture.<ServerFrame>failedFuture(new Offline("not connected")))
                .thenCompose(f -> f).thenApply(read);
    }

    /** Opens a connection if there is none; false (with `failed` completed) if the server cannot be reached. */
    private boolean connect(CompletableFuture<?> failed) {
        try {
            link.open();
            return true;
        } catch (IOException e) {
            failed.completeExceptionally(new Offline(e instanceof javax.net.ssl.SSLException
                    ? "no secure connection to " + host + ":" + port + " (" + e.getMessage() + ")"
                    : "cannot reach " + host + ":" + port + ": " + e.getMessage()));
            return false;
        }
    }

    private void whenLoggedIn(ClientFrame frame) {
        if (loggedIn) {
            link.write(frame);
        }
    }

    private boolean sent(ClientFrame frame) {
        whenLoggedIn(frame);
        return loggedIn;
    }

    private void onLine(String line) {
        if (line.isBlank()) {
            return;
        }
        ServerFrame frame;
        try {
            frame = FrameCodec.decodeServer(line);
        } catch (ProtocolError e) {
            return; // a frame this client does not know: a newer server; nothing to do with it
        }
        if (frame instanceof ServerFrame.Message m) {
            if (acks.received(m)) {
                listeners.onMessage(m);
            }
        } else if (frame instanceof ServerFrame.GroupEvent e) {
            if (acks.received(e)) {
                listeners.onGroupEvent(e);
            }
        } else if (frame instanceof ServerFrame.Group g) {
            listeners.onGroup(g);
        } else if (frame instanceof ServerFrame.ReadMarker r) {
            listeners.onReadMarker(r);
        } else if (frame instanceof ServerFrame.SessionRevoked) {
            stayOnline = false;
            token = null;
            outbox.dropAll(new Offline("this device was signed out before the message was sent"));
            disconnect("device signed out");
            setState(new ConnectionState.SignInRequired("This device was signed out from another of your devices. Sign in again to use it."));
        } else if (frame instanceof ServerFrame.MessageAck a) {
            Outgoing o = outbox.acked(a);
            if (o != null) {
                listeners.onAcked(o, a);
            }
        } else if (frame instanceof ServerFrame.MessageError e) {
            Outgoing o = outbox.refused(e);
            if (o != null) {
                listeners.onRefused(o, e);
            }
        } else if (frame instanceof ServerFrame.Receipt r) {
            listeners.onReceipt(r);
        } else if (frame instanceof ServerFrame.UserStatus s) {
            listeners.onStatus(s);
        } else if (frame instanceof ServerFrame.TypingNotification t) {
            listeners.onTyping(t);
        } else if (frame instanceof ServerFrame.LoginResponse r) {
            onLoginResponse(r, line);
        } else if (frame instanceof ServerFrame.ReplayDone d) {
            listeners.onReplayDone(d.count());
        } else if (frame instanceof ServerFrame.Ping) {
            link.write(new ClientFrame.Pong());
        } else if (frame instanceof ServerFrame.SessionReplaced) {
            stayOnline = false;
            disconnect("signed in elsewhere");
            setState(new ConnectionState.SignInRequired("You signed in from another place."));
        } else if (frame instanceof ServerFrame.Error e) {
            requests.refused(e);
            listeners.onError(e);
        } else {
            requests.answer(frame);
        }
    }

    private void onLoginResponse(ServerFrame.LoginResponse r, String line) {
        CompletableFuture<SignedIn> waiting = pendingLogin;
        pendingLogin = null;
        // the state changes before the caller hears the answer, so what it reads next is current
        if (ServerFrame.SUCCESS.equals(r.status())) {
            loggedIn = true;
            stayOnline = true;
            reconnect.succeeded();
            username = r.username();
            if (r.token() != null) {
                token = r.token();
            }
            setState(new ConnectionState.Online(username));
            outbox.resendAll(); // same ids: the server keeps one copy of each
            if (waiting != null) {
                waiting.complete(new SignedIn(username, token));
            }
            return;
        }
        long retryAfter = ErrorCode.RATE_LIMITED.is(r.code()) ? retryAfterMillis(line) : 0;
        if (stayOnline && ErrorCode.BAD_CREDENTIALS.is(r.code())) { // the saved token was revoked or expired
            stayOnline = false;
            disconnect("token refused");
            setState(new ConnectionState.SignInRequired("Your session has expired. Sign in again."));
        } else if (stayOnline) {
            disconnect(r.message());
            ConnectionState.Cause cause = retryAfter > 0 ? ConnectionState.Cause.SERVER_BUSY
                    : ErrorCode.TOO_MANY_DEVICES.is(r.code()) ? ConnectionState.Cause.TOO_MANY_DEVICES : ConnectionState.Cause.LOST;
            setState(reconnect.schedule(cause, r.message() == null ? "login refused" : r.message(), retryAfter));
        } else {
            setState(new ConnectionState.SignedOut());
        }
        if (waiting != null) {
            waiting.completeExceptionally(new ServerRefused(r.code(), r.message(), retryAfter));
        }
    }

    /** The `retry_after_ms` of a refused login (0 if absent): read from the line, whatever the frame type carries. */
    static long retryAfterMillis(String line) {
        try {
            JsonNode wait = JSON.readTree(line).path("retry_after_ms");
            return wait.canConvertToLong() && wait.asLong() > 0 ? wait.asLong() : 0;
        } catch (IOException e) {
            return 0; // it was decoded once already; unreadable now means no wait was asked for
        }
    }

    private void onClosed(ConnectionState.Cause cause, String reason) {
        if (cause == ConnectionState.Cause.LINE_TOO_LONG) {
            LOG.log(System.Logger.Level.WARNING, "connection to {0}:{1} closed: {2}", host, String.valueOf(port), reason);
        }
        loggedIn = false;
        failPending(new Offline(cause == ConnectionState.Cause.LINE_TOO_LONG ? reason : "connection lost"));
        if (stayOnline) {
            setState(reconnect.schedule(cause, reason, 0));
        } else if (!(state instanceof ConnectionState.SignInRequired)) {
            setState(new ConnectionState.SignedOut());
        }
    }

    private void disconnect(String reason) {
        reconnect.cancel();
        link.close();
        loggedIn = false;
        failPending(new Offline(reason));
    }

    private void failPending(Exception why) {
        if (pendingLogin != null) {
            pendingLogin.completeExceptionally(why);
            pendingLogin = null;
        }
        requests.failAll(why);
        acks.connectionLost();
    }

    private void reconnect() {
        if (!stayOnline || link.isOpen()) {
            return;
        }
        setState(new ConnectionState.Connecting());
        CompletableFuture<SignedIn> attempt = new CompletableFuture<>();
        if (!connect(attempt)) {
            setState(reconnect.schedule(ConnectionState.Cause.LOST, "cannot reach the server", 0));
            return;
        }
        pendingLogin = attempt;
        link.write(loginFrame(username, null, token));
    }

    private void setState(ConnectionState next) {
        state = next;
        listeners.onConnection(next);
    }

    /** Redelivered messages dropped so far (they were acked, not passed on). */
    long duplicatesDropped() {
        return acks.duplicatesDropped();
    }
}
