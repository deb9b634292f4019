package chat.server.store;

import java.util.List;

/** Applies writes in order in one transaction (a group commit); outcomes come back in the same order. */
@FunctionalInterface
public interface BatchWriter {

    /** @throws StoreUnavailable when the transaction fails; then none of the writes happened */
    List<Written> apply(List<? extends Write> writes);

    /** The writer is no longer needed (its partition moved to another node): give back what it holds. */
    default void close() {
    }
}
