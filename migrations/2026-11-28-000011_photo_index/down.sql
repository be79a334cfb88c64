DROP INDEX attendees_profile_picture ON attendees;
