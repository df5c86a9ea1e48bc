-- Across documents: entities, incidents (one document's grouped event mentions), events
-- (incidents linked across documents), the claims ledger, conflicts, and user overrides.

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    named_by TEXT NOT NULL DEFAULT 'auto',   -- 'auto' or 'user' (a rename override)
    deleted INTEGER NOT NULL DEFAULT 0      -- hidden by a delete override
);

-- Which mention keys belong to which entity, and why.
CREATE TABLE entity_keys (
    key TEXT NOT NULL,
    type TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (key, type)
) WITHOUT ROWID;
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);

-- Last word of a person's key -> entities: short forms ("Aliyev") find full names.
CREATE TABLE entity_surnames (
    surname TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    PRIMARY KEY (surname, entity_id)
) WITHOUT ROWID;

-- User corrections, replayed after every re-analysis.
CREATE TABLE overrides (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,                -- 'entity' or 'event'
    action TEXT NOT NULL,                -- merge, split, rename, delete
    args TEXT NOT NULL,                  -- JSON
    created_at TEXT NOT NULL
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    story_id TEXT,
    kind TEXT NOT NULL,                  -- operation or reaction
    types TEXT NOT NULL,                 -- JSON list of our event types
    label TEXT NOT NULL,
    date TEXT,                           -- calendar TimeML value, XXXX when the year is unknown
    date_start TEXT,                     -- ISO interval when the year is known
    date_end TEXT,
    precision TEXT NOT NULL,
    date_method TEXT NOT NULL,           -- reported, combined, inferred, unknown
    date_evidence TEXT NOT NULL,
    place TEXT,
    signature TEXT NOT NULL,             -- EventSignature JSON of the whole event
    documents INTEGER NOT NULL DEFAULT 0,
    sources INTEGER NOT NULL DEFAULT 0,  -- independent sources
    updated_at TEXT NOT NULL
);
CREATE INDEX events_story ON events(story_id);
CREATE INDEX events_date ON events(date_start);

-- Blocking index: candidate events for a new incident are found through shared keys.
CREATE TABLE event_keys (
    key TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (key, event_id)
) WITHOUT ROWID;

CREATE TABLE incidents (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    anchor INTEGER NOT NULL,
    data TEXT NOT NULL,                  -- Incident record JSON
    signature TEXT NOT NULL,             -- EventSignature JSON
    event_id INTEGER REFERENCES events(id),
    score REAL,
    evidence TEXT NOT NULL DEFAULT '[]', -- why it joined its event
    stance TEXT NOT NULL DEFAULT '[]',   -- JSON: Stance records toward the event's claims
    PRIMARY KEY (doc_seq, idx)
) WITHOUT ROWID;
CREATE INDEX incidents_event ON incidents(event_id);

CREATE TABLE claims (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    property TEXT NOT NULL,
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    data TEXT NOT NULL,                  -- Claim record JSON
    PRIMARY KEY (event_id, idx)
) WITHOUT ROWID;

CREATE TABLE conflicts (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    property TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity REAL NOT NULL,
    data TEXT NOT NULL,                  -- Conflict record JSON
    PRIMARY KEY (event_id, idx)
) WITHOUT ROWID;

-- Which documents the link stage has seen, and by which version.
CREATE TABLE linked (
    doc_seq INTEGER PRIMARY KEY REFERENCES documents(seq) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    story_id TEXT,
    linked_at TEXT NOT NULL
);
