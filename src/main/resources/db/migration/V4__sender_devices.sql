-- Level 3: the device a message was sent from, so that its copies go to the sender's other devices
-- only (null: sent before devices existed, or from a level 1/2 connection, the device 'default').
ALTER TABLE messages ADD COLUMN sender_device VARCHAR(64);

-- A device's stream is read through its user's conversations: the one-to-one ones are found from
-- either side (conversations_direct serves user_a; this serves user_b).
CREATE INDEX conversations_by_user_b ON conversations (user_b) WHERE kind = 1;
