-- The picture at the top of an event's page and in the previews chat apps show of its link:
-- the address of a 1200×630 JPEG the organiser uploaded, re-encoded like profile photos.
ALTER TABLE events ADD COLUMN cover_image VARCHAR(64) NULL;
