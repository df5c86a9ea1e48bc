"""JSONL: the whole selection as typed records, one JSON object per line.

Every line is ``{"kind": K, K: record, ...}``: the record sits under its kind's name, so a
record's own fields (a source's ``kind``, an event's ``kind``) never collide with the line
tag, and ``records.from_dict`` rebuilds it as it is. Lines come in this order:

- ``meta`` (one): ``{"kind": "meta", "meta": {format, version, story, types, counts}}``,
  the counts giving the number of lines of each kind below.
- ``source``: a publishing source with its document counts (total, originals, copies).
- ``document``: a document's metadata (no text): id, title, url, source, publication date
  with precision and method, languages, copy link, where it was read.
- ``entity``: an entity as resolved across documents: id, name, type, keys, aliases across
  scripts, and why each key belongs.
- ``event``: the event record (date interval, precision and how it was found, place,
  independent ``sources`` and total ``documents``) and beside it, on the same line, its
  ``members`` (incidents and why they were linked), ``claims`` (every source's value per
  property, speaker chain, modality, evidence), ``conflicts``, numeric ``figures``
  (consensus, range, ACLED's conservative value) and ``source_names``.
"""

from __future__ import annotations

import json
from typing import Any

from ..store.sqlite import SQLiteStore
from .common import Rendered
from .select import Selection, source_name

FORMAT_VERSION = 1


def _line(kind: str, record: dict[str, Any], **beside: Any) -> str:
    return json.dumps({"kind": kind, kind: record, **beside}, ensure_ascii=False) + "\n"


def render(sel: Selection, store: SQLiteStore | None = None) -> Rendered:
    docs = sel.documents_by_id()
    lines = [
        _line(
            "meta",
            {
                "format": "triangulate-jsonl",
                "version": FORMAT_VERSION,
                "story": sel.story,
                "types": list(sel.types),
                "counts": {
                    "source": len(sel.sources),
                    "document": len(sel.documents),
                    "entity": len(sel.entities),
                    "event": len(sel.events),
                },
            },
        )
    ]
    lines += [_line("source", s.to_dict()) for s in sel.sources]
    lines += [_line("document", d.to_dict()) for d in sel.documents]
    lines += [_line("entity", e.to_dict()) for e in sel.entities]
    for b in sel.events:
        names = [source_name(docs[d]) for d in b.doc_ids() if d in docs]
        lines.append(
            _line(
                "event",
                b.event.to_dict(),
                members=[m.to_dict() for m in b.members],
                claims=[c.to_dict() for c in b.claims],
                conflicts=[c.to_dict() for c in b.conflicts],
                figures=[f.to_dict() for f in b.figures],
                source_names=list(dict.fromkeys(names)),
            )
        )
    return Rendered("jsonl", "".join(lines), len(lines) - 1)
