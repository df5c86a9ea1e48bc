"""Briefs: what an analyst hands on. A self-contained HTML page (inline CSS and an inline
SVG timeline picture; a Content-Security-Policy that forbids loading or running anything)
and a Markdown page with the same sections: the timeline, the key conflicts, the sources
with their independent vs total counts, and the documents.

Everything that comes from documents (titles, labels, names, evidence, URLs) is escaped
for the target format; links to documents are written only for http(s) URLs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from ..ledger.timeline import date_cell
from ..ledger.types import Conflict
from ..records import Record
from ..store.sqlite import SQLiteStore
from .common import Rendered, conflict_rank, figure_text
from .select import EventBundle, Selection, source_name
from .svg import COLOURS, colour_of, picture

KEY_CONFLICTS = 12  # the brief lists the most serious; the exports carry them all


@dataclass(frozen=True, slots=True)
class Overview(Record):
    events: int
    dated: int
    documents: int
    originals: int
    sources: int
    conflicts: int
    contradictions: int

    def line(self) -> str:
        return (
            f"{self.events} events ({self.dated} dated), {self.documents} documents from "
            f"{self.sources} sources ({self.originals} independent originals, the rest copies "
            f"or reposts), {self.conflicts} conflicts between independent sources "
            f"({self.contradictions} contradictions)"
        )


def overview(sel: Selection) -> Overview:
    conflicts = [c for b in sel.events for c in b.conflicts]
    return Overview(
        events=len(sel.events),
        dated=sum(1 for b in sel.events if b.event.date_start),
        documents=len(sel.documents),
        originals=sum(1 for d in sel.documents if d.copy_of is None),
        sources=len(sel.sources),
        conflicts=len(conflicts),
        contradictions=sum(1 for c in conflicts if c.kind.value == "contradiction"),
    )


def key_conflicts(sel: Selection) -> list[tuple[EventBundle, Conflict]]:
    pairs = [(b, c) for b in sel.events for c in b.conflicts]
    return sorted(pairs, key=lambda p: conflict_rank(p[1]))[:KEY_CONFLICTS]


def _title(sel: Selection) -> str:
    scope = f"story {sel.story}" if sel.story else "all stories"
    if sel.types:
        scope += "; types " + ", ".join(sel.types)
    return f"Triangulate brief: {scope}"


def _http(url: str | None) -> str | None:
    if not url:
        return None
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


# --- HTML -------------------------------------------------------------------------------

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:#1d2731;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;
border-bottom:1px solid #d5dbe1;padding-bottom:.2rem}
p.lead{color:#44505c;margin-top:0}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e3e7eb;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#f4f6f8}td.n{text-align:right;white-space:nowrap}
.conflict{color:#c0392b;font-weight:600}.muted{color:#6b7785}
.chip{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.3rem}
figure{margin:0;overflow-x:auto}ul.values{margin:.2rem 0 0 1rem;padding:0}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _e(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _conflict_html(b: EventBundle, c: Conflict) -> str:
    values = "".join(
        f"<li><strong>{_e(v.value)}</strong> — {_e(', '.join(v.sources))}"
        + (
            f' <span class="muted">via {_e("; ".join(x for x in dict.fromkeys(v.chains) if x not in ("author", "")))}</span>'
            if any(x not in ("author", "") for x in v.chains)
            else ""
        )
        + f' <span class="muted">({_e(v.modality)})</span></li>'
        for v in c.values
    )
    return (
        f'<tr><td>#{b.id} {_e(b.event.label)}<br><span class="muted">{_e(date_cell(b.row))}</span></td>'
        f'<td>{_e(c.property.value)}</td><td class="conflict">{_e(c.kind.value.replace("_", " "))}</td>'
        f'<td class="n">{c.severity:.2f}</td><td>{_e(c.note)}<ul class="values">{values}</ul></td></tr>'
    )


def html_brief(sel: Selection) -> str:
    ov = overview(sel)
    docs = sel.documents_by_id()
    svg, drawn, left_out = picture(sel.events)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(_title(sel))}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(_title(sel))}</h1>",
        f'<p class="lead">{_e(ov.line())}.</p>',
        "<h2>Timeline</h2>",
    ]
    if svg:
        note = f"{drawn} dated events drawn"
        if left_out:
            note += (
                f"; {left_out} more dated events left out of the picture for room (see the table)"
            )
        undated = ov.events - ov.dated
        if undated:
            note += f"; {undated} events without a known year cannot be placed"
        parts.append(f'<figure>{svg}<figcaption class="muted">{_e(note)}.</figcaption></figure>')
    else:
        parts.append('<p class="muted">No event has a known date.</p>')
    parts.append("<h2>Key conflicts</h2>")
    pairs = key_conflicts(sel)
    if pairs:
        parts.append(
            "<table><thead><tr><th>Event</th><th>Property</th><th>Kind</th><th>Severity</th>"
            "<th>Competing values and who claims them</th></tr></thead><tbody>"
            + "".join(_conflict_html(b, c) for b, c in pairs)
            + "</tbody></table>"
        )
        if ov.conflicts > len(pairs):
            parts.append(f'<p class="muted">{ov.conflicts - len(pairs)} more in the exports.</p>')
    else:
        parts.append('<p class="muted">Independent sources do not contradict each other.</p>')
    parts.append("<h2>Events</h2>")
    rows = []
    for b in sel.events:
        r = b.row
        chip = f'<span class="chip" style="background:{COLOURS[colour_of(b)]}"></span>'
        rows.append(
            [
                _e(date_cell(r)) + f'<br><span class="muted">{_e(r.precision)}</span>',
                f"{chip}#{b.id} {_e(b.event.label)}",
                _e(r.place or ""),
                _e(", ".join(r.agents)),
                _e("; ".join(figure_text(b))),
                f"{r.sources} / {r.documents}",
                "<br>".join(f'<span class="conflict">{_e(c)}</span>' for c in r.contested),
                _e(r.evidence)
                + (
                    f'<br><span class="muted">{_e(r.evidence_doc)}</span>' if r.evidence_doc else ""
                ),
            ]
        )
    parts.append(
        _table(
            [
                "Date",
                "Event",
                "Place",
                "Who",
                "Figures",
                "Independent / total sources",
                "Disputed",
                "First report",
            ],
            rows,
            {5},
        )
    )
    parts.append("<h2>Sources</h2>")
    parts.append(
        _table(
            [
                "Source",
                "Kind",
                "Documents",
                "Independent (originals)",
                "Copies / reposts",
                "Languages",
            ],
            [
                [
                    _e(s.name),
                    _e(s.kind),
                    str(s.documents),
                    str(s.originals),
                    str(s.copies),
                    _e(", ".join(s.languages)),
                ]
                for s in sel.sources
            ],
            {2, 3, 4},
        )
    )
    parts.append("<h2>Documents</h2>")
    doc_rows = []
    for d in sel.documents:
        title = _e(d.title or "(untitled)")
        url = _http(d.url)
        if url:
            title = f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{title}</a>'
        copy = docs.get(d.copy_of) if d.copy_of else None
        doc_rows.append(
            [
                _e((d.published.value or "")[:16]),
                _e(source_name(d)),
                title,
                _e(", ".join(d.languages)),
                _e(f"copy of {d.copy_of}" + (f" ({source_name(copy)})" if copy else ""))
                if d.copy_of
                else "",
                f'<span class="muted">{_e(d.id)}</span>',
            ]
        )
    parts.append(
        _table(["Published", "Source", "Title", "Languages", "Copy", "Id"], doc_rows, set())
    )
    parts.append("</body></html>\n")
    return "\n".join(parts)


# --- Markdown ---------------------------------------------------------------------------

# Characters that Markdown would read as markup, raw HTML or a table border.
_MD_SPECIAL = set("\\`*_[]<>|&#!~")


def md(text: object) -> str:
    """Document text as inert Markdown: one line, every markup character escaped."""
    flat = " ".join(("" if text is None else str(text)).split())
    return "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in flat)


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
    ]


def markdown_brief(sel: Selection) -> str:
    ov = overview(sel)
    out = [f"# {md(_title(sel))}", "", md(ov.line()) + ".", "", "## Timeline", ""]
    out += _md_table(
        ["date", "event", "place", "who", "figures", "independent / total sources", "disputed"],
        [
            [
                md(date_cell(b.row)) + f" ({md(b.row.precision)})",
                f"\\#{b.id} {md(b.event.label)}",
                md(b.row.place or ""),
                md(", ".join(b.row.agents)),
                md("; ".join(figure_text(b))),
                f"{b.row.sources} / {b.row.documents}",
                md("; ".join(b.row.contested)),
            ]
            for b in sel.events
        ],
    )
    undated = ov.events - ov.dated
    if undated:
        out += [f"{undated} events have no known year and cannot be placed in time.", ""]
    out += ["## Key conflicts", ""]
    pairs = key_conflicts(sel)
    if not pairs:
        out += ["Independent sources do not contradict each other.", ""]
    for b, c in pairs:
        out.append(
            f"- **\\#{b.id} {md(b.event.label)}** ({md(date_cell(b.row))}): {md(c.property.value)}, "
            f"{md(c.kind.value.replace('_', ' '))}, severity {c.severity:.2f}. {md(c.note)}"
        )
        for v in c.values:
            chains = [x for x in dict.fromkeys(v.chains) if x not in ("author", "")]
            via = f" via {md('; '.join(chains))}" if chains else ""
            out.append(f"  - {md(v.value)}: {md(', '.join(v.sources))}{via} ({md(v.modality)})")
    if ov.conflicts > len(pairs):
        out.append(f"- {ov.conflicts - len(pairs)} more in the exports.")
    out += ["", "## Sources", ""]
    out += _md_table(
        ["source", "kind", "documents", "independent (originals)", "copies / reposts", "languages"],
        [
            [
                md(s.name),
                md(s.kind),
                str(s.documents),
                str(s.originals),
                str(s.copies),
                md(", ".join(s.languages)),
            ]
            for s in sel.sources
        ],
    )
    out += ["## Documents", ""]
    out += _md_table(
        ["published", "source", "title", "languages", "copy of", "id"],
        [
            [
                md((d.published.value or "")[:16]),
                md(source_name(d)),
                md(d.title or "(untitled)"),
                md(", ".join(d.languages)),
                md(d.copy_of or ""),
                md(d.id),
            ]
            for d in sel.documents
        ],
    )
    return "\n".join(out)


def render_html(sel: Selection, store: SQLiteStore | None = None) -> Rendered:
    return Rendered("html", html_brief(sel), len(sel.events))


def render_markdown(sel: Selection, store: SQLiteStore | None = None) -> Rendered:
    return Rendered("markdown", markdown_brief(sel), len(sel.events))
