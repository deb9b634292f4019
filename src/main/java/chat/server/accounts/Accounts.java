package chat.server.accounts;

import chat.protocol.ErrorCode;
import chat.protocol.ClientFrame;
import chat.protocol.DeviceIds;
import chat.protocol.ServerFrame;
import chat.protocol.Usernames;
import chat.server.Settings;
import chat.server.WorkPools;
import chat.server.ops.Metrics;
import chat.server.store.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration, login (password or token) and token revocation. Owns the login throttle; the slow
 * parts (PBKDF2, the store) run on their own pools and come back through pipeToSelf, so one slow
 * hash never holds up another user's login. Past chat.auth.max-logins-in-flight (or
 * max-password-checks-in-flight for a password), or when the checks already in flight would take
 * longer than chat.auth.max-login-wait to finish at the rate checks have been finishing, a login is
 * shed at once with a retry delay of about that drain time: a reconnect storm gets explicit, cheap
 * answers instead of a queue that outgrows the clients' patience.
 */
public final class Accounts extends AbstractBehavior<Accounts.Command> {

    public sealed interface Command {
    }

    public record Register(String username, String password, ActorRef<ServerFrame.RegisterResponse> replyTo)
            implements Command {
        @Override
        public String toString() {
            return "Register[" + username + "]";
        }
    }

    /** `address` is the remote address of the connection, for the per-address throttle. */
    public record Login(ClientFrame.Login frame, String address, ActorRef<LoginResult> replyTo) implements Command {
    }

    /** Logout: the session's token stops working; `replyTo` hears when that is committed. */
    public record Revoke(String token, ActorRef<Done> replyTo) implements Command {
        @Override
        public String toString() {
            return "Revoke[]";
        }
    }

    /** revoke_device: the device's tokens and row go; `replyTo` hears when that is committed (or failed). */
    public record ForgetDevice(String username, String device, ActorRef<Done> replyTo) implements Command {
    }

    public sealed interface LoginResult {
    }

    /** `token` only for level 2 and 3 logins; `newDevice` when this login made the device's row. */
    public record LoggedIn(String username, String token, boolean newDevice) implements LoginResult {
        public LoggedIn(String username, String token) {
            this(username, token, false);
        }

        @Override
        public String toString() {
            return "LoggedIn[" + username + "]";
        }
    }

    public record LoginRefused(ServerFrame.LoginResponse response) implements LoginResult {
    }

    /** More logins in flight than the node serves at once: answer rate_limited with `retryAfterMs`, then close. */
    public record LoginShed(long retryAfterMs) implements LoginResult {
    }

    private record Checked(String username, String address, boolean password, boolean ok, String token,
                           Throwable error, ActorRef<LoginResult> replyTo, boolean newDevice) implements Command {
        Checked(String username, String address, boolean password, boolean ok, String token,
                Throwable error, ActorRef<LoginResult> replyTo) {
            this(username, address, password, ok, token, error, replyTo, false);
        }

        @Override
        public String toString() {
            return "Checked[" + username + ", ok=" + ok + "]";
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class); // for callbacks off the actor's thread
    /** The measured rates forget with this time constant: a storm's rate, not yesterday's. */
    private static final Duration RATE_HORIZON = Duration.ofSeconds(5);
    /** However long the queue, a shed login is never told to wait longer than this (before the random share). */
    private static final long MAX_RETRY_AFTER_MS = 60_000;

    public static Behavior<Command> create(Settings.Auth settings, Settings.Devices devices, UserStore users, WorkPools pools,
                                           Clock clock) {
        return Behaviors.setup(ctx -> new Accounts(ctx, settings, devices, users, pools, clock));
    }

    private final Settings.Auth settings;
    private final Settings.Devices devices;
    private final UserStore users;
    private final WorkPools pools;
    private final Clock clock;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final Metrics metrics;
    // read by /metrics off this actor's thread
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger passwordChecks = new AtomicInteger();
    // how fast checks have been finishing: what a shed login is told to wait, and when waiting is too long
    private final LoginRate loginRate;
    private final LoginRate passwordRate;

    private Accounts(ActorContext<Command> ctx, Settings.Auth settings, Settings.Devices devices, UserStore users,
                     WorkPools pools, Clock clock) {
        super(ctx);
        this.settings = settings;
        this.devices = devices;
        this.users = users;
        this.pools = pools;
        this.clock = clock;
        this.passwords = new Passwords(settings.pbkdf2Iterations());
        this.throttle = new LoginThrottle(settings.maxFailedLogins(), settings.failedLoginWindow());
        this.metrics = Metrics.get(ctx.getSystem());
        long now = System.nanoTime();
        this.loginRate = new LoginRate(RATE_HORIZON, now);
        this.passwordRate = new LoginRate(RATE_HORIZON, now);
        metrics.gauge("chat_logins_in_flight", inFlight::get);
        metrics.gauge("chat_password_checks_in_flight", passwordChecks::get);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Register.class, this::onRegister)
                .onMessage(Login.class, this::onLogin)
                .onMessage(Checked.class, this::onChecked)
                .onMessage(Revoke.class, this::onRevoke)
                .onMessage(ForgetDevice.class, this::onForgetDevice)
                .build();
    }

