ALTER TABLE attendees DROP COLUMN badge_organisation, DROP COLUMN badge_role;
