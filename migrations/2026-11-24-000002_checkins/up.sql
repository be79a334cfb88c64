-- Who was checked in, when, and by whom. One row per attendee: a repeated scan finds it.
CREATE TABLE checkins (
  id INT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  attendee_id INT NOT NULL,
  checked_in_at DATETIME NOT NULL,
  checked_in_by_organizer_id INT NULL,
  device VARCHAR(100) NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY checkins_attendee (attendee_id),
  KEY checkins_event_time (event_id, checked_in_at),
  CONSTRAINT checkins_event_fk FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE,
  CONSTRAINT checkins_attendee_fk FOREIGN KEY (attendee_id) REFERENCES attendees (id) ON DELETE CASCADE,
  CONSTRAINT checkins_organizer_fk FOREIGN KEY (checked_in_by_organizer_id) REFERENCES organizers (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The stats breakdowns group an event's attendees by these; the first also serves the
-- attendee list sorted by organisation.
CREATE INDEX attendees_event_organisation ON attendees (event_id, organisation, last_name, first_name);
CREATE INDEX attendees_event_role ON attendees (event_id, role);
