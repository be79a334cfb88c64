ALTER TABLE attendees DROP COLUMN badge_printed_at;