    private Behavior<Command> onRegister(Register r) {
        String username = Usernames.fold(r.username());
        if (username == null) {
            r.replyTo().tell(ServerFrame.RegisterResponse.error(ErrorCode.INVALID_USERNAME,
                    "a username is 1-32 characters of letters, digits, '_', '.' and '-'"));
            return this;
        }
        if (!Usernames.validPassword(r.password())) {
            r.replyTo().tell(ServerFrame.RegisterResponse.error(ErrorCode.INVALID_PASSWORD,
                    "a password is 8 to 1024 bytes long"));
            return this;
        }
        // the reply goes straight to the session: there is no state here to update
        CompletableFuture.supplyAsync(() -> passwords.hash(r.password()), pools.auth())
                .thenApplyAsync(hash -> users.insertUser(username, hash, clock.millis()), pools.writer())
                .whenComplete((inserted, error) -> {
                    if (error != null) {
                        LOG.warn("registration of [{}] failed: {}", username, error.getMessage());
                        r.replyTo().tell(ServerFrame.RegisterResponse.error(ErrorCode.INTERNAL, "registration failed, try again"));
                    } else if (inserted) {
                        LOG.info("user [{}] registered", username);
                        r.replyTo().tell(ServerFrame.RegisterResponse.success());
                    } else {
                        r.replyTo().tell(ServerFrame.RegisterResponse.error(ErrorCode.USER_EXISTS, "that username is taken"));
                    }
                });
        return this;
    }

    private Behavior<Command> onLogin(Login l) {
        metrics.loginsReceived.increment();
        ClientFrame.Login f = l.frame();
        boolean password = f.password() != null;
        long nanos = System.nanoTime();
        // how long the checks already in flight take to finish at the rate they have been finishing
        // (0 while that rate is not known): what this login would wait behind them
        long wait = loginRate.drainMillis(inFlight.get(), nanos, 0);
        if (password) {
            wait = Math.max(wait, passwordRate.drainMillis(passwordChecks.get(), nanos, 0));
        }
        if (inFlight.get() >= settings.maxLoginsInFlight()
                || (password && passwordChecks.get() >= settings.maxPasswordChecksInFlight())
                || wait > settings.maxLoginWait().toMillis()) {
            // shed before anything costs: no hash, no store, no throttle entry (a shed login is not a failure)
            metrics.loginsShed.increment();
            long back = Math.min(MAX_RETRY_AFTER_MS, Math.max(settings.shedRetryAfter().toMillis(), wait));
            l.replyTo().tell(new LoginShed(back + ThreadLocalRandom.current().nextLong(back + 1)));
            return this;
        }
        String username = Usernames.fold(f.username());
        long now = clock.millis();
        String throttleName = username != null ? username : "";
        Duration blocked = throttle.blocked(throttleName, now);
        if (!blocked.isZero()) {
            throttle.failed(throttleName, l.address(), now);
            getContext().getLog().info("login of [{}] from {} refused: too many failures", throttleName, l.address());
            getContext().scheduleOnce(blocked, l.replyTo(), rateLimited());
            return this;
        }
        boolean level2 = f.version() != null && f.version() >= 2;
        boolean level3 = f.version() != null && f.version() >= 3;
        // a level 3 login names its device (the session checked it); levels 1 and 2 are the device `default`
        String device = level3 ? f.device() : DeviceIds.DEFAULT;
        if (username == null || (f.password() == null && !level2)) {
            refuse(throttleName, l.address(), l.replyTo());
            return this;
        }
        throttle.checking(username);
        inFlight.incrementAndGet();
        loginRate.started(nanos);
        if (password) {
            passwordChecks.incrementAndGet();
            passwordRate.started(nanos);
        }
        CompletableFuture<Boolean> verified;
        if (password) {
            verified = CompletableFuture.supplyAsync(() -> users.readPasswordHash(username), pools.reader())
                    .thenApplyAsync(stored -> checkPassword(username, f.password(), stored), pools.auth());
        } else {
            String presented = Passwords.tokenHash(f.token());
            // a token belongs to one device: presented by another, it is refused like a wrong one
            verified = CompletableFuture.supplyAsync(() -> new UserStore.TokenOwner(username, device)
                    .equals(users.readTokenOwner(presented, clock.millis())), pools.reader());
        }
        CompletableFuture<Checked> checked = verified.thenCompose(ok -> {
            if (!ok || !level2) {
                return CompletableFuture.completedFuture(new Checked(username, l.address(), password, ok, null, null, l.replyTo()));
            }
            if (f.token() != null && !level3) { // reconnecting with a token keeps it
                return CompletableFuture.completedFuture(new Checked(username, l.address(), password, true, f.token(), null, l.replyTo()));
            }
            return CompletableFuture.supplyAsync(() -> {
                long at = clock.millis();
                // the device's row: its position, its name, when it was last seen
                boolean created = level3 && users.deviceLoggedIn(username, device, DeviceIds.cleanName(f.deviceName()), at,
                        at - devices.forgetAfter().toMillis());
                if (f.token() != null) {
                    return new Checked(username, l.address(), password, true, f.token(), null, l.replyTo(), created);
                }
                String fresh = Passwords.newToken();
                users.insertToken(Passwords.tokenHash(fresh), username, device, level3, at, at + settings.tokenTtl().toMillis());
                return new Checked(username, l.address(), password, true, fresh, null, l.replyTo(), created);
            }, pools.writer());
        });
        getContext().pipeToSelf(checked, (result, error) ->
                error != null ? new Checked(username, l.address(), password, false, null, error, l.replyTo()) : result);
        return this;
    }

