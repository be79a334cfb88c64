ALTER TABLE events DROP KEY events_end_utc, DROP COLUMN timezone, DROP COLUMN start_utc, DROP COLUMN end_utc;
