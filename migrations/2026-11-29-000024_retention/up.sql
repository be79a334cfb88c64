-- The organiser may set how long attendees' personal data is kept after the event ends;
-- the hourly housekeeping then erases it (names, contact, profile, photo, networking) and
-- keeps the records as anonymous counts for the stats. `erased_at` says it happened.
ALTER TABLE events
  ADD COLUMN retention_days INT NULL,
  ADD COLUMN erased_at DATETIME NULL,
  ADD CONSTRAINT events_retention_days CHECK (retention_days IS NULL OR retention_days BETWEEN 0 AND 3650);
CREATE INDEX events_retention_due ON events (erased_at, retention_days, end_utc);
