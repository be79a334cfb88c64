ALTER TABLE checkins DROP FOREIGN KEY checkins_staff_fk, DROP COLUMN checked_in_by_staff_id;
DROP TABLE staff_access;
