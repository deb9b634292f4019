package chat.bench;

import chat.bench.load.ConnectionsCommand;
import chat.bench.load.FanoutCommand;
import chat.bench.load.DevicesCommand;
import chat.bench.load.GroupsCommand;
import chat.bench.load.ReplayCommand;
import chat.bench.load.StormCommand;
import chat.bench.load.ThroughputCommand;
import chat.bench.relay.RelayCommand;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar chat-bench.jar COMMAND [options]}: the load generator, the bare relay it is
 * compared with, and the JMH micro-benchmarks. Every command prints progress lines while it runs
 * and a table at the end.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar chat-bench.jar COMMAND [options]

            Load (against a running node; see bench/README.md for its -D settings):
              connections N        log in N users and hold them; login latency, memory per session
              throughput           sender/receiver pairs at a fixed rate; loss, duplicates, latency
              replay N             one user receives N messages sent while it was offline
              fanout               presence and typing cost as the online population grows
              reconnect-storm N    N users with tokens reconnect at once, open loop (a node restart)
              groups               a group message's fan-out and cost beside a 1:1 message (level 3)
              devices              messages to users with several devices online (level 3)
            Comparison:
              relay-server         a bare JSON-lines relay (no store, no JSON tree) to run the same load against
              relay                starts that relay in this process and runs the throughput load against it
            Micro-benchmarks:
              jmh [JMH options]    codec and store benchmarks (jmh -h lists JMH's options)

            java -jar chat-bench.jar COMMAND --help shows a command's options.""";

    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("-h") || argv[0].equals("--help") || argv[0].equals("help")) {
            System.out.println(USAGE);
            return;
        }
        String command = argv[0];
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.println(usageOf(command));
            return;
        }
        try {
            switch (command) {
                case "connections" -> ConnectionsCommand.run(rest);
                case "throughput" -> ThroughputCommand.run(rest);
                case "replay" -> ReplayCommand.run(rest);
                case "fanout" -> FanoutCommand.run(rest);
                case "reconnect-storm" -> StormCommand.run(rest);
                case "groups" -> GroupsCommand.run(rest);
                case "devices" -> DevicesCommand.run(rest);
                case "relay" -> ThroughputCommand.relay(rest);
                case "relay-server" -> RelayCommand.server(rest);
                case "jmh" -> org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
                default -> throw new Args.UsageError("unknown command '" + command + "'");
            }
        } catch (Args.UsageError e) {
            System.err.println("chat-bench: " + e.getMessage());
            System.err.println(usageOf(command));
            System.exit(2);
        } catch (IllegalStateException | UncheckedIOException e) { // a run that cannot go on: no stack trace needed
            System.err.println("chat-bench " + command + ": " + e.getMessage());
            System.exit(1);
        }
        System.exit(0); // the selector threads are daemons, but a child JVM must not linger on anything else
    }

    private static String usageOf(String command) {
        return switch (command) {
            case "connections" -> ConnectionsCommand.USAGE;
            case "throughput" -> ThroughputCommand.USAGE;
            case "replay" -> ReplayCommand.USAGE;
            case "fanout" -> FanoutCommand.USAGE;
            case "reconnect-storm" -> StormCommand.USAGE;
            case "groups" -> GroupsCommand.USAGE;
            case "devices" -> DevicesCommand.USAGE;
            case "relay" -> ThroughputCommand.RELAY_USAGE;
            case "relay-server" -> RelayCommand.SERVER_USAGE;
            default -> USAGE;
        };
    }
}
