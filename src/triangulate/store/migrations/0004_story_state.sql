-- Story clustering state (triangulate.link.story_state.SqliteStoryState).
-- Every table is read by key for one document at a time: adding a document costs the same
-- whatever the number of stories or documents already here.

-- Counters: documents (corpus size behind IDF), stories (last number handed out),
-- tick (change clock), refined (tick at the end of the last refinement).
CREATE TABLE story_meta (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- Document frequency per hashed term (negative terms are salient keys).
CREATE TABLE story_df (
    term INTEGER PRIMARY KEY,
    df INTEGER NOT NULL
);

-- One row per story ever made. Shown as story-000001 (id 1). A story merged into another
-- keeps its row with merged_into set, so an id once handed out can still be resolved.
CREATE TABLE story_stories (
    id INTEGER PRIMARY KEY,
    size INTEGER NOT NULL,
    norm_sq REAL NOT NULL,             -- squared norm of the IDF-weighted term sums
    dated INTEGER NOT NULL,            -- documents that mention a year
    years TEXT NOT NULL,               -- JSON object: year -> documents mentioning it
    touched INTEGER NOT NULL,          -- tick of the last change
    merged_into INTEGER REFERENCES story_stories(id)
);
CREATE INDEX story_stories_touched ON story_stories(touched);

-- Summed term frequencies of a story's documents (salient keys: number of documents).
CREATE TABLE story_terms (
    story_id INTEGER NOT NULL,
    term INTEGER NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (story_id, term)
) WITHOUT ROWID;

-- Blocking index: which stories used a key, and when last (only the most recent are read).
CREATE TABLE story_postings (
    key INTEGER NOT NULL,
    story_id INTEGER NOT NULL,
    tick INTEGER NOT NULL,
    PRIMARY KEY (key, story_id)
) WITHOUT ROWID;
CREATE INDEX story_postings_recent ON story_postings(key, tick);
CREATE INDEX story_postings_story ON story_postings(story_id);

-- The story of each document, read by the product to list stories.
CREATE TABLE story_docs (
    doc_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    score REAL NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX story_docs_story ON story_docs(story_id);

-- A document's terms as the clusterer saw them, for refinement to re-score it later.
-- data is JSON: term counts, salient keys, blocking keys, years.
CREATE TABLE story_doc_terms (
    doc_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    data TEXT NOT NULL
);
