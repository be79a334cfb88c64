-- An attendee may block another of the same event: from then on neither finds the other
-- (lists, search, profile by address: 404), neither may ask the other to connect or meet,
-- and whatever was between them (connection, meeting requests, meetings) is gone. Both
-- directions are read: "whom I blocked" by the key, "who blocked me" by the second index.
CREATE TABLE blocks (
  blocker_id INT NOT NULL,
  blocked_id INT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (blocker_id, blocked_id),
  KEY blocks_blocked (blocked_id, blocker_id),
  CONSTRAINT blocks_blocker FOREIGN KEY (blocker_id) REFERENCES attendees (id) ON DELETE CASCADE,
  CONSTRAINT blocks_blocked_attendee FOREIGN KEY (blocked_id) REFERENCES attendees (id) ON DELETE CASCADE,
  CONSTRAINT blocks_not_self CHECK (blocker_id <> blocked_id)
);
