package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsColumnsAndRightAlignsNumbers() {
        String out = new Table("step", "sent", "p99")
                .row("warm-up", "1,000", "12.5 ms")
                .row("run", "25,000", "0.412 ms")
                .render();
        assertThat(out).isEqualTo("""
                step       sent       p99
                -------  ------  --------
                warm-up   1,000   12.5 ms
                run      25,000  0.412 ms
                """);
    }

    @Test
    void textColumnsStayLeftAligned() {
        String out = Table.keyValue().row("failures", "none").row("sessions", "200").render();
        assertThat(out.lines()).containsExactly("metric    value", "--------  -----", "failures  none", "sessions  200");
    }

    @Test
    void formatsForReading() {
        assertThat(Table.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(Table.millis(0.41234)).isEqualTo("0.412 ms");
        assertThat(Table.millis(1234.5)).isEqualTo("1,235 ms");
        assertThat(Table.bytes(3 * 1024 * 1024 * 5)).isEqualTo("15.0 MiB");
        assertThat(Table.decimal(5000.4)).isEqualTo("5,000");
        assertThat(Table.looksNumeric("97%")).isTrue();
        assertThat(Table.looksNumeric("none")).isFalse();
    }
}
