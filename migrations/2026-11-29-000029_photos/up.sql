-- Photos and covers kept in the database (NETEVENT_PHOTOS=database): every instance of a
-- cluster can serve each one, and the database's replication and backups carry them. They
-- are re-encoded JPEGs of at most a few hundred KB; MEDIUMBLOB holds up to 16 MB.
CREATE TABLE photos (
  name VARCHAR(40) NOT NULL PRIMARY KEY,
  bytes MEDIUMBLOB NOT NULL,
  stored_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;
