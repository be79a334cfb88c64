-- Meeting slots and tables. The organiser sets the event's meeting periods (wall-clock times
-- at the event), one slot length, and the places meetings happen at (tables, rooms). A
-- period is cut into slots from its start; periods never overlap, so two slot meetings at
-- one place overlap only when they start together, and the unique key below is what keeps
-- a table to one meeting at a time, on every node of a cluster too. Only accepted meetings
-- hold a place.
ALTER TABLE events ADD COLUMN meeting_slot_minutes INT NULL;

CREATE TABLE meeting_periods (
  id INT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  starts_at DATETIME NOT NULL,
  ends_at DATETIME NOT NULL,
  KEY meeting_periods_event (event_id, starts_at),
  CONSTRAINT meeting_periods_event_fk FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE,
  CONSTRAINT meeting_periods_order CHECK (ends_at > starts_at)
);

CREATE TABLE meeting_places (
  id INT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  name VARCHAR(60) NOT NULL,
  position INT NOT NULL,
  UNIQUE KEY meeting_places_event_name (event_id, name),
  KEY meeting_places_event_position (event_id, position),
  CONSTRAINT meeting_places_event_fk FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
);

ALTER TABLE appointments
  ADD COLUMN place_id INT NULL,
  ADD UNIQUE KEY appointments_place_time (place_id, appointment_time),
  ADD KEY appointments_event_placed (event_id, appointment_time, place_id),
  ADD CONSTRAINT appointments_place FOREIGN KEY (place_id) REFERENCES meeting_places (id) ON DELETE SET NULL;
