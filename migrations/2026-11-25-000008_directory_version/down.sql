DROP TRIGGER attendees_directory_change;
DROP TRIGGER attendees_count_in;
DROP TRIGGER attendees_count_out;
CREATE TRIGGER attendees_count_in AFTER INSERT ON attendees FOR EACH ROW
  UPDATE events SET attendee_count = attendee_count + 1 WHERE id = NEW.event_id;
CREATE TRIGGER attendees_count_out AFTER DELETE ON attendees FOR EACH ROW
  UPDATE events SET attendee_count = attendee_count - 1 WHERE id = OLD.event_id;
ALTER TABLE events DROP COLUMN directory_version;
