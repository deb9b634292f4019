-- The history and idempotency entries move out of the messages table's own indexes, which every
-- group commit had to update at a page per distinct conversation and per distinct sender, into two
-- tables the writer fills in sorted batches behind the log (MessageWriter, LogIndex). A message is
-- in exactly one of two places at any moment: still unindexed (indexed = 0, found through the small
-- messages_unindexed index, which grows at its right end only) or in conversation_log/client_ids;
-- the move is one transaction. The existing rows are indexed here, so their column defaults to 1;
-- the writer inserts new rows with 0.
ALTER TABLE messages ADD COLUMN indexed SMALLINT NOT NULL DEFAULT 1;

CREATE TABLE conversation_log (
    conversation_id BIGINT NOT NULL,
    msg_id          BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, msg_id)
);
INSERT INTO conversation_log (conversation_id, msg_id)
SELECT conversation_id, msg_id FROM messages ORDER BY conversation_id, msg_id;

-- Idempotent resend: one message per (sender, client id), whatever device sent it.
CREATE TABLE client_ids (
    sender    ${name}     NOT NULL,
    client_id VARCHAR(64) NOT NULL,
    msg_id    BIGINT      NOT NULL,
    PRIMARY KEY (sender, client_id)
);
INSERT INTO client_ids (sender, client_id, msg_id)
SELECT sender, client_id, msg_id FROM messages WHERE client_id IS NOT NULL ORDER BY sender, client_id;

DROP INDEX messages_by_conversation;
DROP INDEX messages_by_client_id;
CREATE INDEX messages_unindexed ON messages (msg_id) WHERE indexed = 0;
