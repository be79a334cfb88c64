-- Which state of an event's directory is current: the server keeps each event's names in
-- memory for search and compares this number before every search, so that a change made
-- through any server instance is seen by all of them at once. UUID_SHORT() rather than a
-- counter: unique across every database of the MariaDB server, so two databases served by
-- one process (the test suite) never share a key. 0: never had an attendee.
ALTER TABLE events ADD COLUMN directory_version BIGINT UNSIGNED NOT NULL DEFAULT 0;
UPDATE events SET directory_version = UUID_SHORT() WHERE attendee_count > 0;

DROP TRIGGER attendees_count_in;
DROP TRIGGER attendees_count_out;
CREATE TRIGGER attendees_count_in AFTER INSERT ON attendees FOR EACH ROW
  UPDATE events SET attendee_count = attendee_count + 1, directory_version = UUID_SHORT()
  WHERE id = NEW.event_id;
CREATE TRIGGER attendees_count_out AFTER DELETE ON attendees FOR EACH ROW
  UPDATE events SET attendee_count = attendee_count - 1, directory_version = UUID_SHORT()
  WHERE id = OLD.event_id;
-- Only a change to what the search reads counts (not a check-in or a printed badge); BINARY
-- so that a change of case or accent counts too.
CREATE TRIGGER attendees_directory_change AFTER UPDATE ON attendees FOR EACH ROW
  UPDATE events SET directory_version = UUID_SHORT()
  WHERE id = NEW.event_id
    AND NOT (BINARY NEW.first_name <=> BINARY OLD.first_name
         AND BINARY NEW.last_name <=> BINARY OLD.last_name
         AND BINARY NEW.organisation <=> BINARY OLD.organisation
         AND BINARY NEW.role <=> BINARY OLD.role);
