"""The brief's timeline picture: an inline SVG with one row per dated event, each drawn as
a bar over every day its date allows, so a date known to the day is a short mark and one
known to the month or year a long span.

The axis covers the events dated to the day (or to a week): a few events dated to a
distant year would otherwise squeeze the crisis itself into a sliver. Spans reaching past
the axis are cut at its edge and marked with an arrow; events wholly outside it are an
arrow at the edge with their date.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from html import escape

from ..ledger.timeline import date_cell
from .common import interval
from .select import EventBundle

WIDTH = 960
GUTTER = 330  # room for "date  #id label" at the left of each row
RIGHT = 16
AXIS = 30
ROW = 20
LEGEND = 30
LABEL_CHARS = 48
MAX_ROWS = 120  # a brief, not a database dump: the most corroborated events beyond this

COLOURS = {
    "conflict": "#c0392b",  # independent sources contradict each other
    "corroborated": "#1f6f8b",  # two or more independent sources
    "single": "#9aa5b1",  # one independent source
}
FINE_DAYS = 7  # dates at least this precise decide the axis


def colour_of(b: EventBundle) -> str:
    if any(c.kind.value == "contradiction" for c in b.conflicts):
        return "conflict"
    return "corroborated" if b.event.sources >= 2 else "single"


def _window(spans: Sequence[tuple[_dt.date, _dt.date]]) -> tuple[_dt.date, _dt.date]:
    fine = [s for s in spans if (s[1] - s[0]).days < FINE_DAYS] or list(spans)
    lo, hi = min(s[0] for s in fine), max(s[1] for s in fine)
    pad = max(1, round((hi - lo).days * 0.04))
    return lo - _dt.timedelta(days=pad), hi + _dt.timedelta(days=pad + 1)


def _ticks(lo: _dt.date, hi: _dt.date) -> list[tuple[_dt.date, str]]:
    days = (hi - lo).days
    if days <= 62:
        step = max(1, math.ceil(days / 10))
        return [
            (lo + _dt.timedelta(days=i), (lo + _dt.timedelta(days=i)).strftime("%d %b"))
            for i in range(0, days + 1, step)
        ]
    if days <= 800:
        months = []
        y, m = lo.year, lo.month
        while _dt.date(y, m, 1) <= hi:
            if _dt.date(y, m, 1) >= lo:
                months.append(_dt.date(y, m, 1))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        step = max(1, math.ceil(len(months) / 10))
        return [(d, d.strftime("%b %Y")) for d in months[::step]]
    years = [_dt.date(y, 1, 1) for y in range(lo.year + 1, hi.year + 1)]
    step = max(1, math.ceil(len(years) / 10))
    return [(d, str(d.year)) for d in years[::step]]


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def picture(events: Sequence[EventBundle]) -> tuple[str, int, int]:
    """(SVG markup, events drawn, dated events left out for room). Every text taken from
    documents is escaped; the picture loads nothing and runs nothing. The markup is meant
    to sit inline in HTML, where the SVG namespace is implied."""
    dated = [(b, s) for b in events if (s := interval(b)) is not None]
    if not dated:
        return "", 0, 0
    left_out = 0
    if len(dated) > MAX_ROWS:
        keep = sorted(dated, key=lambda x: (-x[0].event.sources, -x[0].event.documents))[:MAX_ROWS]
        left_out = len(dated) - MAX_ROWS
        ids = {b.id for b, _ in keep}
        dated = [x for x in dated if x[0].id in ids]
    dated.sort(key=lambda x: (x[1][0], x[1][1], x[0].id))
    lo, hi = _window([s for _, s in dated])
    span_days = max(1, (hi - lo).days)
    plot = WIDTH - GUTTER - RIGHT

    def x(d: _dt.date) -> float:
        return GUTTER + plot * (d - lo).days / span_days

    height = AXIS + ROW * len(dated) + LEGEND
    out = [
        f'<svg viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="Timeline of events">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    for when, label in _ticks(lo, hi):
        tx = x(when)
        out.append(
            f'<line x1="{tx:.1f}" y1="{AXIS - 6}" x2="{tx:.1f}" y2="{height - LEGEND}" '
            'stroke="#e3e7eb" stroke-width="1"/>'
            f'<text x="{tx:.1f}" y="{AXIS - 10}" font-size="11" text-anchor="middle" '
            f'fill="#44505c">{escape(label)}</text>'
        )
    for i, (b, (start, end)) in enumerate(dated):
        y = AXIS + i * ROW
        colour = COLOURS[colour_of(b)]
        name = f"{date_cell(b.row)}  #{b.id} {b.event.label}"
        tip = (
            f"{name} | {b.row.precision} | {b.event.sources} independent source(s), "
            f"{b.event.documents} document(s)"
        )
        out.append(f"<g><title>{escape(tip)}</title>")
        out.append(
            f'<text x="4" y="{y + 14}" font-size="12" fill="#1d2731">{escape(_clip(name, LABEL_CHARS))}</text>'
        )
        last = end + _dt.timedelta(days=1)  # the end day is included: draw to its end
        if last <= lo or start >= hi:
            edge = GUTTER + 2 if last <= lo else WIDTH - RIGHT - 2
            sign = 1 if last <= lo else -1
            out.append(_arrow(edge, y + 10, sign, colour))
            anchor = "start" if last <= lo else "end"
            out.append(
                f'<text x="{edge + sign * 12:.1f}" y="{y + 14}" font-size="11" text-anchor="{anchor}" '
                f'fill="{colour}">{escape(b.event.date or "")}</text>'
            )
        else:
            x0, x1 = x(max(start, lo)), x(min(last, hi))
            w = max(3.0, x1 - x0)
            out.append(
                f'<rect x="{x0:.1f}" y="{y + 4}" width="{w:.1f}" height="{ROW - 8}" rx="2" '
                f'fill="{colour}" fill-opacity="{0.95 if start == end else 0.55}"/>'
            )
            if start < lo:
                out.append(_arrow(GUTTER + 2, y + 10, 1, colour))
            if last > hi:
                out.append(_arrow(WIDTH - RIGHT - 2, y + 10, -1, colour))
        out.append("</g>")
    ly = height - LEGEND + 18
    lx = GUTTER
    for key, text in (
        ("conflict", "sources contradict each other"),
        ("corroborated", "2+ independent sources"),
        ("single", "one independent source"),
    ):
        out.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{COLOURS[key]}"/>'
            f'<text x="{lx + 16}" y="{ly}" font-size="11" fill="#44505c">{text}</text>'
        )
        lx += 200
    out.append(
        f'<text x="4" y="{ly}" font-size="11" fill="#44505c">bar length = every day the date allows</text>'
    )
    out.append("</svg>")
    return "".join(out), len(dated), left_out


def _arrow(x: float, y: float, sign: int, colour: str) -> str:
    """A small triangle pointing out of the axis (sign 1: to the left, -1: to the right)."""
    tip, back = x - sign * 2, x + sign * 8
    return (
        f'<polygon points="{tip:.1f},{y:.1f} {back:.1f},{y - 5:.1f} {back:.1f},{y + 5:.1f}" '
        f'fill="{colour}"/>'
    )
