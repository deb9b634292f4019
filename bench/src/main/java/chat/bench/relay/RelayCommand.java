package chat.bench.relay;

import chat.bench.Args;
import chat.bench.Progress;
import chat.bench.Table;
import java.util.List;
import java.util.Set;

/** `relay-server`: the bare relay as a process of its own, to be loaded like the node. */
public final class RelayCommand {

    public static final String SERVER_USAGE = """
            relay-server [--host H] [--port P] [--threads T]
              A bare JSON-lines relay (see RelayServer): point `throughput --target relay --port P` at it.
              --host H     default 127.0.0.1
              --port P     default 12347 (0: any free port)
              --threads T  selector threads (default 2, one per core of this machine)""";

    private RelayCommand() {
    }

    public static void server(List<String> argv) {
        Args args = Args.parse(argv, Set.of("host", "port", "threads"), Set.of());
        String host = args.string("host", "127.0.0.1");
        int threads = args.integer("threads", 2, 1, 64);
        RelayServer relay = RelayServer.start(host, args.integer("port", 12347, 0, 65535), threads);
        Progress progress = new Progress();
        progress.line("relay listening on " + host + ":" + relay.port() + " (" + threads + " threads)");
        long lastRelayed = 0;
        long lastNanos = System.nanoTime();
        while (true) { // until the process is killed
            Progress.sleep(5_000);
            long relayed = relay.relayed();
            long now = System.nanoTime();
            if (relayed != lastRelayed) {
                progress.line("relayed " + Table.count(relayed) + " ("
                        + Table.decimal((relayed - lastRelayed) / ((now - lastNanos) / 1e9)) + "/s), "
                        + relay.online() + " users online, " + Table.count(relay.unrouted()) + " unrouted");
            }
            lastRelayed = relayed;
            lastNanos = now;
        }
    }
}
