package chat.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import chat.bench.Common;
import chat.bench.Progress;
import chat.bench.net.Sources;
import chat.bench.relay.RelayServer;
import org.junit.jupiter.api.Test;

/** The whole generator path (NIO loops, logins, schedule, receivers, loss accounting) against the in-process relay. */
class TrafficTest {

    @Test
    void everyMessageSentArrivesOnceAndIsCounted() {
        try (RelayServer relay = RelayServer.start("127.0.0.1", 0, 1)) {
            Common common = new Common("127.0.0.1", relay.port(), Sources.loopback(1), 4, "t1", Common.PASSWORD);
            try (Traffic traffic = new Traffic(common, 2, 64, Target.RELAY, new Progress("test "))) {
                Step step = traffic.run("run", 200, 0.5, 10, new Progress("test "), null);
                assertThat(step.sent.sum()).isEqualTo(100); // 200/s for half a second, on the schedule
                assertThat(step.received.sum()).isEqualTo(100);
                assertThat(step.lost).isZero();
                assertThat(step.duplicates.sum()).isZero();
                assertThat(step.misrouted.sum()).isZero();
                assertThat(step.latency.count()).isEqualTo(100);
                assertThat(traffic.disconnects()).isZero();
            }
            assertThat(relay.relayed()).isEqualTo(100);
        }
    }
}
