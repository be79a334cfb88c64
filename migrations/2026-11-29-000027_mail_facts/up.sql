-- What a mail tells that no row holds any more by sending time: a cancelled meeting (its
-- row deleted with it) is told from what it was, kept here as JSON.
ALTER TABLE outbox ADD COLUMN facts TEXT NULL;
