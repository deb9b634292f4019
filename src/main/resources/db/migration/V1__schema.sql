-- The whole schema, portable between SQLite and PostgreSQL. The dialects differ in two places:
-- ${id_column}, an auto-increasing 64-bit primary key, and ${name}, a username column that compares
-- byte by byte (PostgreSQL's COLLATE "C"), so prefix searches and orderings agree everywhere.

CREATE TABLE users (
    username      ${name}  NOT NULL PRIMARY KEY,
    password_hash VARCHAR(200) NOT NULL,
    created_at    BIGINT       NOT NULL,
    last_seen     BIGINT
);

-- Level 2 reconnect tokens, stored as SHA-256 of the token: a leaked table logs nobody in.
CREATE TABLE tokens (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    username   ${name} NOT NULL,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX tokens_by_user ON tokens (username);

-- Every accepted message, kept for history. status: 0 sent (pending), 1 delivered, 2 read.
CREATE TABLE messages (
    msg_id       ${id_column},
    sender       ${name} NOT NULL,
    receiver     ${name} NOT NULL,
    client_id    VARCHAR(64),
    content      TEXT        NOT NULL,
    ts           BIGINT      NOT NULL,
    status       SMALLINT    NOT NULL DEFAULT 0,
    delivered_at BIGINT,
    read_at      BIGINT
);
-- Idempotent resend: one message per (sender, client id).
CREATE UNIQUE INDEX messages_by_client_id ON messages (sender, client_id) WHERE client_id IS NOT NULL;
-- Replay at login: a recipient's pending messages in msg_id order. Only pending rows are indexed.
CREATE INDEX messages_pending ON messages (receiver, msg_id) WHERE status = 0;
-- History, unread counts and read marks: one direction of a conversation in msg_id order.
CREATE INDEX messages_by_pair ON messages (receiver, sender, msg_id);

-- Receipts for senders who were offline when their message was delivered or read.
CREATE TABLE receipts (
    receipt_id ${id_column},
    username   ${name} NOT NULL,
    peer       ${name} NOT NULL,
    status     SMALLINT    NOT NULL,
    msg_id     BIGINT,
    client_id  VARCHAR(64),
    up_to      BIGINT,
    ts         BIGINT      NOT NULL
);
CREATE INDEX receipts_by_user ON receipts (username, receipt_id);

-- Who a user knows: added with add_contact or exchanged a message with. listed = 0 after
-- remove_contact: off the contact list (no presence), the conversation itself stays.
CREATE TABLE contacts (
    owner      ${name} NOT NULL,
    contact    ${name} NOT NULL,
    listed     SMALLINT    NOT NULL,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (owner, contact)
);
CREATE INDEX contacts_reverse ON contacts (contact, owner);

-- How far a user has read a conversation: unread = messages from peer above up_to.
CREATE TABLE read_markers (
    owner ${name} NOT NULL,
    peer  ${name} NOT NULL,
    up_to BIGINT      NOT NULL,
    PRIMARY KEY (owner, peer)
);
