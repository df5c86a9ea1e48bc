"""Geometry of the timeline picture, computed on the server so the SVG is complete
without JavaScript (static/timeline.js only re-positions it when zooming)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..workspace.types import TimelineItem

CHART_WIDTH = 1000  # SVG user units of the time axis
LANE_HEIGHT = 22
AXIS_HEIGHT = 28
MIN_BAR = 6  # a one-day event must stay visible and clickable


@dataclass(frozen=True, slots=True)
class Bar:
    item: TimelineItem
    t0: int  # proleptic ordinal of the first day
    t1: int  # ordinal of the day after the last
    x: float
    width: float
    y: float
    css: str  # colour classes: corroboration and conflict


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    undated: list[TimelineItem]
    d0: int
    d1: int
    width: int
    height: int


def _ordinal(iso: str) -> int | None:
    try:
        return _dt.date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def ticks(d0: int, d1: int, width: float) -> list[Tick]:
    """Axis labels at days, months or years, whichever gives a readable number of them
    (the same rule as timeline.js)."""
    days = max(1, d1 - d0)
    out: list[Tick] = []
    start = _dt.date.fromordinal(d0)
    if days <= 45:
        step = 1 if days <= 12 else 7
        for t in range(d0, d1 + 1, step):
            out.append(Tick((t - d0) / days * width, _dt.date.fromordinal(t).isoformat()))
        return out
    if days <= 900:
        y, m = start.year, start.month
        months_step = 1 if days <= 200 else 3
        while True:
            t = _dt.date(y, m, 1).toordinal()
            if t > d1:
                break
            if t >= d0:
                out.append(Tick((t - d0) / days * width, f"{y}-{m:02d}"))
            m += months_step
            while m > 12:
                y, m = y + 1, m - 12
        return out
    years = _dt.date.fromordinal(d1).year - start.year
    step = max(1, years // 10)
    for year in range(start.year, _dt.date.fromordinal(d1).year + 1, step):
        t = _dt.date(year, 1, 1).toordinal()
        if d0 <= t <= d1:
            out.append(Tick((t - d0) / days * width, str(year)))
    return out


def chart(items: list[TimelineItem], width: int = CHART_WIDTH) -> Chart:
    """One lane per dated event, bars from the first to the last day its date allows;
    undated events are listed apart, never placed at a guessed position."""
    dated: list[tuple[TimelineItem, int, int]] = []
    undated: list[TimelineItem] = []
    for item in items:
        a = _ordinal(item.span.start) if item.span.start else None
        b = _ordinal(item.span.end) if item.span.end else None
        if a is None or b is None:
            undated.append(item)
        else:
            dated.append((item, a, max(a, b) + 1))
    if not dated:
        today = _dt.date.today().toordinal()
        return Chart([], [], undated, today, today + 1, width, AXIS_HEIGHT + LANE_HEIGHT)
    d0 = min(a for _, a, _ in dated)
    d1 = max(b for _, _, b in dated)
    pad = max(1, (d1 - d0) // 20)
    d0, d1 = d0 - pad, d1 + pad
    scale = width / (d1 - d0)
    bars = []
    for lane, (item, a, b) in enumerate(dated):
        x = (a - d0) * scale
        css = f"c-{item.corroboration}" + (" conflict" if item.conflict else "")
        bars.append(
            Bar(
                item,
                a,
                b,
                round(x, 2),
                round(max(MIN_BAR, (b - a) * scale), 2),
                AXIS_HEIGHT + lane * LANE_HEIGHT,
                css,
            )
        )
    height = AXIS_HEIGHT + len(bars) * LANE_HEIGHT + 4
    return Chart(bars, ticks(d0, d1, width), undated, d0, d1, width, height)
