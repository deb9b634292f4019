package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.protocol.FrameCodec;
import chat.protocol.ServerFrame;
import chat.server.ChatNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client library against a real node over real TCP, including the node going away and coming back. */
class ChatClientTest {

    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dataDir;

    private ChatNode node;
    private final List<ChatClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::close);
        if (node != null) {
            node.close();
        }
    }

    private ChatClient client(Recorder recorder) {
        return client(recorder, Connector.tcp(null));
    }

    private ChatClient client(Recorder recorder, Connector connector) {
        // quick retries: a test should not wait out a real backoff
        ChatClient c = new ChatClient("127.0.0.1", node.port(), connector, new Backoff(100, 400, new Random(1)));
        c.addListener(recorder);
        clients.add(c);
        return c;
    }

    private ChatClient signedUp(String user, Recorder recorder, Connector connector) throws Exception {
        ChatClient c = client(recorder, connector);
        c.register(user, PASSWORD).get(10, TimeUnit.SECONDS);
        c.signIn(user, PASSWORD).get(10, TimeUnit.SECONDS);
        return c;
    }

    /** Real TCP connections that are lost just before a line for which `which` holds, as if the network failed there. */
    private static Connector losingTheConnectionBefore(Predicate<String> which) {
        return (host, port, listener) -> Connector.tcp(null).open(host, port, new Connection.Listener() {
            @Override
            public void onLine(Connection from, String line) {
                if (which.test(line)) {
                    from.close(); // the line is never read; the reader reports the loss
                } else {
                    listener.onLine(from, line);
                }
            }

            @Override
            public void onClosed(Connection from, ConnectionState.Cause cause, String reason) {
                listener.onClosed(from, cause, reason);
            }
        });
    }

    private ChatClient signedUp(String user, Recorder recorder) throws Exception {
        ChatClient c = client(recorder);
        c.register(user, PASSWORD).get(10, TimeUnit.SECONDS);
        c.signIn(user, PASSWORD).get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void sendAckReceiveAndReceipts() throws Exception {
        node = LocalNode.start(dataDir, 0);
        Recorder aliceHears = new Recorder();
        Recorder bobHears = new Recorder();
        ChatClient alice = signedUp("alice", aliceHears);
        signedUp("bob", bobHears);
        Outgoing out = alice.send("bob", "oi, tudo bem? 🎉");
        ServerFrame.MessageAck ack = out.acked().get(10, TimeUnit.SECONDS);
        assertThat(ack.id()).isEqualTo(out.id());
        ServerFrame.Message got = Recorder.await(bobHears.messages, m -> m.msgId() == ack.msgId());
        assertThat(got.sender()).isEqualTo("alice");
        assertThat(got.content()).isEqualTo("oi, tudo bem? 🎉");
        // bob's client acks by itself: alice hears it was delivered
        Recorder.await(aliceHears.receipts, r -> r.status().equals("delivered") && r.msgId() == ack.msgId());
        assertThat(alice.outbox().get()).isEmpty();
    }

    @Test
    void readMarksAndQuestions() throws Exception {
        node = LocalNode.start(dataDir, 0);
        Recorder aliceHears = new Recorder();
        ChatClient alice = signedUp("alice", aliceHears);
        Recorder bobHears = new Recorder();
        ChatClient bob = signedUp("bob", bobHears);
        long id = alice.send("bob", "read me").acked().get(10, TimeUnit.SECONDS).msgId();
        Recorder.await(bobHears.messages, m -> m.msgId() == id);
        bob.markRead("alice", id);
        Recorder.await(aliceHears.receipts, r -> r.status().equals("read") && r.upTo() == id);

        assertThat(bob.history("alice", null, 10).get(10, TimeUnit.SECONDS).messages())
                .map(ServerFrame.Message.class::cast).extracting(ServerFrame.Message::content).containsExactly("read me");
        assertThat(bob.conversations(10).get(10, TimeUnit.SECONDS)).extracting(ServerFrame.Conversation::peer)
                .containsExactly("alice");
        assertThat(bob.users("al", 10).get(10, TimeUnit.SECONDS)).extracting(ServerFrame.UserInfo::username)
                .containsExactly("alice");
        assertThat(bob.contacts().get(10, TimeUnit.SECONDS)).extracting(ServerFrame.UserInfo::username)
                .containsExactly("alice");
        assertThatThrownBy(() -> bob.addContact("nobody").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ServerRefused.class);
        assertThat(bob.removeContact("alice").get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void signInFailuresSayWhy() throws Exception {
        node = LocalNode.start(dataDir, 0);
        ChatClient c = client(new Recorder());
        c.register("carol", PASSWORD).get(10, TimeUnit.SECONDS);
        assertThat(code(() -> c.register("Carol", PASSWORD).get(10, TimeUnit.SECONDS))).isEqualTo("user_exists");
        assertThat(code(() -> c.register("no spaces", PASSWORD).get(10, TimeUnit.SECONDS))).isEqualTo("invalid_username");
        assertThat(code(() -> c.signIn("carol", "wrong password").get(10, TimeUnit.SECONDS))).isEqualTo("bad_credentials");
        assertThat(c.state()).isInstanceOf(ConnectionState.SignedOut.class);
        c.signIn("carol", PASSWORD).get(10, TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(new ConnectionState.Online("carol"));

        ChatClient nowhere = new ChatClient("127.0.0.1", 1);
        clients.add(nowhere);
        assertThatThrownBy(() -> nowhere.signIn("carol", PASSWORD).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(Offline.class);
    }

    @Test
    void afterTheNodeRestartsTheOutboxGoesOutOnceAndRedeliveriesAreDropped() throws Exception {
        node = LocalNode.start(dataDir, 0);
        int port = node.port();
        Recorder aliceHears = new Recorder();
        Recorder bobHears = new Recorder();
        ChatClient alice = signedUp("alice", aliceHears);
        ChatClient bob = signedUp("bob", bobHears);

        // bob receives a message and the node dies before his ack can leave: it will come again
        bob.addListener(new ChatListener() {
            @Override
            public void onMessage(ServerFrame.Message m) {
                if (m.content().equals("before the restart") && node != null) {
                    node.close(); // synchronous, on bob's client thread: his ack flush runs after it
                    node = null;
                }
            }
        });
        long first = alice.send("bob", "before the restart").acked().get(10, TimeUnit.SECONDS).msgId();
        Recorder.await(bobHears.messages, m -> m.msgId() == first);
        Recorder.awaitState(alice, ConnectionState.Reconnecting.class);
        Recorder.awaitState(bob, ConnectionState.Reconnecting.class);

        Outgoing offline = alice.send("bob", "typed while the server was down");
        assertThat(alice.outbox().get()).extracting(Outgoing::id).containsExactly(offline.id());

        node = LocalNode.start(dataDir, port);
        ServerFrame.MessageAck ack = offline.acked().get(30, TimeUnit.SECONDS);
        Recorder.awaitState(bob, ConnectionState.Online.class);
        Recorder.await(bobHears.messages, m -> m.msgId() == ack.msgId());
        assertThat(bobHears.messages).extracting(ServerFrame.Message::content)
                .containsExactly("before the restart", "typed while the server was down");
        assertThat(bob.history("alice", null, 50).get(10, TimeUnit.SECONDS).messages()).hasSize(2);
        // the node did send "before the restart" again, and bob's client dropped that copy
        assertThat(bob.duplicatesDropped()).isPositive();
        // the redelivered copy was acked this time: nothing is pending for bob any more
        Recorder.await(aliceHears.receipts, r -> r.msgId() != null && r.msgId() == first);
    }

    @Test
    void aMessageStoredJustBeforeTheConnectionDropsGoesOutAgainWithItsIdAndIsKeptOnce() throws Exception {
        node = LocalNode.start(dataDir, 0);
        Recorder bobHears = new Recorder();
        ChatClient bob = signedUp("bob", bobHears);
        Recorder aliceHears = new Recorder();
        // the node stores alice's message and acks it, but her connection dies before she reads the ack
        AtomicReference<String> lostAck = new AtomicReference<>();
        ChatClient alice = signedUp("alice", aliceHears,
                losingTheConnectionBefore(line -> line.contains("\"message_ack\"") && lostAck.compareAndSet(null, line)));

        Outgoing out = alice.send("bob", "stored, then the line went down");
        ServerFrame.MessageAck ack = out.acked().get(30, TimeUnit.SECONDS);

        assertThat(lostAck.get()).as("the first ack was lost").isNotNull();
        assertThat(aliceHears.states).anyMatch(ConnectionState.Reconnecting.class::isInstance);
        ServerFrame.MessageAck first = (ServerFrame.MessageAck) FrameCodec.decodeServer(lostAck.get());
        // after the reconnect the outbox sent it again with the same id, and the node answered for the same message
        assertThat(first.id()).isEqualTo(out.id());
        assertThat(ack.id()).isEqualTo(out.id());
        assertThat(ack.msgId()).isEqualTo(first.msgId());
        assertThat(bob.history("alice", null, 50).get(10, TimeUnit.SECONDS).messages())
                .map(ServerFrame.Message.class::cast).extracting(ServerFrame.Message::content).containsExactly("stored, then the line went down");
        Recorder.await(bobHears.messages, m -> m.msgId() == ack.msgId());
        assertThat(bobHears.messages).hasSize(1);
    }

    @Test
    void keystrokesBecomeTypingAtThePeerAndStopAfterFiveQuietSeconds() throws Exception {
        // a long TTL: within this test only alice's stop_typing can end her typing
        node = LocalNode.start(dataDir, 0, Map.of("chat.typing.ttl", "60s"));
        Recorder bobHears = new Recorder();
        signedUp("bob", bobHears);
        ChatClient alice = signedUp("alice", new Recorder());
        AtomicLong now = new AtomicLong(1_000_000);
        TypingNotifier keyboard = new TypingNotifier(new TypingNotifier.Sink() {
            @Override
            public void typing(String peer) {
                alice.typing(peer);
            }

            @Override
            public void stopped(String peer) {
                alice.stopTyping(peer);
            }
        }, now::get);

        keyboard.edited("bob", false);
        Recorder.await(bobHears.typing, t -> t.from().equals("alice") && t.status().equals("typing"));
        now.addAndGet(TypingNotifier.REFRESH_MS);
        keyboard.edited("bob", false); // a refresh: the node passes on only changes
        now.addAndGet(TypingNotifier.IDLE_MS);
        keyboard.tick();
        Recorder.await(bobHears.typing, t -> t.from().equals("alice") && t.status().equals("stopped"));
        assertThat(bobHears.typing).extracting(ServerFrame.TypingNotification::status).containsExactly("typing", "stopped");
    }

    @Test
    void eventsRightAfterSignInAreHeldForAListenerThatComesLater() throws Exception {
        node = LocalNode.start(dataDir, 0);
        ChatClient alice = signedUp("alice", new Recorder());
        ChatClient bob = client(new Recorder());
        bob.register("bob", PASSWORD).get(10, TimeUnit.SECONDS);
        long id = alice.send("bob", "waiting for you").acked().get(10, TimeUnit.SECONDS).msgId();

        // bob's window (the late listener) is made only after sign-in, when the replay may be over
        HeldEvents held = new HeldEvents();
        bob.addListener(held);
        Recorder direct = new Recorder();
        bob.addListener(direct);
        bob.signIn("bob", PASSWORD).get(10, TimeUnit.SECONDS);
        Recorder.await(direct.messages, m -> m.msgId() == id); // the replay has happened
        Recorder window = new Recorder();
        held.release(window);
        assertThat(window.messages).extracting(ServerFrame.Message::msgId).containsExactly(id);

        Outgoing live = alice.send("bob", "and now live");
        Recorder.await(window.messages, m -> m.content().equals("and now live"));
        assertThat(live.acked().get(10, TimeUnit.SECONDS).msgId()).isGreaterThan(id);
        assertThat(window.messages).hasSize(2);
    }

    @Test
    void overTlsWithATrustStoreAndRefusedWithoutOne(@TempDir Path certDir) throws Exception {
        Path[] cert = LocalNode.devCertificate(certDir);
        node = LocalNode.start(dataDir, 0, Map.of("chat.server.tls.enabled", true, "chat.server.tls.port", 0,
                "chat.server.tls.keystore", cert[0].toString(), "chat.server.tls.keystore-password", "changeit"));
        int tlsPort = node.tlsAddress().getPort();
        Recorder hears = new Recorder();
        ChatClient secure = new ChatClient("127.0.0.1", tlsPort, Connector.tcp(TrustStores.from(cert[1], "changeit".toCharArray())),
                new Backoff(100, 400, new Random(1)));
        clients.add(secure);
        secure.addListener(hears);
        secure.register("tess", PASSWORD).get(10, TimeUnit.SECONDS);
        secure.signIn("tess", PASSWORD).get(10, TimeUnit.SECONDS);
        assertThat(secure.send("tess", "note to self, encrypted").acked().get(10, TimeUnit.SECONDS).msgId()).isPositive();
        Recorder.await(hears.messages, m -> m.content().equals("note to self, encrypted"));

        ChatClient untrusting = new ChatClient("127.0.0.1", tlsPort, Connector.tcp(TrustStores.systemDefault()),
                new Backoff(100, 400, new Random(1)));
        clients.add(untrusting);
        assertThatThrownBy(() -> untrusting.signIn("tess", PASSWORD).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(Offline.class).hasMessageContaining("no secure connection");
    }

    @Test
    void aLineOverTheLimitClosesTheConnectionWithAClearErrorInsteadOfPassingAFragmentOn() throws Exception {
        node = LocalNode.start(dataDir, 0);
        ChatClient alice = signedUp("alice", new Recorder());
        Recorder bobHears = new Recorder();
        // bob's connections read lines of at most 64 KiB: each message fits, a history page of five does not
        ChatClient bob = signedUp("bob", bobHears, Connector.tcp(null, 64 * 1024));
        String big = "x".repeat(16_000);
        for (int i = 0; i < 5; i++) {
            long id = alice.send("bob", big + i).acked().get(10, TimeUnit.SECONDS).msgId();
            Recorder.await(bobHears.messages, m -> m.msgId() == id);
        }

        assertThatThrownBy(() -> bob.history("alice", null, 50).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(Offline.class).hasMessageContaining("line longer than 65536 bytes");
        ConnectionState.Reconnecting why = (ConnectionState.Reconnecting) Recorder.await(bobHears.states,
                s -> s instanceof ConnectionState.Reconnecting r && r.cause() == ConnectionState.Cause.LINE_TOO_LONG);
        assertThat(why.reason()).contains("longer than 65536 bytes");
        // the client reconnects as after any loss, and answers that fit are read again
        Recorder.awaitState(bob, ConnectionState.Online.class);
        assertThat(bob.history("alice", null, 2).get(10, TimeUnit.SECONDS).messages())
                .map(ServerFrame.Message.class::cast).extracting(ServerFrame.Message::content).containsExactly(big + 3, big + 4);
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static String code(Call call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServerRefused r) {
                return r.code();
            }
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no failure");
    }

}
