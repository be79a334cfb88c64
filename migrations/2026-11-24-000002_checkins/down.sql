DROP INDEX attendees_event_role ON attendees;
DROP INDEX attendees_event_organisation ON attendees;
DROP TABLE checkins;
