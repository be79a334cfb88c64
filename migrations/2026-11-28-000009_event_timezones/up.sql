-- Every event keeps its IANA zone; its times stay wall-clock times in that zone, and the
-- same instants in UTC ride along so that "upcoming" can be asked across zones with an index.
-- Events made before zones existed get '' here and the configured default zone at the
-- server's next start (NETEVENT_DEFAULT_TIMEZONE, which a migration cannot read).
ALTER TABLE events
  ADD COLUMN timezone VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN start_utc DATETIME NULL,
  ADD COLUMN end_utc DATETIME NULL;
UPDATE events SET start_utc = start_time, end_utc = end_time;
ALTER TABLE events
  MODIFY start_utc DATETIME NOT NULL,
  MODIFY end_utc DATETIME NOT NULL,
  ADD KEY events_end_utc (end_utc, start_utc);
