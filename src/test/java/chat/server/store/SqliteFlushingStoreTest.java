package chat.server.store;

/**
 * Every store test again with a tail of 2: nearly every commit then moves index entries from the
 * tail to conversation_log and client_ids, so each read and resend is answered across both.
 */
class SqliteFlushingStoreTest extends SqliteStoreTest {

    @Override
    int flushAt() {
        return 2;
    }
}