    /** On the auth pool: verify, and quietly re-hash a password stored with an older cost. */
    private boolean checkPassword(String username, String password, String stored) {
        boolean ok = passwords.verify(password, stored);
        if (ok && passwords.outdated(stored)) {
            String upgraded = passwords.hash(password);
            CompletableFuture.runAsync(() -> users.updatePasswordHash(username, upgraded), pools.writer());
        }
        return ok;
    }

    private Behavior<Command> onChecked(Checked c) {
        throttle.checked(c.username());
        long nanos = System.nanoTime();
        inFlight.decrementAndGet();
        loginRate.finished(nanos);
        if (c.password()) {
            passwordChecks.decrementAndGet();
            passwordRate.finished(nanos);
        }
        if (c.error() != null) {
            getContext().getLog().warn("login of [{}] failed in the store: {}", c.username(), c.error().getMessage());
            c.replyTo().tell(new LoginRefused(ServerFrame.LoginResponse.error(ErrorCode.INTERNAL, "login failed, try again")));
        } else if (c.ok()) {
            throttle.succeeded(c.username());
            c.replyTo().tell(new LoggedIn(c.username(), c.token(), c.newDevice()));
        } else {
            refuse(c.username(), c.address(), c.replyTo());
        }
        return this;
    }

    /** A failed login: bad_credentials, or past the limit rate_limited after a growing delay. */
    private void refuse(String username, String address, ActorRef<LoginResult> replyTo) {
        Duration wait = throttle.failed(username, address, clock.millis());
        getContext().getLog().info("failed login of [{}] from {}", username, address);
        if (wait.isZero()) {
            replyTo.tell(badCredentials());
        } else {
            getContext().scheduleOnce(wait, replyTo, rateLimited());
        }
    }

    private static LoginRefused rateLimited() {
        return new LoginRefused(ServerFrame.LoginResponse.error(ErrorCode.RATE_LIMITED,
                "too many failed logins; wait a minute and try again"));
    }

    private Behavior<Command> onRevoke(Revoke r) {
        String hash = Passwords.tokenHash(r.token());
        CompletableFuture.runAsync(() -> users.deleteToken(hash), pools.writer()).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn("token revocation failed: {}", e.getMessage());
            }
            r.replyTo().tell(Done.getInstance());
        });
        return this;
    }

    private Behavior<Command> onForgetDevice(ForgetDevice f) {
        CompletableFuture.runAsync(() -> users.forgetDevice(f.username(), f.device()), pools.writer()).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn("forgetting device [{}] of [{}] failed: {}", f.device(), f.username(), e.getMessage());
            }
            f.replyTo().tell(Done.getInstance());
        });
        return this;
    }

    private static LoginRefused badCredentials() {
        return new LoginRefused(ServerFrame.LoginResponse.error(ErrorCode.BAD_CREDENTIALS, "wrong username or password"));
    }
}
