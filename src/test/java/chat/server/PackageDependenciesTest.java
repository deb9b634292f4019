package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The node's packages depend on each other one way: net → session → groups → accounts / mailbox → presence
 * → store, and everything may use ops and the shared root classes (Settings, CborSerializable,
 * WorkPools, ...). Only the wiring in the root package (Guardian, ChatNode, Main) sees them all.
 *
 * Read from the sources: every `chat.server.x.Type` a file names (imports and qualified names).
 * The root package is split by class, since it holds both the top (the wiring) and the bottom
 * (the shared settings) of the graph.
 */
class PackageDependenciesTest {

    /** A package may only name packages of a higher rank (and ops, the root's shared classes, other modules). */
    private static final Map<String, Integer> RANK = Map.of(
            "net", 1,
            "session", 2,
            "groups", 3,
            "accounts", 4,
            "mailbox", 4,
            "presence", 5,
            "store", 6,
            "ops", 7);
    private static final Pattern NAMED = Pattern.compile("\\bchat\\.server\\.(?:([a-z][a-z0-9]*)\\.)?([A-Z]\\w*)");
    private static final Path SOURCES = Path.of(System.getProperty("chat.sources", "../src/main/java"), "chat", "server");

    @Test
    void packagesFormNoCycleAndFollowTheAllowedDirection() throws IOException {
        Map<String, Set<String>> graph = dependencies(SOURCES);
        assertThat(graph).as("the node's sources under %s", SOURCES.toAbsolutePath()).containsKeys("net", "session",
                "presence", "mailbox", "store");
        assertThat(cycle(graph)).as("a cycle between packages").isEmpty();
        List<String> wrongWay = new ArrayList<>();
        graph.forEach((from, tos) -> tos.forEach(to -> {
            Integer a = RANK.get(from);
            Integer b = RANK.get(to);
            if (a != null && b != null && a >= b) {
                wrongWay.add(from + " → " + to);
            }
        }));
        assertThat(wrongWay).as("dependencies against the allowed direction").isEmpty();
    }

    @Test
    void theCheckFindsACycle() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of(
                "net", Set.of("session"), "session", Set.of("presence"), "presence", Set.of("session", "store"),
                "store", Set.of()));
        assertThat(cycle(graph)).containsExactly("session", "presence", "session");
        assertThat(cycle(new TreeMap<>(Map.of("net", Set.of("session"), "session", Set.of())))).isEmpty();
    }

    /** Package (or root class) → the packages (or root classes) it names, itself left out. */
    static Map<String, Set<String>> dependencies(Path root) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                Path dir = root.relativize(file.getParent());
                String from = dir.toString().isEmpty() ? "root." + file.getFileName().toString().replace(".java", "")
                        : dir.toString().replace('/', '.');
                Set<String> tos = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = NAMED.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1) != null ? m.group(1) : "root." + m.group(2);
                    if (!to.equals(from)) {
                        tos.add(to);
                    }
                }
            }
        }
        return graph;
    }

    /** One cycle as a path that starts and ends at the same node, or empty. */
    static List<String> cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // 1: on the current path, 2: done
        List<String> path = new ArrayList<>();
        for (String start : graph.keySet()) {
            List<String> found = visit(start, graph, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
                                      List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null) {
            List<String> loop = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            loop.add(node);
            return loop;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> found = visit(next, graph, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return List.of();
    }
}
