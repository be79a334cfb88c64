-- An attendee may hide from the people directory: other attendees no longer find them in
-- lists, search, on the event's page or by their profile's address (their connections
-- still see them; the organiser and the door always do). A change of it is a change of the
-- directory, which every server instance keeps in memory by `directory_version`.
ALTER TABLE attendees ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;

DROP TRIGGER attendees_directory_change;
CREATE TRIGGER attendees_directory_change AFTER UPDATE ON attendees FOR EACH ROW
  UPDATE events SET directory_version = UUID_SHORT()
  WHERE id = NEW.event_id
    AND NOT (BINARY NEW.first_name <=> BINARY OLD.first_name
         AND BINARY NEW.last_name <=> BINARY OLD.last_name
         AND BINARY NEW.organisation <=> BINARY OLD.organisation
         AND BINARY NEW.role <=> BINARY OLD.role
         AND NEW.hidden <=> OLD.hidden);
