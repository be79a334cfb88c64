-- How many are registered, kept on the event by triggers, so that every page showing spots
-- left reads one row instead of counting thousands (and no code path can forget it).
ALTER TABLE events ADD COLUMN attendee_count INT NOT NULL DEFAULT 0;
UPDATE events e SET attendee_count = (SELECT COUNT(*) FROM attendees a WHERE a.event_id = e.id);
CREATE TRIGGER attendees_count_in AFTER INSERT ON attendees FOR EACH ROW
  UPDATE events SET attendee_count = attendee_count + 1 WHERE id = NEW.event_id;
CREATE TRIGGER attendees_count_out AFTER DELETE ON attendees FOR EACH ROW
  UPDATE events SET attendee_count = attendee_count - 1 WHERE id = OLD.event_id;

-- Directory search by the beginnings of words in name, organisation and role; without
-- stopwords, so that a name like "Will" or "The" is found.
SET SESSION innodb_ft_enable_stopword = OFF;
CREATE FULLTEXT INDEX attendees_search ON attendees (first_name, last_name, organisation, role);
