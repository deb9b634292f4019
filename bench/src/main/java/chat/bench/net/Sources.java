package chat.bench.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local addresses client sockets are bound to, taken in turn. Linux gives each (source
 * address, destination) about 28,000 ephemeral ports and the node limits connections per address,
 * so twenty thousand sessions are spread over 127.0.0.2, 127.0.0.3, ... (every 127.x address works
 * on the loopback interface, with no setup).
 */
public final class Sources {

    private final List<InetAddress> addresses;
    private final AtomicInteger next = new AtomicInteger();

    private Sources(List<InetAddress> addresses) {
        this.addresses = addresses;
    }

    /** `count` addresses from 127.0.0.2 on; 0 means no binding (the kernel picks, usually 127.0.0.1). */
    public static Sources loopback(int count) {
        if (count < 0 || count > 250) {
            throw new IllegalArgumentException("--sources must be from 0 to 250, not " + count);
        }
        List<InetAddress> addresses = new ArrayList<>();
        if (count == 0) {
            addresses.add(null);
        }
        for (int i = 0; i < count; i++) {
            try {
                addresses.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // four bytes are always an address
            }
        }
        return new Sources(Collections.unmodifiableList(addresses)); // List.copyOf refuses the null of 'no binding'
    }

    /** The next address in turn; null when not binding. */
    public InetAddress next() {
        return addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
    }

    public int size() {
        return addresses.get(0) == null ? 0 : addresses.size();
    }

    /** "127.0.0.2-127.0.0.5", for reports. */
    public String describe() {
        if (size() == 0) {
            return "kernel's choice";
        }
        String first = addresses.get(0).getHostAddress();
        return addresses.size() == 1 ? first : first + "-" + addresses.get(addresses.size() - 1).getHostAddress();
    }
}
