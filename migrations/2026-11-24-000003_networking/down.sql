DROP INDEX appointments_target_status ON appointments;
DROP INDEX connections_requester_status ON connections;
ALTER TABLE connections
  DROP KEY connections_unordered_pair,
  DROP COLUMN pair_high,
  DROP COLUMN pair_low;
