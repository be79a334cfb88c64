ALTER TABLE staff_access
  DROP FOREIGN KEY staff_access_list_fk,
  DROP COLUMN list_id,
  DROP COLUMN role;
DROP TABLE list_passes;
DROP TABLE checkin_lists;
