"""Full-text search over stored documents (SQLite FTS5, table ``documents_fts`` made by
migration 0005 and kept current by triggers), with entity and date filters.

A query is words and "quoted phrases"; every part must match (AND). Words of three or
more letters also match as prefixes, because Russian and Azerbaijani inflect by suffix
(задержан → задержаны, Bakı → Bakıda). Nothing a user types reaches FTS5's own query
syntax unquoted, so a stray ``"``, ``*`` or ``NEAR`` cannot make a query fail or change
its meaning.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..errors import TriangulateError

# Words shorter than this are matched whole: a one- or two-letter prefix matches most of
# the index and makes a slow, useless query.
MIN_PREFIX = 3
# Marks the matches in a snippet; control characters cannot occur in stored text
# (ingest drops them), so splitting on them is safe, and escaping stays with the caller.
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"
SNIPPET_TOKENS = 24
# BM25 scores every matching document before the first page can be cut: about 120 ms for
# a word found in 40,000 of 100,000 documents. Past this many matches the hits come newest
# first instead (score None), and the total tells the analyst to narrow the query.
RANK_LIMIT = 5000
MAX_QUERY_PARTS = 16
MAX_QUERY_CHARS = 400

_PART = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORD = re.compile(r"\w+", re.UNICODE)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class SearchQueryError(TriangulateError):
    """A search that cannot be run as given (empty, too long, a malformed date)."""

    code = "bad-query"


@dataclass(frozen=True, slots=True)
class SearchRow:
    seq: int
    snippet: str
    score: float | None  # BM25 relevance (higher is better); None when ordered newest first


def fts_query(text: str) -> str:
    """The user's query as an FTS5 expression of quoted terms; raises SearchQueryError
    when nothing searchable is left."""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"search query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}"
        )
    parts: list[str] = []
    for m in _PART.finditer(text):
        phrase, word = m.group(1), m.group(2)
        words = _WORD.findall(phrase if phrase is not None else word)
        if not words:
            continue
        quoted = '"' + " ".join(words) + '"'
        # A single word may match as a prefix; a phrase is matched as written.
        if phrase is None and len(words) == 1 and len(words[0]) >= MIN_PREFIX:
            quoted += "*"
        parts.append(quoted)
    if not parts:
        raise SearchQueryError(f"search query {text!r} has no words to search for")
    if len(parts) > MAX_QUERY_PARTS:
        raise SearchQueryError(
            f"search query has {len(parts)} terms; the limit is {MAX_QUERY_PARTS}"
        )
    return " AND ".join(parts)


def check_date(value: str | None, name: str) -> str | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) or None; anything else is refused."""
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise SearchQueryError(f"{name} {value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return value


def date_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """Inclusive bounds comparable with ISO date prefixes: a month or year given as the
    upper bound covers its whole month or year."""
    lo = check_date(date_from, "date_from")
    hi = check_date(date_to, "date_to")
    if hi is not None:
        hi = hi + "\uffff"  # "2025-06" includes "2025-06-30T..."
    if lo is not None and hi is not None and lo > hi:
        raise SearchQueryError(f"date_from {date_from} is after date_to {date_to}")
    return lo, hi


def search_documents(
    conn: sqlite3.Connection,
    query: str,
    *,
    entity: int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[SearchRow], int]:
    """Matching documents and the number that match over all pages: best first (BM25, the
    title weighted over the text) up to RANK_LIMIT matches, newest first beyond. Dates
    filter on the publication date."""
    match = fts_query(query)
    lo, hi = date_bounds(date_from, date_to)
    where = ["documents_fts MATCH ?"]
    params: list[Any] = [match]
    if entity is not None:
        where.append(
            "f.rowid IN (SELECT m.doc_seq FROM entity_keys k JOIN entity_mentions m"
            " ON m.key = k.key AND m.type = k.type WHERE k.entity_id = ?)"
        )
        params.append(entity)
    if lo is not None or hi is not None:
        where.append(
            "f.rowid IN (SELECT seq FROM documents WHERE published IS NOT NULL"
            " AND published >= ? AND published <= ?)"
        )
        params += [lo or "", hi or "\uffff"]
    cond = " AND ".join(where)
    try:
        total = int(
            conn.execute(f"SELECT COUNT(*) FROM documents_fts f WHERE {cond}", params).fetchone()[0]
        )
        ranked = total <= RANK_LIMIT
        score = "-bm25(documents_fts, 4.0, 1.0)" if ranked else "NULL"
        order = "score DESC, f.rowid" if ranked else "f.rowid DESC"
        rows = conn.execute(
            "SELECT f.rowid, snippet(documents_fts, -1, ?, ?, ' … ', ?) AS snip,"
            f" {score} AS score FROM documents_fts f WHERE {cond} ORDER BY {order}"
            " LIMIT ? OFFSET ?",
            [HIT_OPEN, HIT_CLOSE, SNIPPET_TOKENS, *params, limit, offset],
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise SearchQueryError(f"search for {query!r} failed: {exc}") from exc
    return [
        SearchRow(int(r[0]), str(r[1] or ""), None if r[2] is None else float(r[2])) for r in rows
    ], total


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is a match) runs, for a template to escape and mark."""
    out: list[tuple[str, bool]] = []
    for i, chunk in enumerate(re.split(f"[{HIT_OPEN}{HIT_CLOSE}]", snippet)):
        if chunk:
            out.append((chunk, i % 2 == 1))
    return out
