"""Exports and briefs: the store handed on in the formats analysts already use.

Library calls (the CLI is a thin adapter over them):

- ``export(store, fmt, story=..., types=...)`` -> ``Rendered`` (text, record count, what
  was left out and why) for ``fmt`` in ``FORMATS``;
- ``report(store, fmt, story=...)`` -> ``Rendered`` for ``fmt`` in ``REPORTS``;
- ``write_output(path, text)`` writes a file whole or not at all.

Each format lives in its own module; its docstring documents the layout and every choice
made where our records and the target format do not match one to one.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputNotWritable, UnknownFormat
from ..records import Record

if TYPE_CHECKING:
    from ..store.sqlite import SQLiteStore
    from .common import Rendered


@dataclass(frozen=True, slots=True)
class Format(Record):
    name: str
    extension: str  # what a file of this format is usually called
    help: str
    renderer: str  # "module:function" under triangulate.export, imported on first use

    def render(self, store: SQLiteStore, *, story: str | None, types: Sequence[str]) -> Rendered:
        from .select import select

        module, function = self.renderer.split(":")
        fn = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        result: Rendered = fn(select(store, story=story, types=types), store)
        return result


# The formats as data: the CLI's help and validation come from these tables. Renderers
# are imported lazily so that `triangulate --help` does not load the ledger.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", ".jsonl", "typed records, one per line: sources, documents, entities, "
               "events with members, claims, conflicts and figures", "jsonl:render"),
        Format("csv", ".csv", "the timeline rows", "timeline_csv:render"),
        Format("timelinejs", ".json", "TimelineJS3 JSON (events without a known year are "
               "listed on the title slide)", "timelinejs:render"),
        Format("acled", ".csv", "ACLED-style CSV: fatalities as the conservative value, "
               "disputes in the notes", "acled:render"),
        Format("gdelt", ".tsv", "GDELT 2.0 event table layout (61 columns, no header)",
               "gdelt:render"),
        Format("ftm", ".jsonl", "FollowTheMoney entities, one per line, ids stable across runs",
               "ftm:render"),
    )
}  # fmt: skip

REPORTS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", ".html", "self-contained HTML brief with a timeline picture",
               "brief:render_html"),
        Format("markdown", ".md", "Markdown brief", "brief:render_markdown"),
    )
}  # fmt: skip


def _format(table: dict[str, Format], fmt: str, what: str) -> Format:
    found = table.get(fmt.lower())
    if found is None:
        raise UnknownFormat(f"unknown {what} format {fmt!r} (choose one of: {', '.join(table)})")
    return found


def check_format(fmt: str, *, report: bool = False) -> None:
    _format(REPORTS if report else FORMATS, fmt, "report" if report else "export")


def export(
    store: SQLiteStore, fmt: str, *, story: str | None = None, types: Sequence[str] = ()
) -> Rendered:
    """The store (or one story / some event types) in export format ``fmt``."""
    return _format(FORMATS, fmt, "export").render(store, story=story, types=types)


def report(store: SQLiteStore, fmt: str = "html", *, story: str | None = None) -> Rendered:
    """A brief of the store (or of one story) in ``fmt`` (html or markdown)."""
    return _format(REPORTS, fmt, "report").render(store, story=story, types=())


def check_writable(path: str | Path) -> Path:
    """Fail early, before any work, when ``path`` cannot be written."""
    p = Path(path)
    if p.is_dir():
        raise OutputNotWritable(f"{p} is a folder; give a file name", input_name=str(p))
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputNotWritable(f"folder {parent} does not exist", input_name=str(p))
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise OutputNotWritable("permission denied", input_name=str(p))
    return p


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_output(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder, so
    a reader never sees half a file and a failed write leaves any old file as it was."""
    p = check_writable(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, p.stat().st_mode & 0o777 if p.exists() else 0o666 & ~_umask())
        os.replace(tmp, p)
        tmp = None
    except OSError as exc:
        raise OutputNotWritable(f"cannot write: {exc.strerror or exc}", input_name=str(p)) from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return p


__all__ = [
    "FORMATS",
    "REPORTS",
    "Format",
    "check_format",
    "check_writable",
    "export",
    "report",
    "write_output",
]
