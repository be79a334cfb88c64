-- Check-in lists (gates): an event's doors and rooms, each counting who came in and, where
-- it counts exits, who is inside now. Every event has one default list (`default_for` is its
-- event's id there and NULL elsewhere, so the unique key allows one per event); a scan
-- without a list goes to it, so clients from before lists keep working.
CREATE TABLE checkin_lists (
  id INT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  name VARCHAR(100) NOT NULL,
  counts_exits BOOLEAN NOT NULL DEFAULT FALSE,
  default_for INT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY checkin_lists_default (default_for),
  CHECK (default_for IS NULL OR default_for = event_id),
  UNIQUE KEY checkin_lists_event_name (event_id, name),
  CONSTRAINT checkin_lists_event_fk FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where each attendee stands on each list: in since `first_in_at`, inside now or gone out,
-- how many times they came in. The event-wide check-in (`checkins`) is still the first entry
-- on any list. Counts per list read (list_id, inside).
CREATE TABLE list_passes (
  list_id INT NOT NULL,
  attendee_id INT NOT NULL,
  inside BOOLEAN NOT NULL,
  entries INT NOT NULL,
  first_in_at DATETIME NOT NULL,
  last_scan_at DATETIME NOT NULL,
  PRIMARY KEY (list_id, attendee_id),
  KEY list_passes_inside (list_id, inside),
  KEY list_passes_attendee (attendee_id),
  CONSTRAINT list_passes_list_fk FOREIGN KEY (list_id) REFERENCES checkin_lists (id) ON DELETE CASCADE,
  CONSTRAINT list_passes_attendee_fk FOREIGN KEY (attendee_id) REFERENCES attendees (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO checkin_lists (event_id, name, default_for)
  SELECT id, 'Main entrance', id FROM events;
INSERT INTO list_passes (list_id, attendee_id, inside, entries, first_in_at, last_scan_at)
  SELECT l.id, c.attendee_id, TRUE, 1, c.checked_in_at, c.checked_in_at
  FROM checkins c JOIN checkin_lists l ON l.default_for = c.event_id;

-- Door links are stewards (scan only) or supervisors (also search, check in by hand, undo,
-- counts), optionally bound to one list; a link outlives no list it is bound to (it would
-- otherwise scan everywhere). Links made before roles keep what they could do.
ALTER TABLE staff_access
  ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'steward' CHECK (role IN ('steward', 'supervisor')),
  ADD COLUMN list_id INT NULL,
  ADD CONSTRAINT staff_access_list_fk FOREIGN KEY (list_id) REFERENCES checkin_lists (id) ON DELETE CASCADE;
UPDATE staff_access SET role = 'supervisor';
