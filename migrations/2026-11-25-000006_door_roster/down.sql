DROP INDEX attendees_event_id ON attendees;
