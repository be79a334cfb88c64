DROP TABLE waitlist;
ALTER TABLE events DROP COLUMN waitlist;
