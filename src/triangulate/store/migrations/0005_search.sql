-- Full-text search over documents (title + text) and the indexes the workspace's pages
-- and API page through. The FTS table borrows its content from `documents` (no second
-- copy of every text); triggers keep it current, so any code path that inserts, deletes
-- or edits documents (the ingest pipeline, bulk loaders, tests) is indexed alike.
-- unicode61 folds case in every script (Кремль/кремль) and, with remove_diacritics 2,
-- lets a query typed without Azerbaijani or Turkish marks match them (Seferov/Səfərov does
-- not: ə and ı are letters of their own, not marked forms).
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title,
    text,
    content='documents',
    content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
END;

-- Only edits of the indexed columns re-index: copy links and other updates cost nothing.
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

-- A store made before this migration: index what it already holds.
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');

-- The timeline's order (dated events first, by start, then calendar value, then id) as an
-- index, so one page is read by walking it instead of sorting every event.
CREATE INDEX events_timeline ON events((date_start IS NULL), date_start, date, id);

-- Events that name an entity are found through their claims' entity keys.
CREATE INDEX claims_key ON claims(json_extract(data, '$.key'));

-- A source page reads its documents' claims; a language filter reads documents by their
-- main language without touching their text.
CREATE INDEX claims_doc ON claims(doc_seq);
CREATE INDEX documents_main_lang ON documents(json_extract(languages, '$[0]'), seq);
CREATE INDEX linked_story ON linked(story_id);
