-- An event may keep a waitlist once it is full: each entry holds what registering takes
-- (the password already hashed), and each seat freed goes to the oldest entry, which
-- becomes an attendee. Entries are read in `id` order per event.
ALTER TABLE events ADD COLUMN waitlist BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE waitlist (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  email VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  first_name VARCHAR(100) NOT NULL,
  last_name VARCHAR(100) NOT NULL,
  organisation VARCHAR(255) NULL,
  role VARCHAR(255) NULL,
  introduction TEXT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY waitlist_event_email (event_id, email),
  KEY waitlist_event_order (event_id, id),
  CONSTRAINT waitlist_event FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
);
