DROP INDEX events_retention_due ON events;
ALTER TABLE events DROP CONSTRAINT events_retention_days, DROP COLUMN erased_at, DROP COLUMN retention_days;
