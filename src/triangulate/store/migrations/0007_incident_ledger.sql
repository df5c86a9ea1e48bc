-- Rebuilding an event's ledger reuses what its unchanged members already gave: a member
-- whose origin is set has its claims stored under the event; NULL means "not yet built
-- for this event" (new incidents, incidents moved by a user merge or split, stores made
-- before this column).
ALTER TABLE incidents ADD COLUMN origin TEXT;
