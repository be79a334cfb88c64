-- When the attendee's badge was last on a printed sheet: late registrants can be printed alone.
ALTER TABLE attendees ADD COLUMN badge_printed_at DATETIME NULL;
