-- A replaced photo is deleted once no registration shows it (an RSVP copies the address):
-- that count looks the address up here.
CREATE INDEX attendees_profile_picture ON attendees (profile_picture);
