DROP TRIGGER attendees_directory_change;
CREATE TRIGGER attendees_directory_change AFTER UPDATE ON attendees FOR EACH ROW
  UPDATE events SET directory_version = UUID_SHORT()
  WHERE id = NEW.event_id
    AND NOT (BINARY NEW.first_name <=> BINARY OLD.first_name
         AND BINARY NEW.last_name <=> BINARY OLD.last_name
         AND BINARY NEW.organisation <=> BINARY OLD.organisation
         AND BINARY NEW.role <=> BINARY OLD.role);
ALTER TABLE attendees DROP COLUMN hidden;
