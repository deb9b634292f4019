package chat.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.FrameCodec;
import chat.protocol.ProtocolError;
import chat.server.testing.WireClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 10,000 random and mutated frames from one logged-in session (a seeded generator: a failure is
 * reproducible) while two other users chat. Every bad frame gets exactly one `error` answer, in
 * order; the hostile session and the node stay up; the bystanders' conversation is untouched.
 */
class FuzzEndToEndTest extends EndToEnd {

    private static final long SEED = 20261125L;
    private static final int FRAMES = 10_000;
    private static final int BATCH = 250;
    private static final String NOISE = "{}[]\":,0a\\\u00ff";

    private static final String[] VALID = {
        "{\"type\":\"message\",\"id\":\"x1\",\"receiver\":\"bob\",\"content\":\"hello\"}",
        "{\"type\":\"typing\",\"recipient\":\"bob\"}",
        "{\"type\":\"stop_typing\",\"recipient\":\"bob\"}",
        "{\"type\":\"get_users\",\"query\":\"a\",\"limit\":5}",
        "{\"type\":\"ack\",\"msg_ids\":[1,2,3]}",
        "{\"type\":\"read\",\"peer\":\"bob\",\"up_to\":7}",
        "{\"type\":\"history\",\"peer\":\"bob\",\"before\":10,\"limit\":2}",
        "{\"type\":\"add_contact\",\"username\":\"bob\"}",
        "{\"type\":\"conversations\",\"limit\":3}",
        "{\"type\":\"register\",\"username\":\"someone\",\"password\":\"password1\"}",
        "{\"type\":\"ping\"}",
    };

    @BeforeAll
    static void start() {
        startNode(Map.of("chat.limits.messages-per-second", 100_000));
    }

    @Test
    void tenThousandBadFramesAreEachAnsweredAndHurtNobody() throws Exception {
        String alice = name("alice");
        String bob = name("bob");
        WireClient a = online(alice);
        WireClient b = online(bob);
        WireClient mallory = online(name("mallory"));

        AtomicReference<Throwable> bystanderFailure = new AtomicReference<>();
        Thread bystanders = new Thread(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    a.send("message", "id", "m" + i, "receiver", bob, "content", "still fine " + i);
                    a.expect("message_ack");
                    JsonNode m = b.await("message");
                    assertThat(m.path("content").asText()).isEqualTo("still fine " + i);
                }
            } catch (Throwable t) {
                bystanderFailure.set(t);
            }
        }, "bystanders");
        bystanders.start();

        Random random = new Random(SEED);
        int sent = 0;
        while (sent < FRAMES) {
            List<String> expected = new ArrayList<>();
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            while (expected.size() < BATCH && sent + expected.size() < FRAMES) {
                byte[] line = generate(random);
                String code = badCode(line);
                if (code == null) {
                    continue; // still a valid (or blank) frame after mutation: not what this test counts
                }
                expected.add(code);
                batch.write(line);
                batch.write('\n');
            }
            batch.write("{\"type\":\"ping\"}\n".getBytes(StandardCharsets.UTF_8));
            mallory.sendRaw(batch.toByteArray());
            for (String code : expected) {
                JsonNode answer = mallory.next();
                assertThat(answer.path("type").asText()).as("answer to a bad frame").isEqualTo("error");
                assertThat(answer.path("code").asText()).isEqualTo(code);
            }
            assertThat(mallory.expect("pong").path("type").asText()).isEqualTo("pong");
            sent += expected.size();
        }
        bystanders.join();
        assertThat(bystanderFailure.get()).as("the bystanders' conversation").isNull();
        // the node still serves newcomers
        online(name("newcomer")).send("ping");
    }

    /** The error code the node must answer a line with, or null if the line is a valid frame or blank. */
    private static String badCode(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        if (text.isBlank() && Utf8Check.valid(line)) {
            return null;
        }
        try {
            FrameCodec.decodeClient(line, 0, line.length);
            return null;
        } catch (ProtocolError e) {
            return e.code();
        }
    }

    private static byte[] generate(Random r) {
        byte[] out = switch (r.nextInt(4)) {
            case 0 -> randomBytes(r);
            case 1 -> jsonSoup(r);
            default -> mutate(VALID[r.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8), r);
        };
        for (int i = 0; i < out.length; i++) {
            if (out[i] == '\n') {
                out[i] = ' '; // a newline would make two frames of one
            }
        }
        return out;
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[1 + r.nextInt(120)];
        r.nextBytes(b);
        return b;
    }

    private static byte[] jsonSoup(Random r) {
        String[] parts = {"{", "}", "[", "]", ":", ",", "\"type\"", "\"message\"", "\"receiver\"", "1e999", "-0",
            "true", "null", "\"\\u0000\"", "\"\\ud800\"", "\"é\"", "{\"type\":", "\"\"", "12345678901234567890"};
        StringBuilder s = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.append(parts[r.nextInt(parts.length)]);
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutate(byte[] valid, Random r) {
        String s = new String(valid, StandardCharsets.UTF_8);
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : r.nextInt(s.length());
            s = switch (r.nextInt(6)) {
                case 0 -> s.substring(0, at) + s.substring(Math.min(s.length(), at + 1));
                case 1 -> s.substring(0, at) + NOISE.charAt(r.nextInt(NOISE.length())) + s.substring(at);
                case 2 -> s.replaceFirst("\"(bob|hello|a|x1|someone|password1)\"", new String[] {"7", "[]", "{}", "null", "true"}[r.nextInt(5)]);
                case 3 -> s.replaceFirst("\\d+", "\"" + r.nextInt(99) + "\"");
                case 4 -> s.replaceFirst("\"type\":\"[a-z_]+\"", "\"type\":\"" + "zap".repeat(1 + r.nextInt(3)) + "\"");
                default -> s.substring(0, at);
            };
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(10) == 0 && bytes.length > 0) {
            bytes[r.nextInt(bytes.length)] = (byte) (0x80 | r.nextInt(0x40)); // a stray continuation byte
        }
        return bytes;
    }

    /** Only to tell a blank line (skipped by the node) from one with invalid bytes that happens to look blank. */
    private static final class Utf8Check {
        static boolean valid(byte[] b) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
                return true;
            } catch (java.nio.charset.CharacterCodingException e) {
                return false;
            }
        }
    }
}
