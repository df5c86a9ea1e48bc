"""Calendar parts of TimeML values, for comparing and combining event dates.

Only calendar dates matter for linking (2025-06-27, XXXX-06-27, 2025-06, 2025); weeks,
seasons, durations and reference words (PRESENT_REF) are not comparable at day level and
count as unknown here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .eventcoref import dates_compatible

# A day may carry a time of day ("2025-06-27T14:20", "1998-02-13TNI"): it is still that
# calendar day.
_CALENDAR = re.compile(r"^(\d{4}|XXXX)(?:-(\d{2})(?:-(\d{2})(?:T[0-9A-Z:.]+)?)?)?$")


@dataclass(frozen=True, slots=True)
class CalendarDate:
    year: int | None
    month: int | None
    day: int | None

    @property
    def value(self) -> str:
        parts = [f"{self.year:04d}" if self.year is not None else "XXXX"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year" if self.year is not None else "unknown"

    def specificity(self) -> int:
        """How much of the date is known: year counts most, then month, then day."""
        return (
            (4 if self.year is not None else 0)
            + (2 if self.month is not None else 0)
            + (1 if self.day is not None else 0)
        )


def parse_calendar(value: str | None) -> CalendarDate | None:
    if not value:
        return None
    m = _CALENDAR.match(value)
    if m is None:
        return None
    year = None if m.group(1) == "XXXX" else int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if year is None and month is None:
        return None
    return CalendarDate(year, month, day)


def combine(dates: list[CalendarDate]) -> tuple[CalendarDate | None, list[CalendarDate]]:
    """The most specific date consistent with all of ``dates`` and the dates it borrowed
    parts from (empty when one date said it all). Incompatible inputs: the most specific
    one wins and nothing is borrowed."""
    if not dates:
        return None, []
    # The most specific date that most reports give (ties: the earlier date): one report
    # saying the 28th does not outvote three saying the 27th.
    top = max(d.specificity() for d in dates)
    votes = Counter(d for d in dates if d.specificity() == top)
    best = max(votes, key=lambda d: (votes[d], [-ord(ch) for ch in d.value]))
    if not all(dates_compatible(best.value, d.value) is not False for d in dates):
        return best, []
    year, month, day = best.year, best.month, best.day
    lent: list[CalendarDate] = []
    for d in sorted(dates, key=lambda d: (-d.specificity(), d.value)):
        took = False
        if year is None and d.year is not None:
            year, took = d.year, True
        if month is None and d.month is not None:
            month, took = d.month, True
        if day is None and d.day is not None and d.month == month:
            day, took = d.day, True
        if took:
            lent.append(d)
    return CalendarDate(year, month, day), lent
