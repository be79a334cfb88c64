ALTER TABLE events DROP COLUMN interests_version;
DROP TABLE attendee_tags;
DROP TABLE event_tags;
