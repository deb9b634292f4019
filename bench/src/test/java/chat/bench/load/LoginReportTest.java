package chat.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import chat.bench.Latencies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginReportTest {

    @Test
    void aChildsReportSurvivesItsOneLineAndReportsAddUp() {
        Latencies login = new Latencies();
        login.recordMicros(2_000);
        LoginReport a = new LoginReport(150, Map.of("cannot connect from 127.0.0.2: Address already in use", 2,
                "login: bad_credentials", 1), login, new Latencies(), 1_000, 3_000);
        LoginReport copy = LoginReport.decode(a.encode());
        assertThat(copy.online()).isEqualTo(150);
        assertThat(copy.failures()).isEqualTo(a.failures());
        assertThat(copy.login().count()).isEqualTo(1);

        LoginReport b = new LoginReport(50, Map.of("login: bad_credentials", 4), new Latencies(), new Latencies(), 2_000, 5_000);
        LoginReport sum = LoginReport.merge(List.of(copy, b));
        assertThat(sum.online()).isEqualTo(200);
        assertThat(sum.failed()).isEqualTo(7);
        assertThat(sum.failures()).containsEntry("login: bad_credentials", 5);
        assertThat(sum.perSecond()).isEqualTo(50.0); // 200 logins from t=1 s to t=5 s
        assertThat(sum.failureText()).startsWith("2 cannot connect");
    }

    @Test
    void noFailuresEncodeToo() {
        LoginReport r = LoginReport.decode(LoginReport.empty().encode());
        assertThat(r.failures()).isEmpty();
        assertThat(r.failureText()).isEqualTo("none");
    }
}
