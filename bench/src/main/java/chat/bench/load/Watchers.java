package chat.bench.load;

import chat.bench.client.ChatClient;
import chat.bench.net.Fields;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listener of every background user in the fanout benchmark: it records when a notification
 * about a test user (`user_status`, `typing_notification`) reaches an observer, so a measurement
 * can wait for "all 5 contacts saw alice go online", and counts notifications that reached a user
 * who is not a contact of their subject: presence must not be a broadcast.
 */
final class Watchers implements ChatClient.Listener {

    /** Waits for `parties` observers to see one event; remembers when the last one did. */
    static final class Expect {
        private final CountDownLatch latch;
        private final AtomicLong lastAt = new AtomicLong();

        Expect(int parties) {
            latch = new CountDownLatch(parties);
        }

        void seen(long nanos) {
            lastAt.accumulateAndGet(nanos, Math::max);
            latch.countDown();
        }

        /** Nanoseconds from `since` until the last observer saw it, or -1 on timeout. */
        long await(long since, long timeoutMillis) throws InterruptedException {
            return latch.await(timeoutMillis, TimeUnit.MILLISECONDS) ? lastAt.get() - since : -1;
        }
    }

    private final Map<String, Expect> expected = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> contactsOf; // test user -> the background users who should hear of it
    private final LongAdder stray = new LongAdder();

    Watchers(Map<String, Set<String>> contactsOf) {
        this.contactsOf = contactsOf;
    }

    /** Arms an expectation: each of `observers` will see `event` ("online", "offline", "typing", "stopped") of `subject`. */
    Expect expect(String subject, String event, Set<String> observers) {
        Expect e = new Expect(observers.size());
        for (String o : observers) {
            expected.put(key(o, subject, event), e);
        }
        return e;
    }

    long stray() {
        return stray.sum();
    }

    @Override
    public void frame(ChatClient client, String type, String line) {
        String subject;
        String event;
        if ("user_status".equals(type)) {
            subject = Fields.string(line, "username");
            event = Fields.string(line, "status");
        } else if ("typing_notification".equals(type)) {
            subject = Fields.string(line, "from");
            event = Fields.string(line, "status");
        } else {
            return;
        }
        long now = System.nanoTime();
        Set<String> contacts = contactsOf.get(subject);
        if (contacts != null && !contacts.contains(client.username())) {
            stray.increment();
        }
        Expect e = expected.remove(key(client.username(), subject, event));
        if (e != null) {
            e.seen(now);
        }
    }

    private static String key(String observer, String subject, String event) {
        return observer + '|' + subject + '|' + event;
    }
}
