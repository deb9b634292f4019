package chat.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import com.typesafe.config.Config;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's resident memory close to what it uses. A login storm makes G1 grow the heap;
 * by default it keeps up to 70% of it free afterwards, and at 19,000 sessions that slack is most of
 * the process. These flags are "manageable" (settable at run time), so the node sets them itself
 * — unless they were given on the command line, which always wins.
 */
final class JvmMemory {

    private static final Logger LOG = LoggerFactory.getLogger(JvmMemory.class);

    private JvmMemory() {
    }

    static void tune(Config config) {
        Config c = config.getConfig("chat.jvm");
        if (!c.getBoolean("tune-heap")) {
            return;
        }
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotspot == null) {
            return;
        }
        set(hotspot, "MinHeapFreeRatio", c.getInt("min-heap-free-ratio"));
        set(hotspot, "MaxHeapFreeRatio", c.getInt("max-heap-free-ratio"));
        set(hotspot, "G1PeriodicGCInterval", c.getDuration("periodic-gc-interval").toMillis());
    }

    private static void set(HotSpotDiagnosticMXBean hotspot, String flag, long value) {
        try {
            VMOption option = hotspot.getVMOption(flag);
            if (option.getOrigin() == VMOption.Origin.DEFAULT) {
                hotspot.setVMOption(flag, Long.toString(value));
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot set {}: {}", flag, e.getMessage());
        }
    }
}
