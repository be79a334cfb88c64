-- A self check-in kiosk is a door access of its own kind: started on the tablet by a
-- supervisor or the organiser, it checks in the tickets shown to it and prints their badges.
ALTER TABLE staff_access
  MODIFY role VARCHAR(16) NOT NULL DEFAULT 'steward'
    CHECK (role IN ('steward', 'supervisor', 'kiosk'));
