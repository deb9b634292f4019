package chat.bench.client;

import chat.bench.net.Conn;
import chat.bench.net.Fields;
import chat.bench.net.Loop;
import chat.protocol.ClientFrame;
import chat.protocol.FrameCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One level 2 user on one connection: optionally registers, logs in with its password, waits for
 * `replay_done`, then hands every frame to its {@link Listener}. Answers the node's pings, so a
 * held session is never taken for a dead peer. Lives on its connection's loop thread.
 *
 * With {@link Dialect#LEVEL1} it speaks an old level 1 server's dialect instead: register and login
 * without `version`, online at a successful `login_response` (the old server has no replay_done), the
 * old server's pings left unanswered (it expects no pong) and its `user_status` broadcasts, which can
 * overtake the login answer, ignored until then.
 */
public final class ChatClient implements Conn.Handler {

    /** What the workload hears, on the loop thread. */
    public interface Listener {
        /** Logged in and the replay is over: the user is online. */
        default void ready(ChatClient client) {
        }

        /** A frame after the login answer (pings excepted); `type` is already read. */
        default void frame(ChatClient client, String type, String line) {
        }

        /** Registration, login or the connection failed (not called when this side closed it). */
        default void failed(ChatClient client, String reason) {
        }
    }

    public enum Mode { LOGIN, REGISTER_AND_LOGIN, REGISTER_ONLY }

    /**
     * The protocol of the target: the node's level 2 (the relay speaks it too), an old level 1
     * server's dialect, or the node's level 3 (groups and devices; the login names a device).
     */
    public enum Dialect { LEVEL2, LEVEL1, LEVEL3 }

    /** The old server's register answer for a taken name (json.dumps escapes its accents; Fields unescapes them). */
    static final String LEVEL1_USER_EXISTS = "Usuário já existe";

    private enum State { CONNECTING, REGISTERING, LOGGING_IN, REPLAYING, ONLINE, CLOSED }

    private static final byte[] PONG = FrameCodec.encode(new ClientFrame.Pong());

    private final String username;
    private final String password;
    private final Mode mode;
    private final Dialect dialect;
    private Listener listener;
    private Conn conn;
    private State state = State.CONNECTING;
    private Object attachment;

    private String device = "bench";
    private String token; // presented instead of the password when set; the one the node issued after a login
    private long retryAfterMs = -1;
    private long connectStarted;
    private long connectedAt;
    private long registerSent;
    private long registered;
    private long loginSent;
    private long loginAnswered;
    private long readyAt;
    private long replayCount = -1;

    public ChatClient(String username, String password, Mode mode, Listener listener) {
        this(username, password, mode, Dialect.LEVEL2, listener);
    }

    public ChatClient(String username, String password, Mode mode, Dialect dialect, Listener listener) {
        this.username = username;
        this.password = password;
        this.mode = mode;
        this.dialect = dialect;
        this.listener = listener;
    }

    /** Connects from `source` (null: any) on `loop`; the rest happens on that loop. */
    public void start(Loop loop, InetSocketAddress target, InetAddress source) {
        connectStarted = System.nanoTime();
        loop.connect(target, source, this);
    }

    public String username() {
        return username;
    }

    /** The device a level 3 login names (default "bench"). Before start only. */
    public ChatClient withDevice(String device) {
        this.device = device;
        return this;
    }

    public String device() {
        return device;
    }

    /** Logs in with this level 2 token instead of the password (a reconnect). Before start only. */
    public ChatClient withToken(String token) {
        this.token = token;
        return this;
    }

    /** The token the node issued at login (or the one presented); null before. */
    public String token() {
        return token;
    }

    /** The `retry_after_ms` of a login the node shed; -1 when it gave none. */
    public long retryAfterMs() {
        return retryAfterMs;
    }

    /** Nanoseconds from the connect call to the connection being established; -1 before. */
    public long connectNanos() {
        return connectedAt == 0 ? -1 : connectedAt - connectStarted;
    }

    public void listener(Listener listener) {
        this.listener = listener;
    }

    public Conn conn() {
        return conn;
    }

    public boolean online() {
        return state == State.ONLINE;
    }

    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** Nanoseconds from the register frame to its answer; -1 when there was none. */
    public long registerNanos() {
        return registered == 0 ? -1 : registered - registerSent;
    }

    /**
     * Nanoseconds from the login frame to `replay_done`: the whole login as a user waits for it
     * (to `login_response` with the old server, which has no replay_done).
     */
    public long loginNanos() {
        return readyAt == 0 ? -1 : readyAt - loginSent;
    }

    /** Nanoseconds from the login frame to `login_response`. */
    public long loginAnswerNanos() {
        return loginAnswered == 0 ? -1 : loginAnswered - loginSent;
    }

    public long connectStartedNanos() {
        return connectStarted;
    }

    public long loginSentNanos() {
        return loginSent;
    }

    /** The `count` of `replay_done`. */
    public long replayCount() {
        return replayCount;
    }

    /** Sends a frame. Loop thread only. */
    public void send(ClientFrame frame) {
        if (conn != null) {
            conn.send(FrameCodec.encode(frame));
        }
    }

    /** Sends an already encoded line ('\n' included). Loop thread only. */
    public void sendRaw(byte[] line) {
        if (conn != null) {
            conn.send(line);
        }
    }

    /** Closes the connection without a logout. Loop thread only. */
    public void close() {
        state = State.CLOSED;
        if (conn != null) {
            conn.close();
        }
    }

    @Override
    public void connected(Conn c) {
        conn = c;
        connectedAt = System.nanoTime();
        if (mode == Mode.LOGIN) {
            sendLogin();
        } else {
            state = State.REGISTERING;
            registerSent = System.nanoTime();
            send(new ClientFrame.Register(username, password, dialect == Dialect.LEVEL1 ? null : 2));
        }
    }

    @Override
    public void line(Conn c, byte[] buf, int off, int len) {
        String line = new String(buf, off, len, StandardCharsets.UTF_8);
        String type = Fields.string(line, "type");
        if ("ping".equals(type)) {
            if (dialect != Dialect.LEVEL1) {
                c.send(PONG); // the old server pings only to find dead sockets and knows no pong
            }
            return;
        }
        if (dialect == Dialect.LEVEL1 && state != State.ONLINE && "user_status".equals(type)) {
            return; // another login's broadcast can reach this socket before its own login_response
        }
        switch (state) {
            case REGISTERING -> onRegisterAnswer(type, line);
            case LOGGING_IN -> onLoginAnswer(type, line);
            case REPLAYING -> {
                if ("replay_done".equals(type)) {
                    state = State.ONLINE;
                    readyAt = System.nanoTime();
                    replayCount = Fields.number(line, "count", 0);
                    listener.ready(this);
                } else {
                    listener.frame(this, type, line);
                }
            }
            case ONLINE -> listener.frame(this, type, line);
            default -> {
                // CONNECTING cannot read; CLOSED ignores what is still arriving
            }
        }
    }

    @Override
    public void closed(Conn c, String reason) {
        if (conn == null) {
            conn = c;
        }
        State was = state;
        state = State.CLOSED;
        if (reason != null && was != State.CLOSED) {
            listener.failed(this, was == State.ONLINE || was == State.REPLAYING ? "connection lost: " + reason : reason);
        }
    }

    private void onRegisterAnswer(String type, String line) {
        if (!"register_response".equals(type)) {
            fail(describe(type, line));
            return;
        }
        registered = System.nanoTime();
        String status = Fields.string(line, "status");
        String code = Fields.string(line, "code");
        // user_exists: a rerun with the same --run reuses its accounts
        boolean exists = "user_exists".equals(code)
                || dialect == Dialect.LEVEL1 && LEVEL1_USER_EXISTS.equals(Fields.string(line, "message"));
        if (!"success".equals(status) && !exists) {
            fail("register: " + reason(code, line));
            return;
        }
        if (mode == Mode.REGISTER_ONLY) {
            state = State.CLOSED;
            listener.ready(this);
            conn.close();
            return;
        }
        sendLogin();
    }

    private void onLoginAnswer(String type, String line) {
        if (!"login_response".equals(type)) {
            fail(describe(type, line));
            return;
        }
        loginAnswered = System.nanoTime();
        if (!"success".equals(Fields.string(line, "status"))) {
            retryAfterMs = Fields.number(line, "retry_after_ms", -1);
            fail("login: " + reason(Fields.string(line, "code"), line));
            return;
        }
        if (dialect == Dialect.LEVEL1) { // no replay_done: online now (the old server sends what was pending right after)
            state = State.ONLINE;
            readyAt = loginAnswered;
            replayCount = 0;
            listener.ready(this);
            return;
        }
        String issued = Fields.string(line, "token");
        if (issued != null) {
            token = issued;
        }
        state = State.REPLAYING;
    }

    private void sendLogin() {
        state = State.LOGGING_IN;
        loginSent = System.nanoTime();
        if (dialect == Dialect.LEVEL3) {
            send(new ClientFrame.Login(username, token == null ? password : null, token, 3, device, null));
        } else if (token != null && dialect == Dialect.LEVEL2) {
            send(new ClientFrame.Login(username, null, token, 2));
        } else {
            send(new ClientFrame.Login(username, password, null, dialect == Dialect.LEVEL1 ? null : 2));
        }
    }

    /** A failed answer's `code`; the old server has none, only a `message` in Portuguese. */
    private String reason(String code, String line) {
        return code != null || dialect != Dialect.LEVEL1 ? code : Fields.string(line, "message");
    }

    private void fail(String reason) {
        state = State.CLOSED;
        listener.failed(this, reason);
        conn.close();
    }

    /** An unexpected frame, shortened to its type and code: failures are counted by this text. */
    private static String describe(String type, String line) {
        String code = Fields.string(line, "code");
        return "unexpected " + type + (code == null ? "" : " " + code);
    }
}
