package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typing debounce on a clock the test moves by hand. */
class TypingNotifierTest {

    private long now = 1_000_000;
    private final List<String> sent = new ArrayList<>();
    private final TypingNotifier typing = new TypingNotifier(new TypingNotifier.Sink() {
        @Override
        public void typing(String peer) {
            sent.add("typing " + peer + " @" + (now - 1_000_000));
        }

        @Override
        public void stopped(String peer) {
            sent.add("stop " + peer + " @" + (now - 1_000_000));
        }
    }, () -> now);

    private void keyAt(long ms) {
        now = 1_000_000 + ms;
        typing.edited("bob", false);
    }

    private void tickAt(long ms) {
        now = 1_000_000 + ms;
        typing.tick();
    }

    @Test
    void firstKeystrokeThenARefreshEveryThreeSecondsWhileTyping() {
        for (long t = 0; t <= 7_000; t += 250) {
            keyAt(t);
        }
        assertThat(sent).containsExactly("typing bob @0", "typing bob @3000", "typing bob @6000");
    }

    @Test
    void stopsAfterFiveSecondsWithoutAKeystroke() {
        keyAt(0);
        keyAt(1_000);
        tickAt(5_900);
        assertThat(sent).containsExactly("typing bob @0");
        tickAt(6_000);
        assertThat(sent).containsExactly("typing bob @0", "stop bob @6000");
        tickAt(9_000);
        assertThat(sent).hasSize(2);
        keyAt(10_000); // typing again starts again
        assertThat(sent).last().isEqualTo("typing bob @10000");
    }

    @Test
    void stopsOnSendOnClearingAndOnSwitchingConversation() {
        keyAt(0);
        now += 100;
        typing.sent("bob");
        keyAt(200);
        now += 100;
        typing.edited("bob", true);
        keyAt(400);
        now += 100;
        typing.edited("carol", false);
        assertThat(sent).containsExactly("typing bob @0", "stop bob @100", "typing bob @200", "stop bob @300",
                "typing bob @400", "stop bob @500", "typing carol @500");
        typing.left();
        assertThat(sent).last().isEqualTo("stop carol @500");
        typing.left();
        assertThat(sent).hasSize(8);
    }
}
