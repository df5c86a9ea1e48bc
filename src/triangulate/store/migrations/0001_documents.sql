-- Sources, documents, their blocks, copy links and the fingerprints that find them.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- lower-case domain, else name
    name TEXT,
    domain TEXT,
    kind TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT ''
);

CREATE TABLE documents (
    seq INTEGER PRIMARY KEY,           -- ingest order
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    url TEXT,
    title TEXT,
    author TEXT,
    published TEXT,
    published_precision TEXT,
    published_method TEXT NOT NULL,
    published_evidence TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',   -- JSON list, main language first
    text TEXT NOT NULL,
    encoding TEXT NOT NULL,
    input_format TEXT NOT NULL,
    locator TEXT NOT NULL,             -- where it was first read from
    captured TEXT,
    copy_of TEXT REFERENCES documents(id),
    copy_score REAL,
    copy_reason TEXT,
    fp_count INTEGER NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    stage TEXT NOT NULL,               -- stages and versions that made this row
    ingested_at TEXT NOT NULL,
    CHECK (copy_of IS NULL OR copy_of <> id)
);
CREATE INDEX documents_copy_of ON documents(copy_of);
CREATE INDEX documents_source ON documents(source_id);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE blocks (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    lang TEXT NOT NULL,
    parent INTEGER,
    number INTEGER,
    author TEXT,
    note TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL,
    stage TEXT NOT NULL,
    PRIMARY KEY (doc_seq, idx),
    CHECK (start >= 0 AND start <= "end")
) WITHOUT ROWID;

CREATE TABLE fingerprints (
    hash INTEGER NOT NULL,
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    PRIMARY KEY (hash, doc_seq)
) WITHOUT ROWID;

-- Every place a stored document was read from (exact duplicates add a sighting only).
CREATE TABLE sightings (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    locator TEXT NOT NULL,
    url TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (doc_seq, locator)
) WITHOUT ROWID;

-- Inputs that could not be stored, with the reason; cleared when one later succeeds.
CREATE TABLE rejections (
    locator TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (locator, code)
) WITHOUT ROWID;
