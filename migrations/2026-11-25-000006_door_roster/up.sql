-- The door's list pages through an event's attendees in id order.
CREATE INDEX attendees_event_id ON attendees (event_id, id);
