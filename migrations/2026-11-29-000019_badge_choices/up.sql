-- What an attendee lets their printed badge show beside their name (the badge preview on
-- their profile): their organisation, their role. Both, unless they say otherwise.
ALTER TABLE attendees
  ADD COLUMN badge_organisation BOOLEAN NOT NULL DEFAULT TRUE,
  ADD COLUMN badge_role BOOLEAN NOT NULL DEFAULT TRUE;
