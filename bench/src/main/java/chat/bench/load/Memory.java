package chat.bench.load;

import chat.bench.Progress;
import chat.bench.ServerProbe;
import chat.bench.Table;
import java.util.OptionalLong;

/** The node's resident memory and live heap at one moment; all empty without --server-pid. */
record Memory(OptionalLong rss, OptionalLong heap) {

    static final Memory UNKNOWN = new Memory(OptionalLong.empty(), OptionalLong.empty());

    boolean known() {
        return rss.isPresent();
    }

    /** Forces a full GC in the node first (jcmd GC.run) so the heap figure is live data only. */
    static Memory measure(ServerProbe probe, Progress progress, String when) {
        if (probe == null) {
            return UNKNOWN;
        }
        OptionalLong heap = probe.heapAfterGc();
        OptionalLong rss = probe.rss();
        progress.line("node " + when + ": RSS " + (rss.isPresent() ? Table.bytes(rss.getAsLong()) : "unknown")
                + ", heap after GC " + (heap.isPresent() ? Table.bytes(heap.getAsLong()) : "unknown (no jcmd?)"));
        return new Memory(rss, heap);
    }
}
