"""CSV: the timeline rows (the same columns as `triangulate timeline --format csv`), written
by the ledger's own ``to_csv`` so the two never drift apart."""

from __future__ import annotations

from ..ledger.timeline import to_csv
from ..store.sqlite import SQLiteStore
from .common import Rendered
from .select import Selection


def render(sel: Selection, store: SQLiteStore | None = None) -> Rendered:
    rows = [b.row for b in sel.events]
    return Rendered("csv", to_csv(rows), len(rows))
