-- Deleting an event hides it (`deleted_at`, UTC) instead of removing it: its organiser can
-- restore it for 30 days, after which the server's housekeeping removes it with its
-- attendees (ON DELETE CASCADE). The organiser's "Deleted events" list and the purge read
-- these keys.
ALTER TABLE events
  ADD COLUMN deleted_at DATETIME NULL,
  ADD KEY events_organizer_deleted (organizer_id, deleted_at),
  ADD KEY events_deleted (deleted_at);
