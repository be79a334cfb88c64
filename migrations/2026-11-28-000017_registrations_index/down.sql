DROP INDEX attendees_event_created ON attendees;
