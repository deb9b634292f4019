package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeMetricsTest {

    private static final String BODY = """
            # HELP chat_commit_seconds time of one group commit
            # TYPE chat_commit_seconds histogram
            chat_commit_seconds_bucket{le="0.001"} 10
            chat_commit_seconds_sum 1.25
            chat_commit_seconds_count 40
            chat_commit_batch_size_sum 4.5E3
            """;

    @Test
    void readsAValueByItsExactName() {
        assertThat(NodeMetrics.value(BODY, "chat_commit_seconds_sum")).hasValue(1.25);
        assertThat(NodeMetrics.value(BODY, "chat_commit_seconds_count")).hasValue(40);
        assertThat(NodeMetrics.value(BODY, "chat_commit_batch_size_sum")).hasValue(4500);
    }

    @Test
    void aNameThatIsOnlyAPrefixOfAnotherIsAbsent() {
        assertThat(NodeMetrics.value(BODY, "chat_commit_seconds")).isEmpty();
        assertThat(NodeMetrics.value(BODY, "chat_commit")).isEmpty();
    }
}
