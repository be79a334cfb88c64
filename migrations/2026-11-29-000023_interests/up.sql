-- Interests: the organiser names the event's (at most 64, so that the recommendations hold
-- each person's as a 64-bit set), each attendee picks what they offer and what they look
-- for. "People to meet" is ranked in memory per event and version: `interests_version`
-- changes with any pick or tag, as `directory_version` does with people.
CREATE TABLE event_tags (
  id INT PRIMARY KEY AUTO_INCREMENT,
  event_id INT NOT NULL,
  name VARCHAR(40) NOT NULL,
  position INT NOT NULL,
  UNIQUE KEY event_tags_event_name (event_id, name),
  KEY event_tags_event_position (event_id, position),
  CONSTRAINT event_tags_event FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
);

CREATE TABLE attendee_tags (
  attendee_id INT NOT NULL,
  kind VARCHAR(6) NOT NULL,
  tag_id INT NOT NULL,
  PRIMARY KEY (attendee_id, kind, tag_id),
  KEY attendee_tags_tag (tag_id, attendee_id),
  CONSTRAINT attendee_tags_attendee FOREIGN KEY (attendee_id) REFERENCES attendees (id) ON DELETE CASCADE,
  CONSTRAINT attendee_tags_tag_fk FOREIGN KEY (tag_id) REFERENCES event_tags (id) ON DELETE CASCADE,
  CONSTRAINT attendee_tags_kind CHECK (kind IN ('offers', 'seeks'))
);

ALTER TABLE events ADD COLUMN interests_version BIGINT UNSIGNED NOT NULL DEFAULT 0;
