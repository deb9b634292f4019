package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.session.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every session gets one heartbeat per interval, a share of them per tick, never all in one tick. */
class PingScheduleTest {

    private static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void oneRoundOfTicksReachesEverySessionOnceAFewAtATime() {
        PingSchedule schedule = new PingSchedule(Duration.ofSeconds(15), Duration.ofMillis(100));
        assertThat(schedule.tick()).isEqualTo(Duration.ofMillis(100));
        List<ActorRef<Session.Control>> sessions = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            ActorRef<Session.Control> ref = kit.<Session.Control>createTestProbe().getRef();
            sessions.add(ref);
            schedule.add(ref);
        }
        ActorRef<Session.Control> gone = sessions.remove(0);
        schedule.remove(gone);
        assertThat(schedule.size()).isEqualTo(2999);

        Map<ActorRef<Session.Control>, Integer> pinged = new HashMap<>();
        int largestTick = 0;
        for (int t = 0; t < 150; t++) { // 15 s / 100 ms: one interval
            var due = schedule.due();
            largestTick = Math.max(largestTick, due.size());
            due.forEach(s -> pinged.merge(s, 1, Integer::sum));
        }
        assertThat(pinged).doesNotContainKey(gone);
        assertThat(pinged.keySet()).containsExactlyInAnyOrderElementsOf(sessions);
        assertThat(pinged.values()).containsOnly(1);
        // 20 per tick on average; one round for all would be 2,999
        assertThat(largestTick).isLessThan(100);
    }

    @Test
    void anIntervalShorterThanATickIsOneSlot() {
        PingSchedule schedule = new PingSchedule(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(schedule.tick()).isEqualTo(Duration.ofMillis(50));
    }
}
