-- Per-document understanding: entity mentions, time expressions, event mentions.
CREATE TABLE analyses (
    doc_seq INTEGER PRIMARY KEY REFERENCES documents(seq) ON DELETE CASCADE,
    stage TEXT NOT NULL,               -- stage and version that made the rows below
    analysed_at TEXT NOT NULL,
    languages_without_backend TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE entity_mentions (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    canonical TEXT NOT NULL,
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (doc_seq, idx)
) WITHOUT ROWID;
CREATE INDEX entity_mentions_key ON entity_mentions(key);

CREATE TABLE timexes (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    data TEXT NOT NULL,                -- the TimeExpr record as JSON
    value TEXT NOT NULL,
    PRIMARY KEY (doc_seq, idx)
) WITHOUT ROWID;

CREATE TABLE event_mentions (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    type TEXT NOT NULL,
    cameo TEXT,
    plover TEXT,
    modality TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    confidence REAL NOT NULL,
    data TEXT NOT NULL,                -- the EventMention record as JSON
    PRIMARY KEY (doc_seq, idx)
) WITHOUT ROWID;
CREATE INDEX event_mentions_type ON event_mentions(type);
