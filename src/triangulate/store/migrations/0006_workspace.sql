-- The workspace's read paths (triangulate serve, /api): indexes and two small derived
-- tables that let a timeline page cost the same on a store of any size. Made after
-- 0005 had been applied to some stores, so it is a migration of its own.

-- Incident rows carry their whole incident and signature JSON, so reading a column stored
-- after them (event_id, stance) walks overflow pages; this covering index gives the
-- timeline's stance counts without touching the rows.
CREATE INDEX incidents_event_stance ON incidents(event_id, stance);

-- Which languages and sources report each event, with how many incidents: the timeline's
-- language and source filters read these (cost grows with events, not documents).
-- Triggers on incidents keep them current whichever code links, re-links or corrects.
-- A document's main language and source do not change after ingest.
CREATE TABLE event_langs (
    lang TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (lang, event_id)
) WITHOUT ROWID;

CREATE TABLE event_sources (
    source_id INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (source_id, event_id)
) WITHOUT ROWID;

CREATE TRIGGER incidents_facets_insert AFTER INSERT ON incidents
WHEN new.event_id IS NOT NULL BEGIN
    INSERT INTO event_langs (lang, event_id, n) VALUES (
        (SELECT COALESCE(json_extract(languages, '$[0]'), 'und') FROM documents WHERE seq = new.doc_seq),
        new.event_id, 1)
    ON CONFLICT (lang, event_id) DO UPDATE SET n = n + 1;
    INSERT INTO event_sources (source_id, event_id, n) VALUES (
        (SELECT source_id FROM documents WHERE seq = new.doc_seq), new.event_id, 1)
    ON CONFLICT (source_id, event_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER incidents_facets_delete AFTER DELETE ON incidents
WHEN old.event_id IS NOT NULL BEGIN
    UPDATE event_langs SET n = n - 1 WHERE event_id = old.event_id AND lang =
        (SELECT COALESCE(json_extract(languages, '$[0]'), 'und') FROM documents WHERE seq = old.doc_seq);
    UPDATE event_sources SET n = n - 1 WHERE event_id = old.event_id AND source_id =
        (SELECT source_id FROM documents WHERE seq = old.doc_seq);
    DELETE FROM event_langs WHERE event_id = old.event_id AND n <= 0;
    DELETE FROM event_sources WHERE event_id = old.event_id AND n <= 0;
END;

CREATE TRIGGER incidents_facets_move AFTER UPDATE OF event_id ON incidents
WHEN old.event_id IS NOT new.event_id BEGIN
    UPDATE event_langs SET n = n - 1 WHERE event_id = old.event_id AND lang =
        (SELECT COALESCE(json_extract(languages, '$[0]'), 'und') FROM documents WHERE seq = old.doc_seq);
    UPDATE event_sources SET n = n - 1 WHERE event_id = old.event_id AND source_id =
        (SELECT source_id FROM documents WHERE seq = old.doc_seq);
    DELETE FROM event_langs WHERE event_id = old.event_id AND n <= 0;
    DELETE FROM event_sources WHERE event_id = old.event_id AND n <= 0;
    INSERT INTO event_langs (lang, event_id, n) SELECT
        COALESCE(json_extract(languages, '$[0]'), 'und'), new.event_id, 1
        FROM documents WHERE seq = new.doc_seq AND new.event_id IS NOT NULL
    ON CONFLICT (lang, event_id) DO UPDATE SET n = n + 1;
    INSERT INTO event_sources (source_id, event_id, n) SELECT
        source_id, new.event_id, 1 FROM documents WHERE seq = new.doc_seq AND new.event_id IS NOT NULL
    ON CONFLICT (source_id, event_id) DO UPDATE SET n = n + 1;
END;

-- Events linked before this migration.
INSERT INTO event_langs (lang, event_id, n)
    SELECT COALESCE(json_extract(d.languages, '$[0]'), 'und'), i.event_id, COUNT(*)
    FROM incidents i JOIN documents d ON d.seq = i.doc_seq WHERE i.event_id IS NOT NULL
    GROUP BY 1, 2;
INSERT INTO event_sources (source_id, event_id, n)
    SELECT d.source_id, i.event_id, COUNT(*)
    FROM incidents i JOIN documents d ON d.seq = i.doc_seq WHERE i.event_id IS NOT NULL
    GROUP BY 1, 2;
CREATE INDEX event_sources_event ON event_sources(event_id);
CREATE INDEX event_langs_event ON event_langs(event_id);

-- Each event's types (a JSON list in events.types) one per row, for the type filter.
CREATE TABLE event_types (
    type TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    PRIMARY KEY (type, event_id)
) WITHOUT ROWID;
CREATE INDEX event_types_event ON event_types(event_id);

CREATE TRIGGER events_types_insert AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO event_types (type, event_id)
        SELECT value, new.id FROM json_each(new.types) WHERE true;
END;

CREATE TRIGGER events_types_update AFTER UPDATE OF types ON events
WHEN old.types IS NOT new.types BEGIN
    DELETE FROM event_types WHERE event_id = old.id;
    INSERT OR IGNORE INTO event_types (type, event_id)
        SELECT value, new.id FROM json_each(new.types) WHERE true;
END;

CREATE TRIGGER events_types_delete AFTER DELETE ON events BEGIN
    DELETE FROM event_types WHERE event_id = old.id;
END;

INSERT OR IGNORE INTO event_types (type, event_id)
    SELECT t.value, e.id FROM events e, json_each(e.types) t WHERE true;
