package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

    private static final Set<String> VALUED = Set.of("rate", "port", "populations");
    private static final Set<String> FLAGS = Set.of("find-max");

    @Test
    void readsPositionalValuesOptionsAndFlags() {
        Args a = Args.parse(List.of("200", "--rate", "5000", "--find-max", "--port=23600"), VALUED, FLAGS);
        assertThat(a.positionalInt(0, "N", 1, 1_000_000)).isEqualTo(200);
        assertThat(a.decimal("rate", 1, 1)).isEqualTo(5000.0);
        assertThat(a.integer("port", 12346, 1, 65535)).isEqualTo(23600);
        assertThat(a.flag("find-max")).isTrue();
        assertThat(a.integer("missing", 7, 0, 10)).isEqualTo(7);
    }

    @Test
    void countsMayUseSuffixesAndUnderscores() {
        assertThat(Args.parseInt("N", "19k", 1, 1_000_000)).isEqualTo(19_000);
        assertThat(Args.parseInt("N", "1m", 1, 10_000_000)).isEqualTo(1_000_000);
        assertThat(Args.parseInt("N", "20_000", 1, 1_000_000)).isEqualTo(20_000);
    }

    @Test
    void readsCommaSeparatedLists() {
        Args a = Args.parse(List.of("--populations", "100, 1k,5000"), VALUED, FLAGS);
        assertThat(a.integers("populations", List.of(), 1, 100_000)).containsExactly(100, 1000, 5000);
    }

    @Test
    void refusesWhatWouldSilentlyChangeTheMeasurement() {
        assertThatThrownBy(() -> Args.parse(List.of("--rat", "5"), VALUED, FLAGS))
                .isInstanceOf(Args.UsageError.class).hasMessageContaining("unknown option --rat");
        assertThatThrownBy(() -> Args.parse(List.of("--rate"), VALUED, FLAGS))
                .hasMessageContaining("missing value after --rate");
        assertThatThrownBy(() -> Args.parse(List.of("--find-max=yes"), VALUED, FLAGS))
                .hasMessageContaining("takes no value");
        Args a = Args.parse(List.of("--port", "99999", "--rate", "fast"), VALUED, FLAGS);
        assertThatThrownBy(() -> a.integer("port", 1, 1, 65535)).hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> a.decimal("rate", 1, 1)).hasMessageContaining("not 'fast'");
        assertThatThrownBy(() -> Args.parse(List.of(), VALUED, FLAGS).positionalInt(0, "N", 1, 10))
                .hasMessageContaining("missing N");
    }
}
