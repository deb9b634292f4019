package chat.bench.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourcesTest {

    @Test
    void dealsLoopbackAddressesFrom127002InTurn() {
        Sources s = Sources.loopback(3);
        assertThat(s.next().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(s.next().getHostAddress()).isEqualTo("127.0.0.3");
        assertThat(s.next().getHostAddress()).isEqualTo("127.0.0.4");
        assertThat(s.next().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(s.describe()).isEqualTo("127.0.0.2-127.0.0.4");
    }

    @Test
    void zeroMeansNoBinding() {
        Sources s = Sources.loopback(0);
        assertThat(s.next()).isNull();
        assertThat(s.size()).isZero();
        assertThatThrownBy(() -> Sources.loopback(251)).isInstanceOf(IllegalArgumentException.class);
    }
}
