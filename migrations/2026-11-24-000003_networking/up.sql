-- One connection per pair of attendees, whichever way it was asked: two people who ask each
-- other at the same moment get one request, not two.
ALTER TABLE connections
  ADD COLUMN pair_low INT AS (LEAST(attendee_id, connected_attendee_id)) PERSISTENT,
  ADD COLUMN pair_high INT AS (GREATEST(attendee_id, connected_attendee_id)) PERSISTENT,
  ADD UNIQUE KEY connections_unordered_pair (pair_low, pair_high);

-- "My connections" reads both directions; the inbox counts what waits for an answer.
CREATE INDEX connections_requester_status ON connections (attendee_id, status);
CREATE INDEX appointments_target_status ON appointments (target_id, status);
