DELETE FROM events WHERE deleted_at IS NOT NULL;
ALTER TABLE events
  DROP KEY events_organizer_deleted,
  DROP KEY events_deleted,
  DROP COLUMN deleted_at;
