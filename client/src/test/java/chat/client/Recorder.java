package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records what a client hears, and waits (with a deadline) for what a test expects (the GUI tests' third people too). */
public final class Recorder implements ChatListener {

    public final List<ServerFrame.Message> messages = new CopyOnWriteArrayList<>();
    public final List<ServerFrame.Receipt> receipts = new CopyOnWriteArrayList<>();
    public final List<ServerFrame.TypingNotification> typing = new CopyOnWriteArrayList<>();
    public final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    public final List<ServerFrame.Group> groups = new CopyOnWriteArrayList<>();
    public final List<ServerFrame.GroupEvent> events = new CopyOnWriteArrayList<>();
    public final List<ServerFrame.ReadMarker> readMarkers = new CopyOnWriteArrayList<>();

    @Override
    public void onGroup(ServerFrame.Group group) {
        groups.add(group);
    }

    @Override
    public void onGroupEvent(ServerFrame.GroupEvent event) {
        events.add(event);
    }

    @Override
    public void onReadMarker(ServerFrame.ReadMarker marker) {
        readMarkers.add(marker);
    }

    @Override
    public void onMessage(ServerFrame.Message message) {
        messages.add(message);
    }

    @Override
    public void onReceipt(ServerFrame.Receipt receipt) {
        receipts.add(receipt);
    }

    @Override
    public void onTyping(ServerFrame.TypingNotification t) {
        typing.add(t);
    }

    @Override
    public void onConnection(ConnectionState state) {
        states.add(state);
    }

    public static <T> T await(List<T> list, Predicate<T> what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (T t : list) {
                if (what.test(t)) {
                    return t;
                }
            }
            pause();
        }
        throw new AssertionError("nothing matched in " + list);
    }

    public static void awaitState(ChatClient c, Class<? extends ConnectionState> state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!state.isInstance(c.state()) && System.nanoTime() < deadline) {
            pause();
        }
        assertThat(c.state()).isInstanceOf(state);
    }

    private static void pause() {
        try {
            Thread.sleep(10); // polling a condition with a deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
