package chat.server.accounts;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed logins per username and per remote address in a sliding window.
 *
 * Past the limit for a username, every login of that name is refused without looking at the
 * password, so guessing one account stays slow however many addresses try. Past the limit for an
 * address, its failures are answered `rate_limited` after a delay that doubles with each further
 * failure, while a correct password still gets in: people behind one NAT are not locked out by a
 * neighbour's typos, and guessing from that address slows to a crawl. Confined to the Accounts actor.
 */
final class LoginThrottle {

    private static final int MAX_KEYS = 100_000;
    private static final long BASE_DELAY_MS = 250;
    private static final long MAX_DELAY_MS = 10_000;

    private final int maxFailures;
    private final Map<String, Integer> checking = new HashMap<>();
    private final long windowMs;
    private final Map<String, ArrayDeque<Long>> failures = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
            return size() > MAX_KEYS;
        }
    };

    LoginThrottle(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.windowMs = window.toMillis();
    }

    /**
     * Zero if this username may try to log in now; otherwise how long to wait before refusing it.
     * Attempts still being checked count as failures until they succeed: many guesses sent at once
     * on many connections cannot all slip past the limit while their hashes are computed.
     */
    Duration blocked(String username, long now) {
        return delay(count(userKey(username), now) + checking.getOrDefault(username, 0) - maxFailures);
    }

    /** A password or token check of this username has started. */
    void checking(String username) {
        checking.merge(username, 1, Integer::sum);
    }

    /** That check has ended, whatever its outcome. */
    void checked(String username) {
        checking.computeIfPresent(username, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Records a failure; zero to answer it as a plain failure, otherwise the delay before answering `rate_limited`. */
    Duration failed(String username, String address, long now) {
        add(userKey(username), now);
        add(addressKey(address), now);
        return delay(Math.max(count(userKey(username), now), count(addressKey(address), now)) - maxFailures - 1);
    }

    void succeeded(String username) {
        failures.remove(userKey(username));
    }

    private static Duration delay(int excess) {
        if (excess < 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.min(MAX_DELAY_MS, BASE_DELAY_MS << Math.min(excess, 20)));
    }

    private int count(String key, long now) {
        ArrayDeque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
            times.pollFirst();
        }
        if (times.isEmpty()) {
            failures.remove(key);
            return 0;
        }
        return times.size();
    }

    private void add(String key, long now) {
        ArrayDeque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        times.addLast(now);
        if (times.size() > 4 * maxFailures + 64) {
            times.pollFirst(); // enough to stay throttled; no need to keep every attempt
        }
    }

    private static String userKey(String username) {
        return "u:" + username;
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }
}
