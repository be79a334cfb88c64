DROP INDEX attendees_search ON attendees;
DROP TRIGGER attendees_count_out;
DROP TRIGGER attendees_count_in;
ALTER TABLE events DROP COLUMN attendee_count;
