ALTER TABLE events
  DROP KEY events_listed,
  DROP COLUMN visibility;
