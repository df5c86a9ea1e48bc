-- An event's own blocking keys, found without scanning the whole index: rewriting them
-- when the event changes (and deleting the event) read every row of event_keys before,
-- so linking one document cost more the bigger the store was.
CREATE INDEX event_keys_event ON event_keys(event_id);
