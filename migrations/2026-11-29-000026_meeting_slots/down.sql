ALTER TABLE appointments
  DROP FOREIGN KEY appointments_place,
  DROP KEY appointments_event_placed,
  DROP KEY appointments_place_time,
  DROP COLUMN place_id;
DROP TABLE meeting_places;
DROP TABLE meeting_periods;
ALTER TABLE events DROP COLUMN meeting_slot_minutes;
