-- The aggregate signature of an event's most recent members (the ones a new report is
-- scored against), kept with the event: most candidates an incident's blocking keys find
-- are ruled out by hard evidence against that aggregate (another date, another city), and
-- checking it from the event row spares reading their members. '' = not computed yet
-- (stores linked before this migration): the members are read as before.
ALTER TABLE events ADD COLUMN recent TEXT NOT NULL DEFAULT '';
