-- Accepting a meeting writes both people's rows: on a Galera cluster `SELECT … FOR UPDATE`
-- locks on one node only, and two accepts that must not both hold (one person, one time) are
-- told apart only by writing the same row, which makes the later one fail at commit and run
-- again. On one server the write locks the row as FOR UPDATE did.
ALTER TABLE attendees ADD COLUMN meeting_claims INT UNSIGNED NOT NULL DEFAULT 0;
