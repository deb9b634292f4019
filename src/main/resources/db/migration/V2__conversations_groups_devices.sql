-- Level 3: conversations (between two users, or a group) whose messages are stored once, groups
-- and their members with the positions they joined and left at (history is bounded by them),
-- devices with a durable delivery position each, read markers per user and conversation. Existing
-- data is carried over: every pair that exchanged a message gets its conversation, every user the
-- device 'default' (what a level 1 or 2 login is), every token belongs to 'default'.
-- The same file runs on SQLite and PostgreSQL; ${reset_message_ids} is the one dialect difference
-- (PostgreSQL's sequence must learn the copied ids; SQLite's AUTOINCREMENT learns them itself).

CREATE TABLE conversations (
    conversation_id ${id_column},
    kind            SMALLINT    NOT NULL, -- 1: two users, 2: a group
    user_a          ${name},              -- kind 1: the two users, user_a <= user_b (byte order)
    user_b          ${name},
    group_id        VARCHAR(64),          -- kind 2
    created_at      BIGINT      NOT NULL
);
CREATE UNIQUE INDEX conversations_direct ON conversations (user_a, user_b) WHERE kind = 1;
CREATE UNIQUE INDEX conversations_group ON conversations (group_id) WHERE kind = 2;

INSERT INTO conversations (kind, user_a, user_b, created_at)
SELECT 1, a, b, MIN(ts) FROM (
    SELECT CASE WHEN sender < receiver THEN sender ELSE receiver END AS a,
           CASE WHEN sender < receiver THEN receiver ELSE sender END AS b, msg_id, ts
    FROM messages) pairs
GROUP BY a, b
ORDER BY MIN(msg_id);

CREATE TABLE groups (
    group_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    conversation_id BIGINT       NOT NULL,
    name            VARCHAR(256) NOT NULL,
    created_by      ${name}      NOT NULL,
    client_id       VARCHAR(64),          -- the create_group id: a resend creates nothing
    created_at      BIGINT       NOT NULL
);
CREATE UNIQUE INDEX groups_by_client_id ON groups (created_by, client_id) WHERE client_id IS NOT NULL;

-- One row per stretch of membership: a user who leaves and comes back has two. joined_at and
-- left_at are the msg_ids of the group events that added and removed it; history and delivery
-- are what lies between them. seq orders those added by one event (admin succession).
CREATE TABLE group_members (
    group_id  VARCHAR(64) NOT NULL,
    username  ${name}     NOT NULL,
    joined_at BIGINT      NOT NULL,
    left_at   BIGINT,
    role      SMALLINT    NOT NULL, -- 0 member, 1 admin
    seq       INTEGER     NOT NULL,
    PRIMARY KEY (group_id, username, joined_at)
);
CREATE INDEX group_members_by_user ON group_members (username, group_id);

-- Every message once: a 1:1 message names its receiver, a group message (receiver null) reaches
-- the members of the moment it was accepted. kind 1 rows are group events (content: the event).
-- status is the 1:1 delivery state seen by the sender: 0 no device of the receiver has it yet,
-- 1 delivered (to a first device), 2 read; group rows are written with status 1 (their delivery is
-- the members' device positions) so that they never enter the pending index.
CREATE TABLE messages_v2 (
    msg_id          ${id_column},
    conversation_id BIGINT      NOT NULL,
    kind            SMALLINT    NOT NULL DEFAULT 0,
    sender          ${name}     NOT NULL,
    receiver        ${name},
    client_id       VARCHAR(64),
    content         TEXT        NOT NULL,
    ts              BIGINT      NOT NULL,
    status          SMALLINT    NOT NULL DEFAULT 0,
    delivered_at    BIGINT,
    read_at         BIGINT
);
INSERT INTO messages_v2 (msg_id, conversation_id, kind, sender, receiver, client_id, content, ts, status,
                         delivered_at, read_at)
SELECT m.msg_id, c.conversation_id, 0, m.sender, m.receiver, m.client_id, m.content, m.ts, m.status,
       m.delivered_at, m.read_at
FROM messages m JOIN conversations c ON c.kind = 1
    AND c.user_a = CASE WHEN m.sender < m.receiver THEN m.sender ELSE m.receiver END
    AND c.user_b = CASE WHEN m.sender < m.receiver THEN m.receiver ELSE m.sender END;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
${reset_message_ids}
-- Idempotent resend: one message per (sender, client id), whatever device sent it.
CREATE UNIQUE INDEX messages_by_client_id ON messages (sender, client_id) WHERE client_id IS NOT NULL;
-- Replay at login for levels 1/2: a recipient's 1:1 messages no device has yet.
CREATE INDEX messages_pending ON messages (receiver, msg_id) WHERE status = 0;
-- History, unread counts and read marks: a conversation in msg_id order (both directions at once).
CREATE INDEX messages_by_conversation ON messages (conversation_id, msg_id);

-- A user's devices. delivered_up_to: every message of the user's stream up to it is acked by this
-- device; acks above it (out of order) are rows of device_acks, removed as the position passes
-- them. For 'default' (levels 1/2) messages.status stays what replay reads, and its position is
-- recomputed from it (as below) when the device first logs in on level 3.
CREATE TABLE devices (
    username        ${name}      NOT NULL,
    device          VARCHAR(64)  NOT NULL,
    device_name     VARCHAR(256),
    created_at      BIGINT       NOT NULL,
    last_seen       BIGINT,
    delivered_up_to BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (username, device)
);
CREATE TABLE device_acks (
    username ${name}     NOT NULL,
    device   VARCHAR(64) NOT NULL,
    msg_id   BIGINT      NOT NULL,
    PRIMARY KEY (username, device, msg_id)
);

INSERT INTO devices (username, device, created_at, last_seen, delivered_up_to)
SELECT u.username, 'default', u.created_at, u.last_seen,
       COALESCE((SELECT MIN(m.msg_id) FROM messages m WHERE m.receiver = u.username AND m.status = 0) - 1,
                (SELECT MAX(m.msg_id) FROM messages m WHERE m.receiver = u.username), 0)
FROM users u;
INSERT INTO device_acks (username, device, msg_id)
SELECT m.receiver, 'default', m.msg_id
FROM messages m JOIN devices d ON d.username = m.receiver AND d.device = 'default'
WHERE m.status > 0 AND m.msg_id > d.delivered_up_to;

-- A token belongs to one device; level 1/2 tokens to 'default'.
ALTER TABLE tokens ADD COLUMN device VARCHAR(64) NOT NULL DEFAULT 'default';

-- Read markers per user and conversation (a group's as well as a pair's).
CREATE TABLE conversation_reads (
    owner           ${name} NOT NULL,
    conversation_id BIGINT  NOT NULL,
    up_to           BIGINT  NOT NULL,
    PRIMARY KEY (owner, conversation_id)
);
INSERT INTO conversation_reads (owner, conversation_id, up_to)
SELECT r.owner, c.conversation_id, r.up_to
FROM read_markers r JOIN conversations c ON c.kind = 1
    AND c.user_a = CASE WHEN r.owner < r.peer THEN r.owner ELSE r.peer END
    AND c.user_b = CASE WHEN r.owner < r.peer THEN r.peer ELSE r.owner END;
DROP TABLE read_markers;

-- Receipts still kept for offline senders stay rows (a 1:1 receipt names one message); a group's
-- aggregated receipts name it here. Delivered/read for groups follow from positions and markers.
ALTER TABLE receipts ADD COLUMN group_id VARCHAR(64);
