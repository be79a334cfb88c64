-- Who finds an event: 'public' ones are listed (`GET /api/events`, the home page),
-- 'unlisted' ones are reached only by their link. The listing asks for live public events
-- that have not ended, soonest first: this key answers it without reading other events.
ALTER TABLE events
  ADD COLUMN visibility VARCHAR(16) NOT NULL DEFAULT 'public'
    CHECK (visibility IN ('public', 'unlisted')),
  ADD KEY events_listed (visibility, deleted_at, end_utc, start_utc);
