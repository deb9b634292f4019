package chat.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The client's listeners, told each event in the order they were added; a broken one must not break the connection. */
final class Listeners extends ForwardingListener {

    private final List<ChatListener> all = new CopyOnWriteArrayList<>();

    void add(ChatListener listener) {
        all.add(listener);
    }

    @Override
    void forward(Consumer<ChatListener> event) {
        for (ChatListener l : all) {
            safely(event, l);
        }
    }
}
