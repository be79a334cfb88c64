-- When the door takes entries: from this many minutes before the event's start until its
-- end (NULL: any time). Scans outside answer amber with the reason; a supervisor or the
-- organiser may check in anyway. Two hours before, as the day's doors usually open.
ALTER TABLE events
  ADD COLUMN checkin_opens_minutes_before INT NULL DEFAULT 120
    CHECK (checkin_opens_minutes_before BETWEEN 0 AND 10080);
