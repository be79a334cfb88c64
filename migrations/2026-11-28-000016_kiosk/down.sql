DELETE FROM staff_access WHERE role = 'kiosk';
ALTER TABLE staff_access
  MODIFY role VARCHAR(16) NOT NULL DEFAULT 'steward'
    CHECK (role IN ('steward', 'supervisor'));
