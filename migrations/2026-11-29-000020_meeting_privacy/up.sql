-- Who may ask an attendee for a 1:1 meeting: everyone at the event, only their
-- connections, or nobody.
ALTER TABLE attendees
  ADD COLUMN meetings_from VARCHAR(16) NOT NULL DEFAULT 'everyone'
    CHECK (meetings_from IN ('everyone', 'connections', 'nobody'));
