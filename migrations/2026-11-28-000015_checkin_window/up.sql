-- When the door takes entries: from this many minutes before the event's start until its
-- end (NULL: any time). Scans outside answer amber with the reason; a supervisor or the
-- organiser may check in anyway. New events get two hours from the domain (the usual time
-- doors open); events made before keep checking in at any time, as they did.
ALTER TABLE events
  ADD COLUMN checkin_opens_minutes_before INT NULL
    CHECK (checkin_opens_minutes_before BETWEEN 0 AND 10080);
