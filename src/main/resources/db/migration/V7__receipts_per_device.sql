-- A receipt waits in the stream of each of its user's devices that was offline when it was sent,
-- not once per user: the first device back no longer takes it from the others. Rows kept before
-- this (device null) were for a user with no device online; the first device that logs in takes
-- them, as before. A group's aggregated receipt has no peer: it is stored as '' (the column was
-- made NOT NULL when receipts had only 1:1 peers).
ALTER TABLE receipts ADD COLUMN device VARCHAR(64);
