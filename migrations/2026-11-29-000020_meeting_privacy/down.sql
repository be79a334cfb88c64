ALTER TABLE attendees DROP COLUMN meetings_from;
