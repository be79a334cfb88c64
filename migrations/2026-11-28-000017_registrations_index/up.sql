-- Registrations over time (the organiser's Overview, every 5 s on the Check-in section) and
-- the attendee table's "newest registration" order read an event's attendees by time.
CREATE INDEX attendees_event_created ON attendees (event_id, created_at);
