-- Level 3: which devices have logged in on level 3 (a user whose devices are all on levels 1/2 is
-- not waited for by a group's aggregated receipts), and how far each group member has its group's
-- messages on at least one device (the delivered half of group_receipts; the read half is the
-- member's read marker in conversation_reads).
ALTER TABLE devices ADD COLUMN level3 SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE group_members ADD COLUMN delivered_up_to BIGINT NOT NULL DEFAULT 0;
