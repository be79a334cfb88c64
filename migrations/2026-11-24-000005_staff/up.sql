-- Check-in staff: a named, revocable link per person at the door, valid for one event only.
CREATE TABLE staff_access (
  id INT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  name VARCHAR(100) NOT NULL,
  token VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  revoked_at DATETIME NULL,
  UNIQUE KEY staff_access_token (token),
  KEY staff_access_event (event_id, created_at),
  CONSTRAINT staff_access_event_fk FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE checkins
  ADD COLUMN checked_in_by_staff_id INT NULL,
  ADD CONSTRAINT checkins_staff_fk FOREIGN KEY (checked_in_by_staff_id) REFERENCES staff_access (id) ON DELETE SET NULL;
