-- Mail waiting to go out. A row is written in the same transaction as the change it reports,
-- so there is no mail for a rolled-back change and no change without its mail. Every server
-- instance's worker claims due rows with FOR UPDATE SKIP LOCKED and pushes `due_at` ahead
-- while it sends (a lease: a crashed sender's rows come due again), so each mail is sent by
-- one instance. Times are UTC.
CREATE TABLE outbox (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  kind VARCHAR(32) NOT NULL,
  recipient VARCHAR(255) NOT NULL,
  -- The event the mail is about (its organiser sees mail that could not be delivered).
  event_id INT NULL,
  -- The recipient's registration, when they are an attendee: their preferences decide.
  attendee_id INT NULL,
  -- The connection or appointment the mail is about; gone by sending time: not sent.
  subject_id INT NULL,
  -- A password-reset link's token, kept only until the mail is sent.
  secret VARCHAR(128) NULL,
  status ENUM('pending','sent','skipped','failed') NOT NULL DEFAULT 'pending',
  due_at DATETIME(3) NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  last_error VARCHAR(500) NULL,
  created_at DATETIME(3) NOT NULL,
  sent_at DATETIME(3) NULL,
  KEY outbox_due (status, due_at),
  KEY outbox_event_status (event_id, status),
  KEY outbox_attendee (attendee_id),
  CONSTRAINT outbox_event_fk FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE,
  CONSTRAINT outbox_attendee_fk FOREIGN KEY (attendee_id) REFERENCES attendees (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which mails an attendee wants, per registration (API.md's four switches); no row: all on.
CREATE TABLE notification_settings (
  attendee_id INT NOT NULL PRIMARY KEY,
  connection_requests BOOLEAN NOT NULL DEFAULT TRUE,
  meeting_requests BOOLEAN NOT NULL DEFAULT TRUE,
  meeting_updates BOOLEAN NOT NULL DEFAULT TRUE,
  reminders BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT notification_settings_attendee_fk FOREIGN KEY (attendee_id) REFERENCES attendees (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Password-reset links: only the SHA-256 of the token is kept; one hour, single use.
CREATE TABLE password_resets (
  token_hash CHAR(64) NOT NULL PRIMARY KEY,
  role ENUM('organizer','attendee') NOT NULL,
  email VARCHAR(255) NOT NULL,
  expires_at DATETIME NOT NULL,
  used_at DATETIME NULL,
  created_at DATETIME NOT NULL,
  KEY password_resets_email (email, created_at),
  KEY password_resets_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Keys every instance shares, made once by the database: the one that signs unsubscribe links.
CREATE TABLE server_keys (
  name VARCHAR(32) NOT NULL PRIMARY KEY,
  secret VARBINARY(64) NOT NULL
) ENGINE=InnoDB;
INSERT INTO server_keys (name, secret) VALUES ('unsubscribe', RANDOM_BYTES(32));
