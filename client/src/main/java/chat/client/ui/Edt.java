package chat.client.ui;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import javax.swing.SwingUtilities;

/** Hops onto the Event Dispatch Thread: the only thread that touches components. */
final class Edt {

    private Edt() {
    }

    static void run(Runnable r) {
        if (SwingUtilities.isEventDispatchThread()) {
            r.run();
        } else {
            SwingUtilities.invokeLater(r);
        }
    }

    /** Runs `then` on the EDT once `stage` completes (network and disk work finish elsewhere). */
    static <T> void when(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        stage.whenComplete((value, error) -> SwingUtilities.invokeLater(() -> then.accept(value, unwrap(error))));
    }

    static Throwable unwrap(Throwable t) {
        while (t != null && t.getCause() != null
                && (t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t;
    }
}
