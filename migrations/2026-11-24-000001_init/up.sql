CREATE TABLE organizers (
  id INT PRIMARY KEY AUTO_INCREMENT,
  email VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY organizers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE events (
  id INT PRIMARY KEY AUTO_INCREMENT,
  organizer_id INT NOT NULL,
  code VARCHAR(10) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NULL,
  start_time DATETIME NOT NULL,
  end_time DATETIME NOT NULL,
  location VARCHAR(255) NULL,
  max_attendees INT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY events_code (code),
  KEY events_organizer_start (organizer_id, start_time),
  KEY events_start (start_time),
  CONSTRAINT events_organizer_fk FOREIGN KEY (organizer_id) REFERENCES organizers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE attendees (
  id INT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  email VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  first_name VARCHAR(100) NOT NULL,
  last_name VARCHAR(100) NOT NULL,
  organisation VARCHAR(255) NULL,
  role VARCHAR(255) NULL,
  introduction TEXT NULL,
  profile_picture VARCHAR(255) NULL,
  checkin_token VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY attendees_event_email (event_id, email),
  UNIQUE KEY attendees_checkin_token (checkin_token),
  KEY attendees_email_created (email, created_at),
  KEY attendees_event_name (event_id, last_name, first_name),
  CONSTRAINT attendees_event_fk FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE connections (
  id INT PRIMARY KEY AUTO_INCREMENT,
  attendee_id INT NOT NULL,
  connected_attendee_id INT NOT NULL,
  status ENUM('pending','accepted','rejected') NOT NULL DEFAULT 'pending',
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY connections_pair (attendee_id, connected_attendee_id),
  KEY connections_target_status (connected_attendee_id, status),
  CONSTRAINT connections_attendee_fk FOREIGN KEY (attendee_id) REFERENCES attendees (id) ON DELETE CASCADE,
  CONSTRAINT connections_connected_fk FOREIGN KEY (connected_attendee_id) REFERENCES attendees (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE appointments (
  id INT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  requester_id INT NOT NULL,
  target_id INT NOT NULL,
  appointment_time DATETIME NOT NULL,
  duration_minutes INT NOT NULL DEFAULT 30,
  location VARCHAR(255) NULL,
  notes TEXT NULL,
  status ENUM('pending','accepted','rejected') NOT NULL DEFAULT 'pending',
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY appointments_event (event_id),
  KEY appointments_requester_time (requester_id, appointment_time),
  KEY appointments_target_time (target_id, appointment_time),
  CONSTRAINT appointments_event_fk FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE,
  CONSTRAINT appointments_requester_fk FOREIGN KEY (requester_id) REFERENCES attendees (id) ON DELETE CASCADE,
  CONSTRAINT appointments_target_fk FOREIGN KEY (target_id) REFERENCES attendees (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- tower-sessions records, shared by every server instance.
CREATE TABLE sessions (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  data MEDIUMBLOB NOT NULL,
  expiry_date DATETIME(6) NOT NULL,
  KEY sessions_expiry (expiry_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
