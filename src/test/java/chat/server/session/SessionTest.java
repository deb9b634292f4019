package chat.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ClientFrame;
import chat.protocol.ServerFrame;
import chat.server.Settings;
import chat.server.accounts.Accounts;
import chat.server.groups.Group;
import chat.server.mailbox.Mailbox;
import chat.server.mailbox.Mailboxes;
import chat.server.net.ConnectionFlow;
import chat.server.presence.Presence;
import chat.server.presence.SessionNotice;
import chat.server.testing.TestSettings;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session state machine over a real socket, with the node around it replaced by probes: the
 * test plays Accounts, Presence and the Mailbox and watches what the session asks and writes.
 */
class SessionTest {

    private static final ActorTestKit kit = ActorTestKit.create();
    private static final int PAGE = 4;

    private TestProbe<Mailbox.Command> mailbox;
    private TestProbe<Accounts.Command> accounts;
    private TestProbe<Presence.Command> presence;
    private TestProbe<Group.Command> groups;
    private Tcp.ServerBinding binding;
    private final LinkedBlockingQueue<ActorRef<Session.Command>> sessions = new LinkedBlockingQueue<>();
    /** The session as Presence sees it (from the last Connect): notices go there, as they would from Presence. */
    private ActorRef<SessionNotice> notices;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void bind() throws Exception {
        mailbox = kit.createTestProbe();
        accounts = kit.createTestProbe();
        presence = kit.createTestProbe();
        groups = kit.createTestProbe();
        Settings settings = TestSettings.with(Map.of("chat.replay.page-size", PAGE, "chat.limits.max-in-flight-sends", 2,
                "chat.limits.outbound-frames", 16));
        Services services = new Services(settings, Mailboxes.local(List.of(mailbox.ref())), accounts.ref(), null, user -> presence.ref(),
                groupId -> groups.ref(), Clock.systemUTC());
        binding = Tcp.get(kit.system()).bind("127.0.0.1", 0)
                .to(Sink.foreach(c -> {
                    ActorRef<Session.Command> s = kit.spawn(Session.create(services));
                    s.tell(new Session.Attach(ConnectionFlow.opener(c, settings.limits(), new LongAdder(), Materializer.matFromSystem(kit.system()))));
                    sessions.add(s);
                }))
                .run(Materializer.matFromSystem(kit.system()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void unbind() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private WireClient client() {
        WireClient c = WireClient.connect(binding.localAddress().getPort());
        open.add(c);
        return c;
    }

    private ActorRef<Session.Command> session() throws InterruptedException {
        ActorRef<Session.Command> s = sessions.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a session for the connection").isNotNull();
        return s;
    }

    private static ServerFrame.Message message(long id, String content) {
        return new ServerFrame.Message(id, null, "bob", "alice", content, "2026-11-25 10:00:00", 1000 + id, null);
    }

    /** Plays the node through a level 2 login of alice; returns the session. */
    private ActorRef<Session.Command> loggedIn(WireClient c) throws InterruptedException {
        c.send("login", "username", "alice", "password", "secret123", "version", 2);
        ActorRef<Session.Command> session = session();
        Accounts.Login login = accounts.expectMessageClass(Accounts.Login.class);
        assertThat(login.frame()).isEqualTo(new ClientFrame.Login("alice", "secret123", null, 2));
        assertThat(login.address()).isEqualTo("127.0.0.1");
        login.replyTo().tell(new Accounts.LoggedIn("alice", "tok-1"));
        Presence.Connect connect = presence.expectMessageClass(Presence.Connect.class);
        assertThat(connect.level()).isEqualTo(2);
        c.expectNothing(Duration.ofMillis(200)); // no answer until Presence has the session
        notices = connect.session();
        notices.tell(new SessionNotice.Connected());
        JsonNode response = c.expect("login_response");
        assertThat(response.path("token").asText()).isEqualTo("tok-1");
        return session;
    }

    /** The Mailbox answers the login's replay: nothing pending, no receipts kept. */
    private void replayNothing() {
        mailbox.expectMessageClass(Mailbox.FetchPending.class).replyTo().tell(new Mailbox.PendingPage(0, List.of(), false));
        mailbox.expectMessageClass(Mailbox.FetchReceipts.class).replyTo().tell(new Mailbox.ReceiptPage(0, List.of(), false));
    }

    @Test
    void aLoginGoesThroughAccountsThenPresenceThenReplaysInPagesPacedByTheSocket() throws Exception {
        WireClient c = client();
        loggedIn(c);
        Mailbox.FetchPending first = mailbox.expectMessageClass(Mailbox.FetchPending.class);
        assertThat(first.user()).isEqualTo("alice");
        assertThat(first.afterMsgId()).isZero();
        assertThat(first.limit()).isEqualTo(PAGE);
        first.replyTo().tell(new Mailbox.PendingPage(first.afterMsgId(), List.of(message(1, "a"), message(2, "b"), message(3, "c"),
                message(4, "d")), false));
        Mailbox.FetchPending second = mailbox.expectMessageClass(Mailbox.FetchPending.class);
        assertThat(second.afterMsgId()).isEqualTo(4); // keyset: after the last one sent
        second.replyTo().tell(new Mailbox.PendingPage(second.afterMsgId(), List.of(message(6, "e")), false));
        mailbox.expectMessageClass(Mailbox.FetchReceipts.class).replyTo()
                .tell(new Mailbox.ReceiptPage(0, List.of(), false));
        for (String content : List.of("a", "b", "c", "d", "e")) {
            assertThat(c.expect("message").path("content").asText()).isEqualTo(content);
        }
        assertThat(c.expect("replay_done").path("count").asLong()).isEqualTo(5);
    }

    @Test
    void liveMessagesDuringTheReplayComeAfterItAndNeverTwice() throws Exception {
        WireClient c = client();
        ActorRef<Session.Command> session = loggedIn(c);
        Mailbox.FetchPending fetch = mailbox.expectMessageClass(Mailbox.FetchPending.class);
        notices.tell(new SessionNotice.Deliver(message(2, "also in the backlog")));
        notices.tell(new SessionNotice.Deliver(message(7, "live")));
        fetch.replyTo().tell(new Mailbox.PendingPage(fetch.afterMsgId(), List.of(message(1, "old"), message(2, "also in the backlog")), false));
        mailbox.expectMessageClass(Mailbox.FetchReceipts.class).replyTo().tell(new Mailbox.ReceiptPage(0, List.of(), false));
        assertThat(c.expect("message").path("msg_id").asLong()).isEqualTo(1);
        assertThat(c.expect("message").path("msg_id").asLong()).isEqualTo(2);
        assertThat(c.expect("replay_done").path("count").asLong()).isEqualTo(2);
        assertThat(c.expect("message").path("msg_id").asLong()).isEqualTo(7);
        c.expectNothing(Duration.ofMillis(300));
        notices.tell(new SessionNotice.Deliver(message(8, "online now")));
        assertThat(c.expect("message").path("msg_id").asLong()).isEqualTo(8);
    }

    @Test
    void onlyRegisterLoginAndPingBeforeLoginAndARefusedLoginLeavesTheSessionOpen() throws Exception {
        WireClient c = client();
        c.send("message", "receiver", "bob", "content", "x");
        assertThat(c.expect("error").path("code").asText()).isEqualTo("not_authenticated");
        mailbox.expectNoMessage(Duration.ofMillis(100));
        c.send("login", "username", "alice", "password", "wrong-one", "version", 2);
        accounts.expectMessageClass(Accounts.Login.class).replyTo()
                .tell(new Accounts.LoginRefused(ServerFrame.LoginResponse.error("bad_credentials", "no")));
        assertThat(c.expect("login_response").path("code").asText()).isEqualTo("bad_credentials");
        presence.expectNoMessage(Duration.ofMillis(100));
        loggedIn(c);
    }

    @Test
    void theSendersIdentityIsTheSessionsAndTooManySendsInFlightStopReading() throws Exception {
        WireClient c = client();
        loggedIn(c);
        replayNothing();
        c.expect("replay_done");
        for (int i = 0; i < 4; i++) {
            c.send("message", "id", "m" + i, "receiver", "Bob", "content", "c" + i, "sender", "mallory");
        }
        Mailbox.Send s0 = mailbox.expectMessageClass(Mailbox.Send.class);
        Mailbox.Send s1 = mailbox.expectMessageClass(Mailbox.Send.class);
        assertThat(s0.sender()).isEqualTo("alice");
        assertThat(s0.receiver()).isEqualTo("bob");
        mailbox.expectNoMessage(Duration.ofMillis(300)); // two in flight (the limit here): the socket is not read
        s0.replyTo().tell(new Mailbox.Stored(new ServerFrame.MessageAck("m0", 1, "bob", 5, "t")));
        assertThat(mailbox.expectMessageClass(Mailbox.Send.class).clientId()).isEqualTo("m2");
        assertThat(c.expect("message_ack").path("id").asText()).isEqualTo("m0");
        assertThat(s1.clientId()).isEqualTo("m1");
    }

    @Test
    void acksFasterThanTheStoreMarksThemStopReading() throws Exception {
        WireClient c = client();
        loggedIn(c);
        replayNothing();
        c.expect("replay_done");
        for (int i = 1; i <= 34; i++) {
            c.send("ack", "msg_ids", List.of(i));
        }
        List<Mailbox.MarkDelivered> marks = new ArrayList<>();
        for (int i = 1; i <= 32; i++) {
            Mailbox.MarkDelivered d = mailbox.expectMessageClass(Mailbox.MarkDelivered.class);
            assertThat(d.receiver()).isEqualTo("alice");
            assertThat(d.msgIds()).containsExactly((long) i);
            marks.add(d);
        }
        mailbox.expectNoMessage(Duration.ofMillis(300)); // 32 marks uncommitted: the socket is not read
        marks.get(0).replyTo().tell(org.apache.pekko.Done.getInstance());
        assertThat(mailbox.expectMessageClass(Mailbox.MarkDelivered.class).msgIds()).containsExactly(33L);
    }

    @Test
    void aReplacedSessionSaysSoAndEndsAndPresenceHearsOfIt() throws Exception {
        WireClient c = client();
        ActorRef<Session.Command> session = loggedIn(c);
        notices.tell(new SessionNotice.Replaced());
        c.expect("session_replaced");
        c.expectClosed();
        Presence.Disconnect bye = presence.expectMessageClass(Presence.Disconnect.class);
        assertThat(bye.session()).isEqualTo(notices);
    }

    @Test
    void aClosedConnectionEndsTheSession() throws Exception {
        WireClient c = client();
        ActorRef<Session.Command> session = loggedIn(c);
        TestProbe<Object> watcher = kit.createTestProbe();
        c.close();
        watcher.expectTerminated(session, Duration.ofSeconds(5));
        // Presence watches the ref it was given (the session's adapter): it ends with the session
        watcher.expectTerminated(notices, Duration.ofSeconds(5));
        assertThat(presence.expectMessageClass(Presence.Disconnect.class).session()).isEqualTo(notices);
    }

    @Test
    void aPeerThatStopsReadingIsDisconnectedInsteadOfBuffered() throws Exception {
        Socket raw = new Socket("127.0.0.1", binding.localAddress().getPort());
        open.add(raw);
        raw.setReceiveBufferSize(4096);
        raw.getOutputStream().write("{\"type\":\"login\",\"username\":\"alice\",\"password\":\"secret123\",\"version\":2}\n"
                .getBytes());
        ActorRef<Session.Command> session = session();
        accounts.expectMessageClass(Accounts.Login.class).replyTo().tell(new Accounts.LoggedIn("alice", "t"));
        notices = presence.expectMessageClass(Presence.Connect.class).session();
        notices.tell(new SessionNotice.Connected());
        replayNothing();
        String big = "x".repeat(8000);
        TestProbe<Object> watcher = kit.createTestProbe();
        for (int i = 1; i <= 5000; i++) { // ~40 MB, far past what socket buffers and 16 queued frames hold
            notices.tell(new SessionNotice.Deliver(new ServerFrame.Message(i, null, "bob", "alice", big, "t", i, null)));
        }
        watcher.expectTerminated(session, Duration.ofSeconds(20));
        presence.expectMessageClass(Presence.Disconnect.class);
        InputStream in = raw.getInputStream();
        byte[] buf = new byte[65536];
        long read = 0;
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                read += n;
            }
        } catch (java.net.SocketException reset) {
            // an overflow aborts the connection: what was queued for it is dropped, not flushed
        }
        assertThat(read).as("the connection was closed long before everything was written").isLessThan(5000L * 8000);
    }
}
