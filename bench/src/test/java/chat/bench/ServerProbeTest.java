package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ServerProbeTest {

    @Test
    void readsResidentMemoryFromProcStatus() {
        String status = "Name:\tjava\nVmHWM:\t  300000 kB\nVmRSS:\t  262144 kB\nThreads:\t42\n";
        assertThat(ServerProbe.parseStatusField(status, "VmRSS")).hasValue(262_144L * 1024);
        assertThat(ServerProbe.parseStatusField(status, "VmHWM")).hasValue(300_000L * 1024);
        assertThat(ServerProbe.parseStatusField(status, "VmSwap")).isEmpty();
    }

    @Test
    void readsCpuTimeAfterACommandNameWithSpacesAndParentheses() {
        // fields 14 and 15 are utime 250 and stime 50 ticks: 3 s at 100 ticks per second
        String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 500 0 0";
        assertThat(ServerProbe.parseStatCpuNanos(stat)).hasValue(3_000_000_000L);
    }

    @Test
    void readsUsedHeapOfEveryCollectorShape() {
        String g1 = "1234:\n garbage-first heap   total 262144K, used 41234K [0x0000000700000000, 0x0000000800000000)\n"
                + "  region size 2048K, 5 young (10240K), 0 survivors (0K)\n"
                + " Metaspace       used 12345K, committed 12800K, reserved 1114112K\n";
        assertThat(ServerProbe.parseHeapUsed(g1)).hasValue(41_234L * 1024);
        String parallel = " PSYoungGen      total 76288K, used 3932K [0x1, 0x2)\n  eden space 65536K, 6% used\n"
                + " ParOldGen       total 175104K, used 1000K [0x3, 0x4)\n";
        assertThat(ServerProbe.parseHeapUsed(parallel)).hasValue(4_932L * 1024);
        assertThat(ServerProbe.parseHeapUsed("1234: Could not attach")).isEqualTo(OptionalLong.empty());
    }
}
