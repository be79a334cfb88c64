ALTER TABLE attendees DROP COLUMN meeting_claims;
