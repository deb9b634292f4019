package chat.bench.net;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A fixed set of {@link Loop}s; connections are dealt to them in turn. */
public final class Net implements AutoCloseable {

    private final List<Loop> loops = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    public Net(int threads, String name) {
        for (int i = 0; i < threads; i++) {
            loops.add(new Loop(name + "-" + i));
        }
    }

    public Loop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    public List<Loop> loops() {
        return loops;
    }

    @Override
    public void close() {
        loops.forEach(Loop::shutdown);
    }
}
