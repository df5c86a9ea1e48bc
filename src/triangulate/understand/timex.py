"""Rule-based temporal tagger and normaliser for English, Russian and Azerbaijani.

Values follow TimeML TIMEX3 (as in TempEval-3): DATE 2025-06-27 / 2025-06 / 2025-W26 /
2025-SU / 199 (a decade), PRESENT_REF/PAST_REF/FUTURE_REF; DURATION P3D, PT5H; TIME
2025-06-27T14:20; SET P1D. One departure: a part of a day ("Friday night", "вечером 27
июня") is the DATE of that day with ``part_of_day`` NI/EV/MO/AF beside the value (TimeML
writes 2025-06-27TEV), so that it compares with other dates as a date; bench/tempeval3.py
writes it back the TimeML way. Bare "now" is no date: it is reported in ``non_dates``.

Why own patterns rather than dateparser: dateparser misses "late June 2025", Russian
relative weekdays and Azerbaijani inflected forms, and silently fills a missing year or
day from the reference date. Here a missing part is filled only from the publication date
(Anchor.PUBLICATION) and otherwise stays unknown ("XXXX-06-27", Anchor.NONE).

Extents follow TimeML: prepositions ("on", "in", "в", "for") stay outside; determiners and
modifiers ("the", "late", "nearly") are inside. Word lists live in data/timex_lexicon.json.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from ..ingest.pubdate import month_number, month_table
from .types import Anchor, TimeExpr, TimePrecision, TimexType

_B = r"(?<![\w])"  # word start (Unicode-aware, so Cyrillic and ə/ı count as letters)
_E = r"(?![\w])"

_PRECISION = {
    "MIN": TimePrecision.MINUTE,
    "H": TimePrecision.HOUR,
    "D": TimePrecision.DAY,
    "W": TimePrecision.WEEK,
    "WE": TimePrecision.WEEK,
    "M": TimePrecision.MONTH,
    "Q": TimePrecision.QUARTER,
    "Y": TimePrecision.YEAR,
    "DE": TimePrecision.DECADE,
    "CE": TimePrecision.CENTURY,
}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
# Rules whose match is a calendar date written out: they feed "that same day".
_EXPLICIT = frozenset({"iso", "numeric", "dmy", "mdy", "md", "dm", "az_md", "az_dm", "ru_dm"})
# Rules whose year (and month) is written out: they feed "that year", "the following month".
_YEAR_CONTEXT = _EXPLICIT | {"md_and", "my", "mon", "year"}


@dataclass(frozen=True, slots=True)
class _Val:
    type: TimexType
    value: str
    precision: TimePrecision
    anchor: Anchor
    mod: str = ""
    interval: tuple[str, str] | None = None
    confidence: float = 1.0
    part: str = ""  # a TimeML part of day (MO, AF, EV, NI); the value stays the day


_Handler = Callable[["TimeNormaliser", re.Match[str], str], "_Val | None"]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: _Handler
    # Cheap necessary conditions (see _CUES): every group must be met by the text.
    # Empty: the rule always runs.
    cues: tuple[_CueGroup, ...] = ()

    def may_match(self, text: str, folded: _Folded) -> bool:
        return all(group.met(text, folded) for group in self.cues)


@dataclass(frozen=True, slots=True)
class _CueGroup:
    """Met when the folded text holds one of ``words``, has one of ``tokens`` as a whole
    word, or matches ``pattern``."""

    words: tuple[str, ...] = ()
    tokens: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    capitals: frozenset[str] = frozenset()  # whole words written with a capital

    def met(self, text: str, folded: _Folded) -> bool:
        if any(w in folded.text for w in self.words):
            return True
        if self.tokens and not self.tokens.isdisjoint(folded.tokens()):
            return True
        if self.capitals and not self.capitals.isdisjoint(folded.capitalised()):
            return True
        return self.pattern is not None and self.pattern.search(text) is not None


# --------------------------------------------------------------------------- lexicon


@cache
def _lexicon() -> dict[str, dict[str, Any]]:
    raw = resources.files("triangulate.data").joinpath("timex_lexicon.json").read_text("utf-8")
    data: dict[str, dict[str, Any]] = {k: v for k, v in json.loads(raw).items() if k[0] != "_"}
    return data


@cache
def _lexicon_months() -> tuple[tuple[str, ...], ...]:
    """English month stems from months.json, full name first in each group."""
    raw = json.loads(resources.files("triangulate.data").joinpath("months.json").read_text("utf-8"))
    return tuple(tuple(group) for group in raw["en"]["stems"])


@cache
def _merged(category: str) -> dict[str, Any]:
    """One lookup table per category over all languages (keys do not clash in practice)."""
    table: dict[str, Any] = {}
    for spec in _lexicon().values():
        for key, value in spec.get(category, {}).items():
            table.setdefault(_norm(key), value)
    return table


def _norm(words: str) -> str:
    # "İ".lower() is "i" plus a combining dot, which no lexicon key has ("İyunun", "İndi").
    return re.sub(r"\s+", " ", words.strip().replace("İ", "i").lower()).replace("ё", "е")


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first so "cümə axşamı" wins over "cümə"."""
    items = sorted({w for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("е", "[её]") for w in items)


def _lookup(category: str, text: str | None) -> Any:
    if text is None:
        return None
    return _merged(category).get(_norm(text).replace("-", " ").rstrip("."))


# --------------------------------------------------------------------------- dates


def _add_months(day: _dt.date, months: int) -> _dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return _dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift(day: _dt.date, unit: str, amount: int) -> _dt.date:
    if unit in ("D", "H", "MIN"):
        return day + _dt.timedelta(days=amount)
    if unit in ("W", "WE"):
        return day + _dt.timedelta(weeks=amount)
    factor = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}[unit]
    return _add_months(day, amount * factor)


def _span(day: _dt.date, unit: str) -> tuple[_dt.date, _dt.date]:
    """The calendar unit containing ``day``."""
    if unit in ("D", "H", "MIN"):
        return day, day
    if unit in ("W", "WE"):
        monday = day - _dt.timedelta(days=day.weekday())
        if unit == "WE":
            return monday + _dt.timedelta(days=5), monday + _dt.timedelta(days=6)
        return monday, monday + _dt.timedelta(days=6)
    if unit == "M":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if unit == "Q":
        first = (day.month - 1) // 3 * 3 + 1
        last = first + 2
        return _dt.date(day.year, first, 1), _dt.date(
            day.year, last, calendar.monthrange(day.year, last)[1]
        )
    if unit == "Y":
        return _dt.date(day.year, 1, 1), _dt.date(day.year, 12, 31)
    if unit == "DE":
        start = day.year // 10 * 10
        return _dt.date(start, 1, 1), _dt.date(start + 9, 12, 31)
    start = day.year // 100 * 100
    return _dt.date(max(start, 1), 1, 1), _dt.date(start + 99, 12, 31)


def _render(day: _dt.date, unit: str) -> str:
    if unit in ("D", "H", "MIN"):
        return day.isoformat()
    if unit in ("W", "WE"):
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}" + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if unit == "Y":
        return f"{day.year:04d}"
    if unit == "DE":
        return f"{day.year // 10:03d}"
    return f"{day.year // 100:02d}"


_UNKNOWN = {
    "D": "XXXX-XX-XX",
    "H": "XXXX-XX-XX",
    "MIN": "XXXX-XX-XX",
    "W": "XXXX-WXX",
    "WE": "XXXX-WXX-WE",
    "M": "XXXX-XX",
    "Q": "XXXX-QX",
    "Y": "XXXX",
    "DE": "XXX",
    "CE": "XX",
}


def _part_of(start: _dt.date, end: _dt.date, mod: str) -> tuple[str, str]:
    """The first, middle or last third of [start, end] for early/mid/late."""
    days = (end - start).days + 1
    third = max(days // 3, 1)
    if mod == "START":
        return start.isoformat(), (start + _dt.timedelta(days=third - 1)).isoformat()
    if mod == "END":
        return (end - _dt.timedelta(days=third - 1)).isoformat(), end.isoformat()
    if mod == "MID":
        return (start + _dt.timedelta(days=third)).isoformat(), (
            end - _dt.timedelta(days=third)
        ).isoformat()
    return start.isoformat(), end.isoformat()


def _interval(start: _dt.date, end: _dt.date, mod: str = "") -> tuple[str, str]:
    return _part_of(start, end, mod)


def _number(text: str | None) -> float | None:
    """The number a numeral says; None for vague ones ("several", "a few")."""
    if text is None:
        return 1
    word = _norm(text)
    if re.fullmatch(r"\d+", word):
        return int(word)
    if re.fullmatch(r"\d+[.,]\d+", word):
        return float(word.replace(",", "."))
    mixed = re.fullmatch(r"(\d+)\s+([1-9])/([1-9]\d?)", word)
    if mixed:  # "5 1/2"
        whole, num, den = (int(g) for g in mixed.groups())
        return whole + num / den if num < den else None
    numbers = _merged("numbers")
    if word in numbers:
        return float(numbers[word])
    total = 0.0
    for piece in re.split(r"[\s-]+", word):
        if piece not in numbers:
            return None
        total += float(numbers[piece])
    return total


def _duration(amount: float | None, unit: str) -> str:
    if amount is None:
        return {"DE": "PXDE", "CE": "PXC", "MIN": "PTXM", "H": "PTXH", "WE": "PXD"}.get(
            unit, f"PX{unit}"
        )
    if unit == "DE":
        amount, unit = amount * 10, "Y"
    elif unit == "CE":
        amount, unit = amount * 100, "Y"
    elif unit == "WE":
        amount, unit = amount * 2, "D"
    down = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60)}
    if amount != int(amount) and amount > 1 and unit in down:
        # A whole number and a fraction, as TimeBank writes them: "2 1/2 years" -> P2Y6M,
        # "5 1/2 hours" -> PT5H30M.
        small, factor = down[unit]
        rest = round((amount - int(amount)) * factor)
        if rest:
            return _mixed_duration(int(amount), unit, rest, small)
    if amount != int(amount) and unit in down:
        # Fractions below one go one unit down: half an hour -> PT30M, half a year -> P6M.
        unit, factor = down[unit]
        amount *= factor
    n = round(amount)
    if unit == "MIN":
        return f"PT{n}M"
    if unit == "H":
        return f"PT{n}H"
    return f"P{n}{unit}"


def _mixed_duration(whole: int, unit: str, rest: int, small: str) -> str:
    """P2Y6M, P1DT12H, PT5H30M: two units, date parts before the "T", time parts after."""
    parts = {unit: whole, small: rest}
    date = "".join(f"{parts[u]}{u}" for u in ("Y", "M", "W", "D") if parts.get(u))
    time = "".join(f"{parts[u]}{c}" for u, c in (("H", "H"), ("MIN", "M")) if parts.get(u))
    return "P" + date + (f"T{time}" if time else "")


# --------------------------------------------------------------------------- handlers


def _g(match: re.Match[str], name: str) -> str | None:
    return match.groupdict().get(name)


# Years as read out in broadcast transcripts: "nineteen ninety-six", "the year two thousand".
_SPOKEN_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_SPOKEN_YEAR = (
    r"(?:nineteen|eighteen)[\s-]+(?:(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    rf"(?:[\s-]{_SPOKEN_UNITS})?|hundred|oh[\s-]{_SPOKEN_UNITS})"
)
# "Two thousand" alone is usually a count, so it is a year only after "the year".
_SPOKEN_2000 = rf"two\s+thousand(?:\s+(?:and\s+)?{_SPOKEN_UNITS})?"


def _spoken_year(words: str) -> int | None:
    pieces = re.split(r"[\s-]+", _norm(words))
    numbers = _merged("numbers")
    if pieces[:2] == ["two", "thousand"]:
        return 2000 + sum(int(numbers[w]) for w in pieces[2:] if w != "and")
    if pieces[1] == "hundred":
        return int(numbers[pieces[0]]) * 100
    rest = [w for w in pieces[1:] if w != "oh"]
    return int(numbers[pieces[0]]) * 100 + sum(int(numbers[w]) for w in rest)


def _year(match: re.Match[str]) -> int | None:
    y = _g(match, "y") or _g(match, "y2")
    if not y:
        return None
    return int(y) if y.isdigit() else _spoken_year(y)


def _month(match: re.Match[str], lang: str) -> int | None:
    if _g(match, "m"):
        return int(match.group("m"))
    word = _g(match, "mon")
    if word is None:
        return None
    # A sentence-initial Azerbaijani month starts with a dotted capital ("İyunun 27-si").
    month = month_number(word.rstrip(".").replace("İ", "i"))
    if month is None:
        return None
    if lang == "en" and not word[0].isupper():
        # English month names are capitalised; lower-case "may"/"march" are a verb.
        return None
    return month


def _h_date(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    month = _month(m, lang)
    if month is None:
        return None
    year = _year(m)
    d = int(m.group("d"))
    try:
        _dt.date(year or 2000, month, d)
    except ValueError:
        return None
    hh, mi = _g(m, "hh"), _g(m, "mi")
    if year is not None:
        day = _dt.date(year, month, d)
        if hh is not None:
            return _Val(
                TimexType.TIME,
                f"{day.isoformat()}T{hh}:{mi}",
                TimePrecision.MINUTE,
                Anchor.ABSOLUTE,
                interval=(day.isoformat(), day.isoformat()),
            )
        return _Val(
            TimexType.DATE,
            day.isoformat(),
            TimePrecision.DAY,
            Anchor.ABSOLUTE,
            interval=(day.isoformat(), day.isoformat()),
        )
    if self.pub is not None:
        near = self._nearest(month, d)
        if near is None:
            return None
        day = near
        if (day - self.pub).days > 60 and _past_tense(m, lang) and not _deadline(m, lang):
            # "was shot on Oct. 23" written in May: the most recent Oct. 23, not the next.
            try:
                day = day.replace(year=day.year - 1)
            except ValueError:
                return None
        return _Val(
            TimexType.DATE,
            day.isoformat(),
            TimePrecision.DAY,
            Anchor.PUBLICATION,
            interval=(day.isoformat(), day.isoformat()),
            confidence=0.9,
        )
    return _Val(TimexType.DATE, f"XXXX-{month:02d}-{d:02d}", TimePrecision.DAY, Anchor.NONE)


def _h_year_end(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "by year-end", "since year-end": the end of the current year, or of the last one when
    the clause looks back."""
    mod = "END"
    if self.pub is None:
        return _Val(TimexType.DATE, "XXXX", TimePrecision.YEAR, Anchor.NONE, mod=mod)
    year = self.pub.year - (1 if _past_tense(m, lang) and self.pub.month < 12 else 0)
    return _Val(
        TimexType.DATE,
        f"{year:04d}",
        TimePrecision.YEAR,
        Anchor.PUBLICATION,
        mod=mod,
        interval=_interval(_dt.date(year, 1, 1), _dt.date(year, 12, 31), mod),
        confidence=0.8,
    )


def _h_that_period(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "later that year", "the following month": a year or month counted from the last one
    written out in the text, not from the publication date."""
    unit = "Y" if _norm(m.group("tunit")) == "year" else "M"
    offset = {"following": 1, "previous": -1, "prior": -1}.get(_norm(_g(m, "tshift") or ""), 0)
    context = self.last_month
    if context is None or (unit == "M" and context[1] is None):
        # Nothing written to count from (yet): the year stays unknown.
        return _Val(TimexType.DATE, _UNKNOWN[unit], _PRECISION[unit], Anchor.NONE, confidence=0.5)
    day = _shift(_dt.date(context[0], context[1] or 1, 1), unit, offset)
    start, end = _span(day, unit)
    return _Val(
        TimexType.DATE,
        _render(day, unit),
        _PRECISION[unit],
        Anchor.TEXT,
        interval=(start.isoformat(), end.isoformat()),
        confidence=0.8,
    )


def _h_week_of(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "the week of March 6": the ISO week that holds the date."""
    val = _h_date(self, m, lang)
    if val is None:
        return None
    if val.value[0] == "X":  # no year known, so no week number either
        return _Val(TimexType.DATE, "XXXX-WXX", TimePrecision.WEEK, val.anchor)
    start, end = _span(_dt.date.fromisoformat(val.value[:10]), "W")
    return _Val(
        TimexType.DATE,
        _render(start, "W"),
        TimePrecision.WEEK,
        val.anchor,
        interval=(start.isoformat(), end.isoformat()),
        confidence=val.confidence,
    )


def _h_month(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    month = _month(m, lang)
    if month is None:
        return None
    word = m.group("mon")
    part = _lookup("parts", _g(m, "part")) or ""
    shift = _lookup("shifts", _g(m, "shift"))
    year = _year(m)
    if (
        year is None
        and lang == "en"
        and _g(m, "d") is None
        and _norm(word).rstrip(".") not in _FULL_MONTHS
    ):
        return None  # a bare "Jan" is more often a first name than January
    if year is None and lang == "en" and _norm(word) == "may" and not (part or shift is not None):
        # "May" alone is usually the modal verb or a name; only a cue word makes it a month.
        before = m.string[max(0, m.start() - 12) : m.start()].lower().split()
        if not before or before[-1] not in _lexicon()["en"]["month_cues"]:
            return None
    if year is None and lang == "en" and month == 3 and _procession(m):
        return None
    anchor = Anchor.ABSOLUTE
    yshift = _lookup("shifts", _g(m, "yshift"))
    if year is None and yshift is not None and self.pub is not None:
        # "June last year": the month of the year the shift names.
        year, anchor = self.pub.year + int(yshift), Anchor.PUBLICATION
    if year is None:
        if self.pub is None:
            return _Val(
                TimexType.DATE, f"XXXX-{month:02d}", TimePrecision.MONTH, Anchor.NONE, mod=part
            )
        anchor = Anchor.PUBLICATION
        year = self.pub.year
        if shift == -1 and month >= self.pub.month:
            year -= 1
        elif shift == 1 and month <= self.pub.month:
            year += 1
        elif shift is None and lang == "en":
            # The next two months are ahead; further ones are behind unless the tense
            # says otherwise ("in March" written in October is usually the March past).
            gap = (month - self.pub.month) % 12
            if gap and (gap <= 2 or _deadline(m, lang) or _future_tense(m, lang)):
                year += month < self.pub.month
            else:
                year -= month > self.pub.month
        elif shift is None:
            nearest = self._nearest(month, 15)
            year = nearest.year if nearest else year
    start = _dt.date(year, month, 1)
    end = _span(start, "M")[1]
    return _Val(
        TimexType.DATE,
        f"{year:04d}-{month:02d}",
        TimePrecision.MONTH,
        anchor,
        mod=part,
        interval=_interval(start, end, part),
    )


def _procession(m: re.Match[str]) -> bool:
    """ "the annual March for Life", "the ``March of the Combatant Mothers''": a march, not
    the month. A month takes "of" only before a year or a calendar phrase ("March of last
    year"), never before a determiner and a name."""
    after = m.string[m.end() : m.end() + 24]
    if re.match(r"\s+of\s+the\s+(?-i:[A-Z])", after):
        return True
    before = m.string[max(0, m.start() - 12) : m.start()].lower().split()
    return bool(
        before
        and before[-1] in _lexicon()["en"]["march_cues"]
        and re.match(r"\s+(?:for|of|on|against|through)\b", after)
    )


def _h_year(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    year = _year(m)
    if year is None:
        return None
    before = m.string[max(0, m.start() - 1) : m.start()]
    if before in ("$", "#", "№", "£", "€"):
        return None
    part = _lookup("parts", _g(m, "part")) or ""
    return _Val(
        TimexType.DATE,
        f"{year:04d}",
        TimePrecision.YEAR,
        Anchor.ABSOLUTE,
        mod=part,
        interval=_interval(_dt.date(year, 1, 1), _dt.date(year, 12, 31), part),
    )


def _h_decade(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    part = _lookup("parts", _g(m, "part")) or ""
    dec = _g(m, "dec")
    if dec is None:
        short = _g(m, "dec2")
        if short is None and _g(m, "decw") is not None:
            # "the nineties", "девяностые": the decade word's digit.
            word = _lookup("decade_words", m.group("decw"))
            short = str(word) if word is not None else None
        if short is None:
            return None
        # "the '90s" / "90-х годов": the 20th century unless it says otherwise.
        dec = f"19{short}"
    start = int(dec) * 10
    return _Val(
        TimexType.DATE,
        dec,
        TimePrecision.DECADE,
        Anchor.ABSOLUTE,
        mod=part,
        interval=_interval(_dt.date(start, 1, 1), _dt.date(start + 9, 12, 31), part),
    )


def _h_century(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    number = int(m.group("cent"))
    if not 1 <= number <= 21:
        return None
    part = _lookup("parts", _g(m, "part")) or ""
    start = (number - 1) * 100
    return _Val(
        TimexType.DATE,
        f"{number - 1:02d}",
        TimePrecision.CENTURY,
        Anchor.ABSOLUTE,
        mod=part,
        interval=_interval(_dt.date(max(start, 1), 1, 1), _dt.date(start + 99, 12, 31), part),
    )


def _h_season(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    season = _lookup("seasons", m.group("season"))
    if season is None:
        return None
    shift = _lookup("shifts", _g(m, "shift"))
    year = _year(m)
    part = _lookup("parts", _g(m, "part")) or ""
    anchor = Anchor.ABSOLUTE
    confidence = 1.0
    if year is None:
        the = _g(m, "the") is not None
        if shift is None and not (the and _season_noun(m)):
            return None  # a bare "summer" says nothing about which one
        if self.pub is None:
            return _Val(TimexType.DATE, f"XXXX-{season}", TimePrecision.SEASON, Anchor.NONE)
        anchor = Anchor.PUBLICATION
        year = self.pub.year
        first, last = _SEASON_MONTHS[season]
        if shift is None:
            # "the summer", "over the summer": news means the latest one that has begun
            # (written in October, the summer just past; in July, this one), or the
            # coming one when the clause speaks of the future.
            begun = self.pub.month == 12 if season == "WI" else first <= self.pub.month
            year -= 1 if not begun and not _future_tense(m, lang) else 0
            confidence = 0.7  # "in the winter" may also be any winter
        elif shift == -1 and not (last < self.pub.month and season != "WI"):
            year -= 1  # the last completed one
        elif shift == 1 and first <= self.pub.month:
            year += 1
    first, last = _SEASON_MONTHS[season]
    start = _dt.date(year, first, 1)
    end_year = year + 1 if season == "WI" else year
    end = _dt.date(end_year, last, calendar.monthrange(end_year, last)[1])
    return _Val(
        TimexType.DATE,
        f"{year:04d}-{season}",
        TimePrecision.SEASON,
        anchor,
        mod=part,
        interval=_interval(start, end, part),
        confidence=confidence,
    )


def _season_noun(m: re.Match[str]) -> bool:
    """ "the summer" names a season unless a name follows ("the Summer Olympics") or an
    "of" that is not a year's ("the fall of Saigon", "the spring of discontent")."""
    after = m.string[m.end() : m.end() + 20]
    return not re.match(r"\s+(?:of\b|(?-i:[A-Z]))", after)


def _h_quarter(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    number = _lookup("ordinals", m.group("ord"))
    if number is None:
        return None
    year = _year(m)
    anchor = Anchor.ABSOLUTE
    if year is None:
        if self.pub is None:
            return _Val(TimexType.DATE, f"XXXX-Q{number}", TimePrecision.QUARTER, Anchor.NONE)
        anchor = Anchor.PUBLICATION
        year = self.pub.year
        shift = _lookup("shifts", _g(m, "shift"))
        if shift == -1 or (shift is None and (number - 1) * 3 + 1 > self.pub.month):
            year -= 1 if (number - 1) * 3 + 1 >= self.pub.month or shift == -1 else 0
    start = _dt.date(year, (number - 1) * 3 + 1, 1)
    s, e = _span(start, "Q")
    return _Val(
        TimexType.DATE,
        f"{year:04d}-Q{number}",
        TimePrecision.QUARTER,
        anchor,
        interval=(s.isoformat(), e.isoformat()),
    )


def _last_completed_quarter(day: _dt.date) -> tuple[int, int]:
    quarter = (day.month - 1) // 3 + 1
    return (day.year, quarter - 1) if quarter > 1 else (day.year - 1, 4)


def _quarter_val(year: int, quarter: int, anchor: Anchor) -> _Val:
    s, e = _span(_dt.date(year, quarter * 3 - 2, 1), "Q")
    return _Val(
        TimexType.DATE,
        f"{year:04d}-Q{quarter}",
        TimePrecision.QUARTER,
        anchor,
        interval=(s.isoformat(), e.isoformat()),
    )


def _h_quarter_ref(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "the quarter", "the latest quarter", "the year-ago period", "the 1988 third quarter",
    "last year's third quarter": quarters named against the one under discussion."""
    ref = _norm(_g(m, "qref") or "")
    number = _lookup("ordinals", _g(m, "ord"))
    year = _year(m)
    if _norm(m.group("qword")) == "period" and not (ref or year or _g(m, "qago")):
        return None
    if self.pub is None:
        if year is None or number is None:
            return None
        return _quarter_val(year, number, Anchor.ABSOLUTE)
    context = self.last_quarter or _last_completed_quarter(self.pub)
    if ref in ("latest", "most recent"):
        context = _last_completed_quarter(self.pub)
    anchor = Anchor.TEXT if self.last_quarter else Anchor.PUBLICATION
    if year is not None:
        anchor = Anchor.ABSOLUTE
    elif _g(m, "ys"):
        year = self.pub.year + int(_lookup("shifts", m.group("ys")) or 0)
    elif ref.startswith("year") or _g(m, "qago"):
        year = context[0] - 1
    elif number is not None:
        return None  # "the third quarter" is the plain quarter rule's
    else:
        year = context[0]
    return _quarter_val(year, number or context[1], anchor)


def _h_half(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "the first half of 1990", "the second half of this year": 1990-H1, 2025-H2."""
    half = 1 if _norm(m.group("half")) == "first" else 2
    year = _year(m)
    anchor = Anchor.ABSOLUTE
    if year is None:
        if self.pub is None:
            return _Val(TimexType.DATE, f"XXXX-H{half}", TimePrecision.MONTH, Anchor.NONE)
        year = self.pub.year + int(_lookup("shifts", m.group("ys")) or 0)
        anchor = Anchor.PUBLICATION
    start = _dt.date(year, 1 if half == 1 else 7, 1)
    end = _dt.date(year, 6, 30) if half == 1 else _dt.date(year, 12, 31)
    return _Val(
        TimexType.DATE,
        f"{year:04d}-H{half}",
        TimePrecision.MONTH,
        anchor,
        interval=(start.isoformat(), end.isoformat()),
    )


def _with_part_of_day(
    self: TimeNormaliser, day: _dt.date | None, dp_word: str | None, anchor: Anchor, mod: str
) -> _Val:
    """The day, with the part of it the words name kept beside the value ("Friday night":
    the Friday, NI), so that the value compares with other dates as a date."""
    dp = _lookup("day_parts", dp_word) or ""
    base = day.isoformat() if day else "XXXX-XX-XX"
    interval = (base, base) if day else None
    return _Val(TimexType.DATE, base, TimePrecision.DAY, anchor, mod, interval, part=dp)


def _h_relday(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    word = _norm(m.group("rel"))
    offset = _lookup("relative_days", word)
    if offset is None:
        return None
    if lang == "en" and offset in (0, 1) and _generic_day(m):
        return None
    mod = _lookup("parts", _g(m, "part")) or ""
    dp_word = _g(m, "dp") or ("night" if word == "tonight" else None)
    if self.pub is None:
        return _with_part_of_day(self, None, dp_word, Anchor.NONE, mod)
    day = self.pub + _dt.timedelta(days=int(offset))
    return _with_part_of_day(self, day, dp_word, Anchor.PUBLICATION, mod)


def _generic_day(m: re.Match[str]) -> bool:
    """ "today's youth", "in today's world", "the people of tomorrow": the present (or
    coming) age, not a day. "Today's vote", "tomorrow's editions" stay days."""
    after = re.match(r"['’]s\s+(\w+)", m.string[m.end() : m.end() + 30])
    if after is not None:
        return after.group(1).lower() in _lexicon()["en"]["generic_after_today"]
    # "the people of tomorrow," closes a noun phrase with the word: an age, not a day.
    before = m.string[max(0, m.start() - 3) : m.start()].lower()
    return before == "of " and re.match(r"\s*(?:[,.;:!?]|$)", m.string[m.end() :]) is not None


def _h_this_dp(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "this morning", "last night", "этим утром", "keçən gecə": parts of the publication
    day (or the night before)."""
    shift = _lookup("dp_shifts", m.group("dshift"))
    if shift is None:
        return None
    offset = int(shift)
    if _lookup("day_parts", m.group("dp")) is None:
        return None
    if offset == -1 and _lookup("day_parts", m.group("dp")) != "NI":
        return None
    if self.pub is None:
        return _with_part_of_day(self, None, m.group("dp"), Anchor.NONE, "")
    day = self.pub + _dt.timedelta(days=offset)
    return _with_part_of_day(self, day, m.group("dp"), Anchor.PUBLICATION, "")


_FULL_MONTHS = frozenset(month for group in _lexicon_months() for month in group[:1])

_FUTURE = re.compile(
    r"(?i)\b(?:will|'ll|shall|going to|scheduled|plans?|planned|expected to|due to|"
    r"будет|будут|состоится|планиру\w*|намерен\w*|\w+acaq|\w+əcək)\b"
)


# English tense cues around a weekday: the nearest one in the same sentence decides.
_EN_FUTURE_CUE = (
    r"will|'ll|shall|would|going\s+to|scheduled|set\s+to|plans?\s+to|planned|expected\s+to|"
    r"due\s+to|as\s+(?:soon|early)\s+as|until|till|postponed|next(?!\s+to\b)|upcoming|"
    r"(?:expects?|intends?|aims?|planning|is|are)\s+to(?=\s+[a-z]+\b)"
)
_EN_PAST_CUE = (
    # "-ed" verbs are lower case: "United", "Red" are names, not a past tense.
    r"(?-i:[a-z]+ed)|said|was|were|had|did|met|told|took|made|came|went|left|began|held|gave|saw|"
    r"read|won|lost|shot|spent|sent|rose|fell|struck|fought|ran|brought|bought|sold|found|"
    r"heard|flew|led|paid|got|ago|last|been|since"
)
_EN_CUE = re.compile(rf"(?i)\b(?:(?P<fut>{_EN_FUTURE_CUE})|(?P<past>{_EN_PAST_CUE}))\b")
# A participle right after a form of "be" is passive voice, not past tense: in "would be
# paid" or "will be held" the auxiliary before it says when.
_PASSIVE_AUX = re.compile(r"(?i)\b(?:be|been|being|is|are|am|was|were)\s+(?:\w+ly\s+)?$")
_SENTENCE_END = re.compile(r"[.!?;]\s+(?=[A-Z\"'`])|\n")
# A full stop after "a.m.", "U.S." or a title ("Mr.", "Gen.") does not end the sentence.
_ABBREVIATION = re.compile(
    r"(?:\b[ap]\.m|\b[A-Z]\.[A-Z]|\b(?:Mrs?|Ms|Dr|St|Jr|Sr|Lt|No|Gen|Sen|Rep|Gov|Col|Sgt|"
    r"Inc|Corp|Ltd))$"
)


def _sentence_ends(text: str) -> list[re.Match[str]]:
    return [
        end
        for end in _SENTENCE_END.finditer(text)
        if end.group()[0] != "." or not _ABBREVIATION.search(text, 0, end.start())
    ]


# Past cues that are tense words, not participles: "is since", "was last" keep their sense.
_NOT_PARTICIPLE = frozenset({"since", "ago", "last", "been", "was", "were", "had", "did"})


# "a still unspecified date", "the revised plan": a participle after a determiner is an
# adjective, not a past tense.
_ADJECTIVE_AFTER = re.compile(
    r"(?i)\b(?:a|an|the|its|their|his|her|our|this|these|those|still|newly)\s+$"
)
# "had been scheduled to expire Friday", "as previously planned": a plan told as already
# overtaken, so the day it names is past.
_PLAN_WORD = re.compile(r"(?i)(?:scheduled|planned|due\s+to|expected\s+to|set\s+to)$")
_OVERTAKEN_PLAN = re.compile(r"(?i)\b(?:had\s+been|previously|as)\s+$")


def _sense(cue: re.Match[str], text: str) -> bool | None:
    """Whether a tense cue found in ``text`` speaks of the future (True), the past
    (False), or is no tense cue after all (None)."""
    if cue.group("fut") is not None:
        overtaken = _PLAN_WORD.search(cue.group("fut")) and _OVERTAKEN_PLAN.search(
            text, 0, cue.start()
        )
        return not overtaken
    if _passive(cue, text):
        return None
    word = cue.group("past")
    if word.endswith("ed") and _ADJECTIVE_AFTER.search(text, 0, cue.start()):
        return None
    return False


def _passive(cue: re.Match[str], text: str) -> bool:
    """A participle cue right after a form of "be" ("would be paid")."""
    word = cue.group("past")
    return (
        word is not None
        and word.lower() not in _NOT_PARTICIPLE
        and bool(_PASSIVE_AUX.search(text, 0, cue.start()))
    )


def _future_tense(m: re.Match[str], lang: str) -> bool:
    """Whether the clause around ``m`` speaks of the future."""
    if lang != "en":
        text = m.string
        window = text[max(0, m.start() - 80) : m.end() + 40]
        return bool(_FUTURE.search(window))
    return _en_tense(m) == "future"


# "payable Jan. 2", "by February", "effective June 1": a deadline or a start date, which
# news gives for what is still ahead, whatever the tense of the clause around it.
_EN_DEADLINE = re.compile(r"(?i)\b(?:payable|by|effective)\s+$")


def _deadline(m: re.Match[str], lang: str) -> bool:
    return lang == "en" and bool(_EN_DEADLINE.search(m.string, max(0, m.start() - 12), m.start()))


def _past_tense(m: re.Match[str], lang: str) -> bool:
    """Whether the nearest English tense cue around ``m`` is a past one."""
    return lang == "en" and _en_tense(m) == "past"


def _en_tense(m: re.Match[str]) -> str | None:
    """ "future", "past" or None: the nearest tense cue in the sentence around ``m``."""
    text = m.string
    left = text[max(0, m.start() - 100) : m.start()]
    right = text[m.end() : m.end() + 35]
    cut = _sentence_ends(left)
    if cut:
        left = left[cut[-1].end() :]
    stop = _sentence_ends(right)
    if stop:
        right = right[: stop[0].start()]
    # A closing quotation mark ends the quoted clause: in "'... Thursday,' Castro said" the
    # reporting verb after it says nothing about when the quoted event happens.
    right = re.split(r"''|[\"”]|\s(?:and|but|while)\s", right, maxsplit=1)[0]
    best: tuple[int, bool, str] | None = None
    for cue in _EN_CUE.finditer(left):
        sense = _sense(cue, left)
        if sense is None:
            continue
        distance = len(left) - cue.end()
        if best is None or distance <= best[0]:
            best = (distance, sense, cue.group().lower())
    for cue in _EN_CUE.finditer(right):
        sense = _sense(cue, right)
        if sense is None:
            continue
        distance = cue.start() + 10  # a cue before the weekday weighs more
        if best is None or distance < best[0]:
            best = (distance, sense, cue.group().lower())
    if best is None:
        return None
    if best[2] in ("until", "till") and _PAST_PERFECT.search(left + " " + right):
        # "Until Thursday, they had not called him a suspect": the span up to the day is
        # told in the past perfect, so the day itself is past.
        return "past"
    return "future" if best[1] else "past"


# "had not called", "had been", "had taken"; "had then" or "had even" is no participle.
_PAST_PERFECT = re.compile(
    r"(?i)\bhad(?:\s+(?:not|never|n't))?\s+(?!(?:then|when|even|often)\b)(?:been|[a-z]+ed|[a-z]+en)\b"
)


def _h_weekday(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    weekday = _lookup("weekdays", m.group("wd"))
    if weekday is None:
        return None
    shift = _lookup("shifts", _g(m, "shift"))
    if lang == "az" and shift is None and _g(m, "gun") is None and " " not in m.group("wd"):
        # Bare "bazar" is also "market" and "cümə" the Friday prayer; need "günü".
        return None
    if lang == "en" and not m.group("wd")[0].isupper():
        return None
    if self.pub is None:
        dp = _lookup("day_parts", _g(m, "dp")) or ""
        value = f"XXXX-WXX-{weekday + 1}"
        return _Val(TimexType.DATE, value, TimePrecision.DAY, Anchor.NONE, part=dp)
    back = (self.pub.weekday() - weekday) % 7
    if shift == -1:
        day = self.pub - _dt.timedelta(days=back or 7)
    elif shift == 1:
        day = self.pub + _dt.timedelta(days=(weekday - self.pub.weekday()) % 7 or 7)
    else:
        # News mostly reports the past week; a future-tense cue flips it forward. A
        # possessive ("Wednesday's ruling") names an event already reported, so it stays
        # in the past whatever the clause around it says.
        possessive = lang == "en" and re.match(r"['’]s\b", m.string[m.end() : m.end() + 3])
        if back != 0 and not possessive and _future_tense(m, lang):
            day = self.pub + _dt.timedelta(days=7 - back)
        else:
            day = self.pub - _dt.timedelta(days=back)
    return _with_part_of_day(self, day, _g(m, "dp"), Anchor.PUBLICATION, "")


def _easter(year: int) -> _dt.date:
    """Western Easter Sunday (the Gregorian computus)."""
    golden = year % 19
    century, rest = divmod(year, 100)
    epact = (19 * golden + century - century // 4 - (8 * century + 13) // 25 + 15) % 30
    weekday = (32 + 2 * (century % 4) + 2 * (rest // 4) - epact - rest % 4) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return _dt.date(year, month, day + 1)


def _holiday_date(rule: list[Any], year: int) -> _dt.date:
    if rule[0] == "easter":
        return _easter(year) + _dt.timedelta(days=int(rule[1]))
    if len(rule) == 2:
        return _dt.date(year, int(rule[0]), int(rule[1]))
    month, weekday, nth = int(rule[0]), int(rule[1]), int(rule[2])
    if nth < 0:  # the last one: count back from the month's end
        last = _dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - _dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = _dt.date(year, month, int(rule[3]) if len(rule) > 3 else 1)
    return first + _dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _h_holiday(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "Thanksgiving Day", "last Christmas", "Easter week": a named day of the year, in
    the year written, else the occurrence nearest the publication date (as for "Nov. 25")."""
    name = _norm(m.group("hol")).replace("’", "'")
    spec = _lexicon()[lang]
    rule = spec["holidays"].get(name)
    if rule is None or not m.group("hol")[0].isupper():
        return None
    shift = _lookup("shifts", _g(m, "shift"))
    if name in spec["holiday_bare"] and shift is None and _g(m, "hwk") is None:
        # "Christmas shopping", "Easter eggs": alone the name is tagged only after a cue.
        before = m.string[max(0, m.start() - 12) : m.start()].lower().split()
        if not before or before[-1] not in spec["holiday_cues"]:
            return None
    unit = "W" if _norm(_g(m, "hwk") or "") == "week" else "WE" if _g(m, "hwk") else "D"
    year = _year(m)
    anchor = Anchor.ABSOLUTE
    if year is not None:
        day = _holiday_date(rule, year)
    elif self.pub is None:
        if rule[0] == "easter" or len(rule) > 2:
            return _Val(TimexType.DATE, "XXXX-XX-XX", TimePrecision.DAY, Anchor.NONE)
        value = f"XXXX-{int(rule[0]):02d}-{int(rule[1]):02d}"
        return _Val(TimexType.DATE, value, TimePrecision.DAY, Anchor.NONE)
    else:
        pub = self.pub
        anchor = Anchor.PUBLICATION
        days = [_holiday_date(rule, y) for y in (pub.year - 1, pub.year, pub.year + 1)]
        if shift == -1:
            day = max(d for d in days if d < pub)
        elif shift == 1:
            day = min(d for d in days if d > pub)
        elif shift == 0:
            day = days[1]
        else:
            day = min(days, key=lambda d: (abs((d - pub).days), d > pub))
            if (day - pub).days > 60 and _past_tense(m, lang):
                day = days[days.index(day) - 1]
    if unit != "D":
        start, end = _span(day, unit)
        return _Val(
            TimexType.DATE,
            _render(day, unit),
            _PRECISION[unit],
            anchor,
            interval=(start.isoformat(), end.isoformat()),
        )
    return _Val(
        TimexType.DATE,
        day.isoformat(),
        TimePrecision.DAY,
        anchor,
        interval=(day.isoformat(), day.isoformat()),
    )


def _h_period(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    unit = _lookup("units", _g(m, "unit")) or _lookup("period_units", _g(m, "punit"))
    if unit is None and _norm(_g(m, "unit") or "") == "weekend":
        unit = "WE"
    if unit is None:
        return None
    if lang == "en" and (_g(m, "unit") or "x")[0].isupper():
        # Running English writes "this week"; ABC's "This Week" is a programme's name.
        return None
    shift = _lookup("shifts", _g(m, "shift"))
    part = _lookup("parts", _g(m, "part")) or ""
    if shift is None:
        if not part:
            return None
        shift = 0  # "the end of the year", "в конце года", "ilin sonunda": the current one
    if _g(m, "the") and shift == -1 and not part:
        # "the past week" is a stretch of time, "last week" a calendar week.
        return _Val(TimexType.DURATION, _duration(1, unit), _PRECISION[unit], Anchor.NONE)
    if self.pub is None:
        return _Val(TimexType.DATE, _UNKNOWN[unit], _PRECISION[unit], Anchor.NONE, mod=part)
    day = _shift(self.pub, unit, int(shift))
    start, end = _span(day, unit)
    return _Val(
        TimexType.DATE,
        _render(day, unit),
        _PRECISION[unit],
        Anchor.PUBLICATION,
        mod=part,
        interval=_interval(start, end, part),
    )


def _h_weekend(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    if self.pub is None:
        return _Val(TimexType.DATE, "XXXX-WXX-WE", TimePrecision.WEEK, Anchor.NONE)
    # Before Friday "the weekend" in news is the one just past.
    day = self.pub if self.pub.weekday() >= 4 else self.pub - _dt.timedelta(days=7)
    start, end = _span(day, "WE")
    return _Val(
        TimexType.DATE,
        _render(day, "WE"),
        TimePrecision.WEEK,
        Anchor.PUBLICATION,
        interval=(start.isoformat(), end.isoformat()),
        confidence=0.7,
    )


def _h_the_year(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "for the year" in news is the publication year; "the year ended March 31" a
    twelve-month stretch (TimeBank annotates it as a duration)."""
    if _g(m, "ended") is not None:
        return _Val(TimexType.DURATION, "P1Y", TimePrecision.YEAR, Anchor.NONE)
    if self.pub is None:
        return _Val(TimexType.DATE, "XXXX", TimePrecision.YEAR, Anchor.NONE)
    start, end = _span(self.pub, "Y")
    return _Val(
        TimexType.DATE,
        f"{self.pub.year:04d}",
        TimePrecision.YEAR,
        Anchor.PUBLICATION,
        interval=(start.isoformat(), end.isoformat()),
        confidence=0.7,
    )


def _h_ago(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    unit = _lookup("units", m.group("unit"))
    direction = _lookup("ago", m.group("ago"))
    if unit is None or direction is None:
        return None
    amount = _number(_g(m, "num"))
    mod = _lookup("modifiers", _g(m, "mod")) or ("APPROX" if _g(m, "orso") else "")
    forward = direction.endswith("+")
    base, anchor = self.pub, Anchor.PUBLICATION
    if direction.startswith("text") and self.last_day is not None:
        base, anchor = self.last_day, Anchor.TEXT
    if amount is None:
        return _Val(
            TimexType.DATE,
            "FUTURE_REF" if forward else "PAST_REF",
            TimePrecision.UNKNOWN,
            anchor if base else Anchor.NONE,
            mod,
        )
    if base is None:
        return _Val(TimexType.DATE, _UNKNOWN[unit], _PRECISION[unit], Anchor.NONE, mod)
    if amount != int(amount):
        # "a year and a half ago": count in the next smaller unit.
        return _Val(TimexType.DATE, "PAST_REF", TimePrecision.UNKNOWN, anchor, mod or "APPROX")
    if (
        lang == "en"
        and unit == "Y"
        and amount == 1
        and not forward
        and self.last_quarter is not None
        and not self.months_focus
        and base is self.pub
    ):
        # Earnings news: "a year ago" / "a year earlier" is the quarter under discussion.
        year, quarter = self.last_quarter
        start = _dt.date(year - 1, quarter * 3 - 2, 1)
        s, e = _span(start, "Q")
        return _Val(
            TimexType.DATE,
            f"{year - 1:04d}-Q{quarter}",
            TimePrecision.QUARTER,
            Anchor.TEXT,
            mod,
            (s.isoformat(), e.isoformat()),
        )
    day = _shift(base, unit, int(amount) * (1 if forward else -1))
    start, end = _span(day, unit)
    return _Val(
        TimexType.DATE,
        _render(day, unit),
        _PRECISION[unit],
        anchor,
        mod,
        (start.isoformat(), end.isoformat()),
    )


def _followed_by_age(m: re.Match[str]) -> bool:
    after = m.string[m.end() : m.end() + 12].lower()
    return bool(re.match(r"(?:[\s-]+old\b|-?летн|\s+(?:yaşlı|yaşında))", after))


_FRACTION_OF = re.compile(
    r"(?i)\s+of\s+(?:the|its|his|her|their|our|your|my|a|an|all|this|that|these|those|\$)"
)


def _h_duration(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    unit = _lookup("units", m.group("unit"))
    if unit is None or _followed_by_age(m):
        return None
    if lang == "en" and m.group("unit")[0].isupper() and (_g(m, "num") or "").isdigit():
        return None  # "CBS's '60 Minutes'", "48 Hours": a title, not a stretch of time
    mod = _lookup("modifiers", _g(m, "mod")) or ""
    if lang in ("ru", "az") and not (
        mod or _g(m, "cue") or _g(m, "cue2") or _g(m, "usuf") or _g(m, "the")
    ):
        # Without a cue ("в течение", "ərzində", "-dür") a bare "24 года" is too often an age.
        return None
    if unit == "Q" and _FRACTION_OF.match(m.string, m.end()):
        # "three-quarters of its food", "a quarter of the market": a share, not a time.
        return None
    if (
        lang == "en"
        and _norm(_g(m, "num") or "") in ("a", "an")
        and not (mod or _g(m, "the"))
        and _after_amount(m, lang)
    ):
        # "$1.76 a year", "700 seats a week", "24 hours a day": a rate, not a stretch.
        return _Val(TimexType.SET, _duration(1, unit), TimePrecision.UNKNOWN, Anchor.NONE)
    amount = _number(_g(m, "num"))
    return _Val(TimexType.DURATION, _duration(amount, unit), _PRECISION[unit], Anchor.NONE, mod)


@cache
def _amount_end(lang: str) -> re.Pattern[str]:
    """What ends an amount right before a rate's unit: digits (with a per cent sign), a
    number word or a scale word, perhaps followed by the counted noun ("700 seats",
    "fifty thousand CDs", "5 млн долларов")."""
    spec = _lexicon()[lang]
    words = [w for w, v in spec["numbers"].items() if v >= 2] + list(spec.get("rate_words", []))
    # English counted nouns are plurals; Russian ones are any word (case endings vary).
    noun = r"(?-i:[A-Za-z]+s)" if lang == "en" else r"[^\W\d_]+\.?"
    return re.compile(rf"(?:\d%?|(?<!\w)(?:{_alt(words)})\.?)(?:\s+{noun})?\s+$", re.I)


def _after_amount(m: re.Match[str], lang: str) -> bool:
    return _amount_end(lang).search(m.string, max(0, m.start() - 60), m.start()) is not None


def _h_rate(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "5 млн долларов в год", "ildə 5 milyon manat": a rate (SET), per unit. Russian puts
    the amount before "в <unit>", Azerbaijani the unit ("ildə", "ayda") before it."""
    unit = _lookup("rate_units", m.group("unit"))
    if unit is None or (lang == "ru" and not _after_amount(m, lang)):
        return None
    return _Val(TimexType.SET, _duration(1, unit), TimePrecision.UNKNOWN, Anchor.NONE)


def _h_every_weekday(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "every Thursday", "каждую среду", "hər cümə günü": a weekly recurrence, never one
    date (TimeML: SET XXXX-WXX-4)."""
    weekday = _lookup("weekdays", m.group("wd"))
    if weekday is None or (lang == "en" and not m.group("wd")[0].isupper()):
        return None
    if lang == "az" and _g(m, "gun") is None and " " not in m.group("wd"):
        return None  # "hər bazar" is also "every market"
    dp = _lookup("day_parts", _g(m, "dp"))
    value = f"XXXX-WXX-{weekday + 1}" + (f"T{dp}" if dp else "")
    return _Val(TimexType.SET, value, TimePrecision.UNKNOWN, Anchor.NONE)


def _h_every_month(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    """ "each July": a yearly recurrence (SET XXXX-07), not the last or next July."""
    month = _month(m, lang)
    if month is None:
        return None
    return _Val(TimexType.SET, f"XXXX-{month:02d}", TimePrecision.UNKNOWN, Anchor.NONE)


def _h_compound(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    found = _lookup("compound_durations", m.group("comp"))
    if found is None or _followed_by_age(m):
        return None
    unit, amount = found
    mod = _lookup("modifiers", _g(m, "mod")) or ""
    return _Val(TimexType.DURATION, _duration(amount, unit), _PRECISION[unit], Anchor.NONE, mod)


def _h_long_adj(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    word = _norm(m.group("unit"))
    unit = _lookup("units", word)
    if unit is None:
        return None
    # A plural with no number ("decades-long", "years-long") is a vague stretch: PXDE, PXY.
    vague = _g(m, "num") is None and word.endswith("s")
    amount = None if vague else _number(_g(m, "num"))
    return _Val(TimexType.DURATION, _duration(amount, unit), _PRECISION[unit], Anchor.NONE)


def _h_vague_plural(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    unit = _lookup("units", m.group("unit"))
    if unit is None:
        return None
    return _Val(TimexType.DURATION, _duration(None, unit), _PRECISION[unit], Anchor.NONE)


def _clock(m: re.Match[str]) -> tuple[int, int] | None:
    hh = int(m.group("hh"))
    mi = int(_g(m, "mi") or 0)
    ampm = (_g(m, "ampm") or "").lower().replace(".", "")
    half = _lookup("clock_day_parts", _g(m, "pd"))
    if half == "night":
        # "10 at night", "в 2 часа ночи": from six on it is the evening, before six the
        # small hours after midnight.
        half = "pm" if 6 <= hh < 12 else "am"
    ampm = half or ampm
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    if hh > 23 or mi > 59:
        return None
    return hh, mi


def _h_clock(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    found = _clock(m)
    if found is None:
        return None
    hh, mi = found
    mod = "APPROX" if _g(m, "approx") else ""
    if self.pub is None:
        return _Val(
            TimexType.TIME, f"XXXX-XX-XXT{hh:02d}:{mi:02d}", TimePrecision.MINUTE, Anchor.NONE, mod
        )
    return _Val(
        TimexType.TIME,
        f"{self.pub.isoformat()}T{hh:02d}:{mi:02d}",
        TimePrecision.MINUTE,
        Anchor.PUBLICATION,
        mod,
        (self.pub.isoformat(), self.pub.isoformat()),
        confidence=0.8,
    )


# Times of day said in words: a clock time, or a TimeML part of day (AF afternoon, MO morning).
_CLOCK_WORDS = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}


def _h_clock_word(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
    word = _norm(m.group("cw"))
    time = _CLOCK_WORDS.get(word)
    day = self.pub.isoformat() if self.pub else None
    anchor = Anchor.PUBLICATION if day else Anchor.NONE
    interval = (day, day) if day else None
    if time is None:
        # "mid-afternoon": a part of the day, not a clock time (_merge_clock dates it by a
        # day written next to it, "mid-afternoon yesterday").
        part = "AF" if word.endswith("afternoon") else "MO"
        value = day or "XXXX-XX-XX"
        return _Val(TimexType.DATE, value, TimePrecision.DAY, anchor, "", interval, 0.8, part=part)
    return _Val(
        TimexType.TIME,
        f"{day or 'XXXX-XX-XX'}T{time}",
        TimePrecision.MINUTE,
        anchor,
        interval=interval,
        confidence=0.8 if day else 1.0,
    )


# A lower-case word that is neither a determiner nor a possessive starts a clause or a
# gerund after "the day before/after", not a noun phrase like "the day before the vote".
_CLAUSE_AFTER = re.compile(
    r"\s+(?!(?:the|a|an|his|her|its|their|our|my|your|this|that|last|next)\b)[a-z]+\b"
)


def _phrase_handler(category: str, value: Any) -> _Handler:
    def handler(self: TimeNormaliser, m: re.Match[str], lang: str) -> _Val | None:
        if category == "sets":
            return _Val(TimexType.SET, str(value), TimePrecision.UNKNOWN, Anchor.NONE)
        if category == "refs":
            # "recent months" is a vague stretch (PXM); "recently" a point (PAST_REF).
            return _Val(
                TimexType.DURATION if re.match(r"P[\dX]", str(value)) else TimexType.DATE,
                str(value),
                TimePrecision.UNKNOWN,
                Anchor.PUBLICATION if self.pub else Anchor.NONE,
            )
        if re.search(r"(?i)(?:before|after)$", m.group()) and _CLAUSE_AFTER.match(
            m.string, m.end()
        ):
            # "the day before authorities issued a warrant", "the day before returning home":
            # "before" joins a clause here, so the day is fixed by that event, not by the text.
            return None
        # same_day: relative to the last calendar date written in the text.
        if self.last_day is not None:
            day = self.last_day + _dt.timedelta(days=int(value))
            return _Val(
                TimexType.DATE,
                day.isoformat(),
                TimePrecision.DAY,
                Anchor.TEXT,
                interval=(day.isoformat(), day.isoformat()),
            )
        if self.last_value is not None and int(value) == 0:
            return _Val(TimexType.DATE, self.last_value, TimePrecision.DAY, Anchor.TEXT)
        month = self.last_month[1] if self.last_month is not None else None
        if self.last_month is not None and month is not None and int(value) == 0:
            # "killed last October ... crossed out that same day": the day is unknown, but
            # the month (and year) written before it is the one it falls in.
            year = self.last_month[0]
            start, end = _span(_dt.date(year, month, 1), "M")
            return _Val(
                TimexType.DATE,
                f"{year:04d}-{month:02d}-XX",
                TimePrecision.DAY,
                Anchor.TEXT,
                interval=(start.isoformat(), end.isoformat()),
                confidence=0.5,
            )
        return _Val(TimexType.DATE, "XXXX-XX-XX", TimePrecision.DAY, Anchor.NONE, confidence=0.5)

    return handler


# --------------------------------------------------------------------------- cues

# Case-insensitive regex matching (re.I) equates letters that str.lower() keeps apart: i/ı,
# s/ſ, the old Cyrillic letter forms; and "İ".lower() would add a combining dot. Folding
# them lets a substring or whole-word test stand in for the regex. "ё" folds to "е"
# because the patterns accept either (see _alt). Every letter stays one word character,
# so word boundaries do not move.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "ſ": "s",
        "ё": "е",
        "ᲀ": "в",
        "ᲁ": "д",
        "ᲂ": "о",
        "ᲃ": "с",
        "ᲄ": "т",
        "ᲅ": "т",
        "ᲆ": "ъ",
        "ᲇ": "ѣ",
        "ᲈ": "ꙋ",
        "ẛ": "ṡ",
        "ﬅ": "ﬆ",
    }
)
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"(?<!\w)[^\W\d_a-z]\w*")


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return text.replace("İ", "i").lower().translate(_FOLD)


class _Folded:
    """A text folded once per block, and its sets of words on first use."""

    __slots__ = ("_capitals", "_tokens", "original", "text")

    def __init__(self, text: str) -> None:
        self.original = text
        self.text = _fold(text)
        self._tokens: frozenset[str] | None = None
        self._capitals: frozenset[str] | None = None

    def tokens(self) -> frozenset[str]:
        if self._tokens is None:
            self._tokens = frozenset(_WORD.findall(self.text))
        return self._tokens

    def capitalised(self) -> frozenset[str]:
        """The words that start with a capital letter, folded."""
        if self._capitals is None:
            words = _CAPITALISED.findall(self.original)
            self._capitals = frozenset(_fold(w) for w in words if w[0].isupper())
        return self._capitals


# The regexes are costly (each is tried at every word start) and most sentences hold no
# time expression. So each rule names what any match of it must contain, and a rule is not
# run on a text that lacks it: it could not have matched, so nothing changes
# (tests/test_timex.py compares with running every rule). Per group, any of:
#   "word"  the folded text contains it;    "=word" it is a whole word of the text;
#   "^word" a whole word of the text that starts with a capital letter (English month,
#           weekday and holiday names: their handlers drop lower-case ones, "may", "march");
#   "@cat" / "=@cat" / "^@cat" the same for every entry of a lexicon category ("@months":
#           the month stems a month word starts with; "^" takes an entry's first word);
#   "re:..." the regex matches the text.
# All groups of a rule must be met. Whole words only where the pattern puts a word
# boundary (or whitespace) on both sides of that word. No entry: the rule always runs.
_YEAR_RE = r"re:(?:1[5-9]|20)\d\d"
_CUES: dict[str, tuple[tuple[str, ...], ...]] = {
    "iso": ((r"re:\d-[01]\d-",),),
    "numeric": ((r"re:\d\.\d\d?\.[12]",),),
    **{
        name: (("^@months",),)
        for name in ("dmy", "mdy", "md", "md_and", "week_of", "dm", "my", "mon", "mon_rel")
    },
    "decade": ((r"re:\d0['’]?s",),),
    "decade2": ((r"re:['’]\d0s",),),
    "decade_word": (("=@decade_words",),),
    "century": (("=century",),),
    "year": ((r"re:(?:19|20)\d\d",),),
    "year_old": ((r"re:1[5-8]\d\d",),),
    "year_spoken": (("nineteen", "eighteen", "thousand"),),
    "season": (("=@seasons",),),
    "quarter": (("=quarter",),),
    "quarter_ref": (("=quarter", "=period"),),
    "half": (("=half",), ("=of",)),
    "relday": (("=@relative_days",),),
    "this_dp": (("=@day_parts",), ("=@dp_shifts",)),
    "ru_this_dp": (("=@day_parts",), ("=@dp_shifts",)),
    "az_this_dp": (("=@day_parts",), ("=@dp_shifts",)),
    "weekday": (("^@weekdays",),),
    "every_wd": (("^@weekdays",), ("=every", "=each")),
    "every_mon": (("^@months",), ("=every", "=each")),
    "period": (("=week", "=month", "=year", "=quarter", "=decade", "=century", "=weekend"),),
    "weekend": (("=weekend",),),
    "year_end": (("=year",), ("end",)),
    "that_period": (("=year", "=month"),),
    "holiday": (("^@holidays",),),
    "the_year": (("=year",),),
    "ago": (("=@ago",), ("=@units",)),
    "year_adj": (("year-",),),
    "compound": (("=@compound_durations",),),
    "duration": (("=@units",),),
    "long_adj": (("long",),),
    "vague_plural": (("=years", "=months", "=weeks", "=days", "=decades", "=hours", "=centuries"),),
    "clock12": ((r"re:\d\s*[ap]\.?m",),),
    "clock_word": (("noon", "midday", "midnight", "afternoon", "morning"),),
    "clock24": ((r"re:\d[:.][0-5]\d",),),
    "clock_dp": ((r"re:\d",), ("=@clock_day_parts",)),
    "ru_clock_dp": ((r"re:\d",), ("=@clock_day_parts",)),
    "az_clock_dp": (("=saat",), ("=@clock_day_parts",)),
    "ru_dm": (("@months",), (r"re:\d",)),
    "ru_mon": (("@months",),),
    "ru_part_mon": (("@months",),),
    "ru_my": (("@months",), (_YEAR_RE,)),
    "ru_year": ((_YEAR_RE,),),
    "ru_year2": ((_YEAR_RE,),),
    "ru_decade": ((r"re:\d0-",),),
    "ru_decade2": ((r"re:\d0-",),),
    "ru_decade_word": (("=@decade_words",),),
    "ru_season": (("=@seasons",),),
    "ru_relday": (("=@relative_days",),),
    "ru_weekday": (("=@weekdays",),),
    "ru_weekday2": (("=@weekdays",),),
    "ru_every_wd": (("=@weekdays",),),
    "ru_rate": (("=@rate_units",),),
    "ru_period": (("=@period_units",),),
    "ru_period2": (("=@period_units",),),
    "ru_ago": (("=@ago",),),
    "ru_later": (("=через",),),
    "ru_compound": (("=@compound_durations",),),
    "ru_duration": (("=@units",),),
    "ru_clock": ((r"re:\d[:.][0-5]\d",),),
    "az_md": (("@months",), (r"re:\d",)),
    "az_dm": (("@months",), (r"re:\d",)),
    "az_ym": (("@months",), (_YEAR_RE,)),
    "az_mon": (("@months",),),
    "az_year": ((_YEAR_RE,),),
    "az_year2": ((_YEAR_RE,),),
    "az_decade": ((r"re:\d0-?\w+\s+illər",),),
    "az_season": (("=@seasons",),),
    "az_relday": (("=@relative_days",),),
    "az_weekday": (("=@weekdays",),),
    "az_every_wd": (("=@weekdays",), ("=hər",)),
    "az_rate": (("=@rate_units",),),
    "az_period": (("=@period_units",),),
    "az_ago": (("=@ago",),),
    "az_compound": (("=@compound_durations",),),
    "az_duration": (("@units",),),
    "az_clock": (("=saat",),),
}


def _pieces(phrase: str) -> list[str]:
    """The words of a lexicon phrase, folded: any match holds each of them whole (the
    patterns let whitespace vary and accept either apostrophe)."""
    return _WORD.findall(_fold(phrase))


def _minimal(words: Iterable[str]) -> tuple[str, ...]:
    """The words that contain no other one: testing "jan" covers "january"."""
    unique = {w for w in words if w}
    return tuple(sorted(w for w in unique if not any(o != w and o in w for o in unique)))


@cache
def _month_stems(lang: str) -> tuple[str, ...]:
    """What a month word in ``lang`` is or starts with: the English patterns list English
    names and abbreviations whole; Russian and Azerbaijani ones accept any word that
    month_number reads, which starts with one of its stems."""
    if lang == "en":
        return tuple(_fold(form) for group in _lexicon_months() for form in group)
    return tuple(_fold(stem) for stem in month_table().stems)


def _cue_groups(lang: str, name: str) -> tuple[_CueGroup, ...]:
    spec = _lexicon()[lang]
    groups = []
    for group in _CUES.get(name, ()):
        found: dict[str, list[str]] = {"": [], "=": [], "^": []}
        pattern = None
        for item in group:
            if item.startswith("re:"):
                pattern = re.compile(item[3:], re.I)
                continue
            kind = item[0] if item[0] in "=^" else ""
            key = item[len(kind) :]
            if key == "@months":
                entries: list[str] = list(_month_stems(lang))
            elif key.startswith("@"):
                entries = [k for k in spec[key[1:]] if k[0] != "_"]
            else:
                entries = [key]
            for entry in entries:
                pieces = _pieces(entry)
                # A capital starts the first word; otherwise any one word of a phrase is
                # enough, and the longest is the rarest.
                found[kind].append(pieces[0] if kind == "^" else max(pieces, key=len))
        groups.append(
            _CueGroup(_minimal(found[""]), frozenset(found["="]), pattern, frozenset(found["^"]))
        )
    return tuple(groups)


def _phrase_cues(phrase: str) -> tuple[_CueGroup, ...]:
    """A fixed phrase needs every one of its words, whole."""
    return tuple(_CueGroup(tokens=frozenset({w})) for w in dict.fromkeys(_pieces(phrase)))


# --------------------------------------------------------------------------- rules


def _phrase_rules(lang: str) -> list[_Rule]:
    spec = _lexicon()[lang]
    rules: list[_Rule] = []
    for category in ("same_day", "sets", "refs"):
        for phrase, value in spec.get(category, {}).items():
            head, _, rest = phrase.partition("[")
            inner, _, tail = rest.partition("]")
            pattern = (
                _B
                + (_alt([head.strip()]) + r"\s+" if head.strip() else "")
                + f"(?P<x>{_alt([inner])})"
                + (r"\s+" + _alt([tail.strip()]) if tail.strip() else "")
                + _E
            )
            cues = _phrase_cues(phrase.replace("[", " ").replace("]", " "))
            rules.append(
                _Rule(category, re.compile(pattern, re.I), _phrase_handler(category, value), cues)
            )
    return rules


def _tokens(lang: str) -> dict[str, str]:
    spec = _lexicon()[lang]
    numbers = list(spec["numbers"]) + list(spec.get("vague_numbers", []))
    num_words = _alt(numbers)
    # Compounds are tens plus units only ("twenty-four"), so "a five-hour" stays 5, not 6.
    tens = _alt(w for w, v in spec["numbers"].items() if v >= 20 and v % 10 == 0 and v < 100)
    units = _alt(w for w, v in spec["numbers"].items() if 1 <= v <= 9 and len(w) > 2)
    tokens = {
        "<D>": r"(?P<d>[12]\d|3[01]|0?[1-9])",
        "<Y>": r"(?P<y>(?:1[5-9]|20)\d{2})",
        "<NUM>": rf"(?P<num>\d+\s+[1-9]/[1-9]\d?(?![\d/])|\d+(?:[.,]\d+)?|(?:{tens})[\s-](?:{units})|(?:{num_words}))",
        "<UNIT>": f"(?P<unit>{_alt(spec['units'])})",
        "<PART>": f"(?P<part>{_alt(spec['parts'])})",
        "<SHIFT>": f"(?P<shift>{_alt(spec['shifts'])})",
        "<WD>": f"(?P<wd>{_alt(spec['weekdays'])})",
        "<DP>": f"(?P<dp>{_alt(spec['day_parts'])})",
        "<DPS>": _alt(spec["dp_shifts"]),
        "<CDP>": f"(?P<pd>{_alt(spec['clock_day_parts'])})",
        "<SEASON>": f"(?P<season>{_alt(spec['seasons'])})",
        "<REL>": f"(?P<rel>{_alt(spec['relative_days'])})",
        # "over the past 20 years": "over" there is a preposition, not a modifier.
        "<MOD>": f"(?P<mod>{_alt(spec['modifiers'])})(?!\\s+the\\b)",
        "<AGO>": f"(?P<ago>{_alt(spec['ago'])})",
        "<COMP>": f"(?P<comp>{_alt(spec['compound_durations'])})",
        # An abbreviation's full stop belongs to the month only when a number follows
        # ("янв. 2025"); otherwise it ends the sentence.
        "<MON>": r"(?P<mon>[^\W\d_]{3,12}(?:\.(?=\s*\d))?)",
    }
    if lang == "en":
        # The first stem of each group is the full name; the rest are abbreviations,
        # which alone may carry a full stop ("Sept.", not "July.").
        full = [group[0] for group in _lexicon_months()]
        short = [f for group in _lexicon_months() for f in group[1:]]
        abbrev = [f + "." for f in short] + short
        tokens["<MON>"] = rf"(?P<mon>{_alt(full + abbrev)})"
        tokens["<ORD>"] = f"(?P<ord>{_alt(spec['ordinals'])})"
        # A plural noun after it ("nineteen ninety-six people") makes it a count.
        tokens["<Y>"] = rf"(?P<y>(?:1[5-9]|20)\d{{2}}|{_SPOKEN_YEAR}(?![\w-]|\s+(?-i:[a-z]+s)\b))"
        names = [n for n in spec["holidays"] if n[0] != "_"]
        tokens["<HOL>"] = "(?P<hol>" + _alt(names).replace("'", "['’]") + ")"
    if lang in ("ru", "az"):
        tokens["<PUNIT>"] = f"(?P<punit>{_alt(spec['period_units'])})"
        tokens["<YW>"] = f"(?:{_alt(spec['year_words'])})"
    if lang == "ru":
        tokens["<CUE>"] = f"(?P<cue>{_alt(spec['duration_cues'])})"
    if lang in ("en", "ru"):
        tokens["<DECW>"] = _alt(spec["decade_words"])
    if lang in ("ru", "az"):
        tokens["<RATEU>"] = f"(?P<unit>{_alt(spec['rate_units'])})"
        tokens["<NUMW>"] = _alt(spec["numbers"])
    if lang == "az":
        tokens["<ORDS>"] = f"(?:{_alt(spec['ordinal_suffixes'])})"
        tokens["<DSUF>"] = f"(?:{_alt(spec['day_suffixes'])})"
        tokens["<USUF>"] = f"(?P<usuf>{_alt(s for s in spec['unit_suffixes'] if s)})"
        tokens["<CUE2>"] = f"(?P<cue2>{_alt(spec['duration_cues_after'])})"
    return tokens


def _expand(pattern: str, tokens: dict[str, str]) -> str:
    for key, value in tokens.items():
        pattern = pattern.replace(key, value)
    return pattern.replace("<B>", _B).replace("<E>", _E)


_CLOCK_12 = r"(?P<hh>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.m\.|[ap]m)(?!\w)"
# "at 2.46 billion guilders" is an amount: a scale word after the number rules out a time.
_CLOCK_24 = (
    r"(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?![\d:])"
    r"(?!\s*(?:billion|million|thousand|trillion|percent|%|points?|cents?|pence))"
)

# An hour with an optional minute, its half of the day said in words after or before it.
_CLOCK_H = r"(?P<hh>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?"
_CLOCK_DP = _CLOCK_H + r"\s+(?:o['’]clock\s+)?<CDP>"

_COMMON: list[tuple[str, str, _Handler]] = [
    (
        "iso",
        r"<B>(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
        r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?(?![\d])",
        _h_date,
    ),
    (
        "numeric",
        r"<B>(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<m>0?[1-9]|1[0-2])\.(?P<y>(?:19|20)\d{2})(?![\d])",
        _h_date,
    ),
]

_EN: list[tuple[str, str, _Handler]] = [
    (
        "dmy",
        r"<B>(?:<WD>,?\s+)?(?:the\s+)?<D>(?:st|nd|rd|th)?\s+(?:of\s+)?<MON>,?\s+<Y><E>",
        _h_date,
    ),
    ("mdy", r"<B>(?:<WD>,?\s+)?<MON>\s+<D>(?:st|nd|rd|th)?,?\s+<Y><E>", _h_date),
    ("md", r"<B>(?:<WD>,?\s+)?<MON>\s+<D>(?:st|nd|rd|th)?(?!\w|:\d|,\d|\.\d)", _h_date),
    # "April 24 and 25": the second day shares the first one's month (and year choice).
    (
        "md_and",
        r"<B>(?=\w+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:and|or|to|through)\s+\d)"
        r"<MON>\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:and|or|to|through)\s+"
        r"(?P<x><D>(?:st|nd|rd|th)?)(?!\w|:\d|,?\s*\d|\.\d|\s+(?:percent|%))",
        _h_date,
    ),
    (
        "week_of",
        r"<B>the\s+week\s+of\s+<MON>\s+<D>(?:st|nd|rd|th)?(?:,?\s+<Y>)?(?!\w|:\d|,\d|\.\d)",
        _h_week_of,
    ),
    ("dm", r"<B>(?:<WD>,?\s+)?(?:the\s+)?<D>(?:st|nd|rd|th)?\s+(?:of\s+)?<MON><E>", _h_date),
    ("my", r"<B>(?:<PART>[\s-]+(?:of\s+)?)?<MON>,?\s+(?:of\s+)?<Y><E>", _h_month),
    ("mon", r"<B>(?:<PART>[\s-]+(?:of\s+)?|<SHIFT>\s+)?<MON><E>", _h_month),
    ("mon_rel", r"<B><MON>\s+(?P<yshift>last|this|next)\s+year<E>", _h_month),
    (
        "decade",
        r"<B>(?:the\s+)?(?:<PART>[\s-]+)?(?P<dec>(?:1[5-9]|20)\d)0['’]?s<E>",
        _h_decade,
    ),
    ("decade2", r"<B>the\s+(?:<PART>[\s-]+)?['’](?P<dec2>\d)0s<E>", _h_decade),
    ("decade_word", r"<B>the\s+(?:<PART>[\s-]+)?(?P<decw><DECW>)<E>", _h_decade),
    (
        "century",
        r"<B>(?:the\s+)?(?:<PART>[\s-]+)?(?P<cent>\d{1,2})(?:st|nd|rd|th)[\s-]+century<E>",
        _h_century,
    ),
    (
        "year",
        r"<B>(?:<PART>[\s-]+(?:of\s+)?)?(?:(?:the\s+)?fiscal(?:\s+year)?\s+)?"
        r"(?P<y>(?:19|20)\d{2})(?![\w'’]|[-–]\d|%|,\d|\.\d)",
        _h_year,
    ),
    # Years before 1900 only after a preposition: a bare "1678" is more often an amount.
    (
        "year_old",
        r"<B>(?:in|since|from|until|by|before|after)\s+(?P<x>(?P<y>1[5-8]\d{2}))"
        r"(?![\w'’]|[-–]\d|%|,\d|\.\d)",
        _h_year,
    ),
    (
        "year_spoken",
        rf"<B>(?:(?:the\s+)?year\s+(?P<y>{_SPOKEN_2000})(?![\w-])|"
        rf"(?P<y2>{_SPOKEN_YEAR})(?![\w-]|\s+(?-i:[a-z]+s)\b))",
        _h_year,
    ),
    (
        "season",
        r"<B>(?:(?P<the>the)\s+)?(?:<PART>[\s-]+(?:of\s+)?)?(?:<SHIFT>\s+)?<SEASON>"
        r"(?:\s+(?:of\s+)?<Y>)?<E>",
        _h_season,
    ),
    (
        "quarter",
        r"<B>(?:the\s+)?(?:<SHIFT>\s+)?(?:fiscal\s+)?<ORD>[\s-]+(?:fiscal\s+)?quarter"
        r"(?:\s+(?:of\s+)?(?:fiscal\s+)?<Y>)?<E>",
        _h_quarter,
    ),
    (
        "quarter_ref",
        r"<B>(?:the\s+(?:(?:comparable|corresponding|same)\s+)?"
        r"(?:(?P<qref>latest|most\s+recent|year-ago|year-earlier|<Y>)\s+)?"
        r"|(?P<ys>this|last|next)\s+year['’]s\s+)(?:<ORD>[\s-]+)?(?:fiscal\s+)?"
        r"(?P<qword>quarter|period)"
        r"(?:\s+(?P<qago>a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year))?<E>",
        _h_quarter_ref,
    ),
    (
        "half",
        r"<B>(?:the\s+)?(?P<half>first|second|last|latter)\s+half\s+of\s+"
        r"(?:<Y>|(?P<ys>this|last|next)\s+year)<E>",
        _h_half,
    ),
    ("relday", r"<B>(?:(?P<part>early|late)\s+)?<REL>(?:\s+<DP>)?<E>", _h_relday),
    (
        "this_dp",
        r"<B>(?:(?:early|late|later|earlier)\s+)?(?P<dshift>this|last)\s+<DP><E>",
        _h_this_dp,
    ),
    ("weekday", r"<B>(?:<SHIFT>\s+)?<WD>(?:\s+<DP>)?<E>", _h_weekday),
    ("every_wd", r"<B>(?:every|each)\s+<WD>(?:\s+<DP>)?<E>", _h_every_weekday),
    ("every_mon", r"<B>(?:every|each)\s+<MON><E>", _h_every_month),
    (
        "period",
        r"<B>(?:<PART>[\s-]+(?:of\s+)?)?(?:(?P<the>the)\s+)?(?:(?:earlier|later)\s+)?"
        r"(?:<SHIFT>\s+)?(?:fiscal\s+)?(?P<unit>week|month|year|quarter|decade|century|weekend)<E>",
        _h_period,
    ),
    ("weekend", r"<B>the\s+weekend<E>", _h_weekend),
    ("year_end", r"<B>(?:(?:around|about)\s+)?year(?:-|\s+|['’]s\s+)end(?![\w-])", _h_year_end),
    (
        "that_period",
        r"<B>(?:(?:later|earlier)\s+)?(?:that|the\s+(?:(?P<tshift>following|previous|prior)|same))"
        r"\s+(?P<tunit>year|month)<E>",
        _h_that_period,
    ),
    (
        "holiday",
        # Holiday names are capitalised: the lookahead skips other words cheaply.
        r"<B>(?=(?-i:[A-Z])|(?:last|next|this|coming|past|previous|current)\s)"
        r"(?:<SHIFT>\s+)?<HOL>(?:\s+(?P<hwk>week|weekend))?(?:,?\s+(?:of\s+)?<Y>)?<E>",
        _h_holiday,
    ),
    (
        "the_year",
        r"<B>(?:for|of|in|during|throughout)\s+(?P<x>the\s+(?:full\s+|fiscal\s+)?year)"
        r"(?P<ended>\s+(?:ended|ending))?(?!\w|\s+(?:before|after|earlier|later|ago|two|"
        r"nineteen|\d))",
        _h_the_year,
    ),
    # "a week or so ago": the hedge after the unit makes it approximate.
    ("ago", r"<B>(?:<MOD>\s+)?<NUM>[\s-]+<UNIT>(?P<orso>\s+or\s+so)?\s+<AGO><E>", _h_ago),
    # "year-earlier profit", "the year-ago results": the adjective names the same period a
    # year back, so it reads like "a year earlier" (the quarter under discussion, if any).
    ("year_adj", r"<B>(?P<unit>year)-(?P<ago>earlier|ago)(?![\w-])", _h_ago),
    ("compound", r"<B>(?:<MOD>\s+)?(?:a\s+|the\s+)?<COMP><E>", _h_compound),
    (
        "duration",
        r"<B>(?:<MOD>\s+)?(?:(?P<the>the)\s+(?:(?:first|past|last|next|previous|coming|"
        r"following|final|initial)\s+)?|(?:past|last|next|previous)\s+)?<NUM>[\s-]+"
        # "two more weeks", "an additional year": the added stretch is still a duration.
        r"(?:(?:more|additional|further|extra)\s+)?<UNIT>(?![\w-])",
        _h_duration,
    ),
    # "a day-long meeting", "a decades-long battle", "a two-week-long strike".
    (
        "long_adj",
        # The lookahead fails fast on words without "long", so the number is tried rarely.
        r"<B>(?=\S*?long(?![\w-]))(?:<NUM>-)?"
        r"(?P<unit>minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries)"
        r"-?long(?![\w-])",
        _h_long_adj,
    ),
    (
        "vague_plural",
        r"<B>(?:for|in|over)\s+(?P<x>(?:(?:many|several)\s+)?"
        r"(?P<unit>years|months|weeks|days|decades|hours|centuries))<E>",
        _h_vague_plural,
    ),
    ("clock12", r"<B>(?P<x>(?:(?P<approx>around|about)\s+)?" + _CLOCK_12 + ")", _h_clock),
    # "at 4 in the morning", "by 10 at night": an hour of that half of the day.
    (
        "clock_dp",
        r"<B>(?:at|by|until|from|before|after|since|around|about)\s+(?P<x>" + _CLOCK_DP + ")<E>",
        _h_clock,
    ),
    # "high noon" is a figure of speech, not a time.
    (
        "clock_word",
        r"<B>(?<!high\s)(?P<cw>noon|midday|midnight|mid-?\s?(?:afternoon|morning))<E>",
        _h_clock_word,
    ),
    (
        "clock24",
        r"<B>(?:at|by|until|from|before|after|since)\s+(?P<x>(?:(?P<approx>around|about)\s+)?"
        + _CLOCK_24
        + ")",
        _h_clock,
    ),
]

_RU: list[tuple[str, str, _Handler]] = [
    ("ru_dm", r"<B><D>\s+<MON>(?:\s+<Y>(?:-?м|-?го)?(?:\s*<YW>)?)?(?![\w])", _h_date),
    (
        "ru_mon",
        r"<B>(?:в|во|с|со|до|к|по|от|из|на|после)\s+(?P<x>(?:<PART>\s+)?<MON>"
        r"(?:\s+<Y>(?:\s*<YW>)?)?)(?![\w])",
        _h_month,
    ),
    ("ru_part_mon", r"<B><PART>\s+<MON>(?:\s+<Y>(?:\s*<YW>)?)?(?![\w])", _h_month),
    ("ru_my", r"<B><MON>\s+<Y>(?:\s*<YW>)?(?![\w])", _h_month),
    ("ru_year", r"<B>(?:<PART>\s+)?<Y>(?:-?м|-?го)?\s*<YW>(?![\w])", _h_year),
    ("ru_year2", r"<B>(?:в|с|до|к|по|от)\s+(?P<x><Y>)(?![\w%.,-])", _h_year),
    (
        "ru_decade",
        r"<B>(?:<PART>\s+)?(?P<dec>(?:1[5-9]|20)\d)0-(?:х|е|ых|ые)(?:\s+(?:годах|годов|годы|гг\.))?(?![\w])",
        _h_decade,
    ),
    (
        "ru_decade2",
        r"<B>(?:<PART>\s+)?(?P<dec2>[1-9])0-(?:х|е)\s+(?:годах|годов|годы)<E>",
        _h_decade,
    ),
    (
        "ru_decade_word",
        r"<B>(?:<PART>\s+)?(?P<decw><DECW>)(?:\s+(?:годах|годов|годы|годами))?<E>",
        _h_decade,
    ),
    ("ru_season", r"<B>(?:<SHIFT>\s+)?<SEASON>(?:\s+<Y>(?:\s*<YW>)?)?(?![\w])", _h_season),
    ("ru_relday", r"<B><REL>(?:\s+<DP>)?<E>", _h_relday),
    ("ru_this_dp", r"<B>(?P<dshift><DPS>)\s+<DP><E>", _h_this_dp),
    ("ru_weekday", r"<B>(?:в|во)\s+(?P<x>(?:<SHIFT>\s+)?<WD>(?:\s+<DP>)?)<E>", _h_weekday),
    ("ru_weekday2", r"<B><SHIFT>\s+<WD><E>", _h_weekday),
    ("ru_every_wd", r"<B>кажд(?:ый|ую|ое|ая)\s+<WD>(?:\s+<DP>)?<E>", _h_every_weekday),
    ("ru_rate", r"<B>в\s+(?P<x><RATEU>)<E>", _h_rate),
    ("ru_period", r"<B>(?:<PART>\s+)?<SHIFT>\s+<PUNIT><E>", _h_period),
    ("ru_period2", r"<B><PART>\s+<PUNIT><E>", _h_period),
    ("ru_ago", r"<B>(?:<MOD>\s+)?(?:<NUM>\s+)?<UNIT>\s+<AGO><E>", _h_ago),
    ("ru_later", r"<B>(?P<ago>через)\s+(?P<x>(?:<NUM>\s+)?<UNIT>)<E>", _h_ago),
    ("ru_compound", r"<B>(?:<CUE>\s+)?(?P<x>(?:<MOD>\s+)?<COMP>)<E>", _h_compound),
    ("ru_duration", r"<B>(?:<CUE>\s+)?(?P<x>(?:<MOD>\s+)?<NUM>\s+<UNIT>)<E>", _h_duration),
    ("ru_clock", r"<B>(?:в|к|до|около|с|после)\s+(?P<x>" + _CLOCK_24 + ")", _h_clock),
    # "в 4 утра", "около 10 часов вечера", "в 2 часа ночи".
    (
        "ru_clock_dp",
        r"<B>(?:в|к|до|около|с|после)\s+(?P<x>" + _CLOCK_H + r"\s+(?:час(?:а|ов)?\s+)?<CDP>)<E>",
        _h_clock,
    ),
]

_AZ: list[tuple[str, str, _Handler]] = [
    ("az_md", r"<B>(?:<Y>-?<ORDS>\s+<YW>\s+)?<MON>\s+<D>(?:-?<DSUF>)?<E>", _h_date),
    (
        "az_dm",
        r"<B><D>(?:-?<DSUF>)?\s+<MON>(?:\s+<Y>(?:-?<ORDS>)?(?:\s+<YW>)?)?<E>",
        _h_date,
    ),
    (
        "az_ym",
        r"<B><Y>-?<ORDS>\s+<YW>\s+<MON>(?:\s+ay(?:ında|ı|ının|ın|da))?(?:\s+<PART>)?<E>",
        _h_month,
    ),
    ("az_mon", r"<B><MON>\s+(?:ay(?:ında|ı|ının|ın|da)|<PART>)<E>", _h_month),
    ("az_year", r"<B><Y>-?<ORDS>\s+<YW>(?:\s+<PART>)?<E>", _h_year),
    ("az_year2", r"<B><Y>-?(?:cü|ci|cı|cu)?\s+(?:il(?:də|dən|in|i)?)<E>", _h_year),
    # "90-cı illərdə", "1990-cı illərin sonunda": a decade (the years of the nineties).
    (
        "az_decade",
        r"<B>(?:(?P<dec>(?:1[5-9]|20)\d)|(?P<dec2>[1-9]))0-?<ORDS>\s+illər\w*(?:\s+<PART>)?<E>",
        _h_decade,
    ),
    ("az_season", r"<B>(?:<Y>-?<ORDS>\s+<YW>\s+|<SHIFT>\s+)<SEASON><E>", _h_season),
    ("az_relday", r"<B><REL>(?:\s+<DP>)?<E>", _h_relday),
    ("az_this_dp", r"<B>(?P<dshift><DPS>)\s+<DP><E>", _h_this_dp),
    ("az_weekday", r"<B>(?:<SHIFT>\s+)?<WD>(?:\s+(?P<gun>günü|gün))?<E>", _h_weekday),
    ("az_every_wd", r"<B>hər\s+<WD>(?:\s+(?P<gun>günü))?<E>", _h_every_weekday),
    ("az_rate", r"<B><RATEU>(?=\s+(?:\d|(?:<NUMW>)(?!\w)))", _h_rate),
    ("az_period", r"<B>(?:<SHIFT>\s+)?<PUNIT>(?:\s+<PART>)?<E>", _h_period),
    ("az_ago", r"<B>(?:<MOD>\s+)?<NUM>\s+<UNIT>\s+(?:bundan\s+)?<AGO><E>", _h_ago),
    ("az_compound", r"<B>(?:<MOD>\s+)?<COMP><E>", _h_compound),
    (
        "az_duration",
        r"<B>(?:(?P<cue>son)\s+)?(?P<x>(?:<MOD>\s+)?<NUM>\s+<UNIT><USUF>?(?:\s+<CUE2>)?)<E>",
        _h_duration,
    ),
    ("az_clock", r"<B>(?P<x>saat\s+" + _CLOCK_24 + r")(?:-?(?:da|də|dək|a|ə))?<E>", _h_clock),
    # "axşam saat 10-da", "səhər saat 4-də".
    (
        "az_clock_dp",
        r"<B>(?P<x><CDP>\s+saat\s+" + _CLOCK_H + r")(?:-?(?:da|də|dək|a|ə))?<E>",
        _h_clock,
    ),
]


@cache
def _rules(lang: str) -> tuple[_Rule, ...]:
    tokens = _tokens(lang)
    table = {"en": _EN, "ru": _RU, "az": _AZ}[lang]
    rules = _phrase_rules(lang)
    for name, pattern, handler in _COMMON + table:
        compiled = re.compile(_expand(pattern, tokens), re.I)
        rules.append(_Rule(name, compiled, handler, _cue_groups(lang, name)))
    return tuple(rules)


# --------------------------------------------------------------------------- API


def _parse_publication(publication: str | None) -> _dt.date | None:
    if not publication:
        return None
    try:
        return _dt.date.fromisoformat(publication[:10])
    except ValueError:
        return None


# Earnings news reports the months of the year so far beside the quarter.
_MONTHS_TO_DATE = frozenset({"P6M", "P9M"})

# "5 p.m. EST Nov. 9": a time-zone abbreviation may stand between the clock and the day.
_MERGE_GAP = re.compile(r"\s*(?:(?-i:[ECMP][SD]T|GMT|UTC)\s*)?(?:,\s*)?(?:at|on|в|saat)?\s*", re.I)


class TimeNormaliser:
    """Finds and normalises time expressions in one document, block by block in order."""

    def __init__(self, publication: str | None) -> None:
        self.pub = _parse_publication(publication)
        # The last calendar date written out in the text, for "that same day".
        self.last_day: _dt.date | None = None
        self.last_value: str | None = None
        # The last quarter named in the text, for "the quarter" and "a year ago".
        self.last_quarter: tuple[int, int] | None = None
        # The last year and month written out in the text, for "that year", "the following
        # month": (year, month or None).
        self.last_month: tuple[int, int | None] | None = None
        # Time words that are no date for us (bare "now", "сейчас", "indi"; see
        # "non_dates" in the lexicon), kept apart from what find() returns: the product
        # ignores them, while TimeML tags them (PRESENT_REF) and the TempEval-3 adapter
        # reports them. Offsets are document offsets, in the order found.
        self.non_dates: list[TimeExpr] = []
        # Whether the text last spoke of "the first nine months" (or six) rather than of a
        # quarter: then "a year earlier" compares with last year, not its quarter.
        self.months_focus = False

    def _nearest(self, month: int, day: int) -> _dt.date | None:
        """The month/day closest to the publication date: news about "Nov. 25" written
        in January means the November just past, not the one ten months ahead."""
        if self.pub is None:
            return None
        options = []
        for year in (self.pub.year - 1, self.pub.year, self.pub.year + 1):
            try:
                options.append(_dt.date(year, month, day))
            except ValueError:
                continue
        if not options:
            return None
        return min(options, key=lambda d: (abs((d - self.pub).days), d > self.pub))  # type: ignore[operator]

    def find(self, text: str, lang: str, offset: int = 0) -> list[TimeExpr]:
        lang = lang if lang in ("en", "ru", "az") else "en"
        candidates: list[tuple[int, int, int, _Rule, re.Match[str]]] = []
        folded = _Folded(text)
        for priority, rule in enumerate(_rules(lang)):
            if not rule.may_match(text, folded):
                continue
            for match in rule.pattern.finditer(text):
                start, end = match.span("x") if _g(match, "x") is not None else match.span()
                if end <= start:
                    continue
                # Validity does not depend on document state, so a dry run filters here.
                if rule.handler(self, match, lang) is None:
                    continue
                candidates.append((start, end, priority, rule, match))
        # Longest first, then the rule listed first; overlapping shorter ones lose.
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
        taken: list[tuple[int, int, int, _Rule, re.Match[str]]] = []
        for cand in candidates:
            if all(cand[1] <= t[0] or cand[0] >= t[1] for t in taken):
                taken.append(cand)
        taken.sort(key=lambda c: c[0])
        self._collect_non_dates(text, lang, offset, [(c[0], c[1]) for c in taken])
        found: list[TimeExpr] = []
        for start, end, _, rule, match in taken:
            val = rule.handler(self, match, lang)
            if val is None:
                continue
            if rule.name in _YEAR_CONTEXT and re.match(r"\d{4}", val.value):
                month = val.value[5:7]
                self.last_month = (int(val.value[:4]), int(month) if month.isdigit() else None)
            if rule.name in _EXPLICIT and val.precision in (
                TimePrecision.DAY,
                TimePrecision.MINUTE,
            ):
                self.last_value = val.value[:10]
                self.last_day = _parse_publication(val.value) if val.value[0] != "X" else None
            if (
                rule.name == "quarter"
                or (
                    # "the year-ago period" or "the 1988 period" looks back from the quarter
                    # under discussion; it does not replace it.
                    rule.name == "quarter_ref"
                    and not _norm(_g(match, "qref") or "").startswith("year")
                    and _year(match) is None
                )
            ) and re.fullmatch(r"\d{4}-Q[1-4]", val.value):
                self.last_quarter = (int(val.value[:4]), int(val.value[-1]))
                self.months_focus = False
            if val.type is TimexType.DURATION and val.value in _MONTHS_TO_DATE:
                self.months_focus = True
            found.append(
                TimeExpr(
                    start=start + offset,
                    end=end + offset,
                    text=text[start:end],
                    type=val.type,
                    value=val.value,
                    precision=val.precision,
                    anchor=val.anchor,
                    mod=val.mod,
                    interval=val.interval,
                    confidence=val.confidence,
                    cue=rule.name,
                    part_of_day=val.part,
                )
            )
        merged = _merge_day_offset(_merge_clock(found, text, offset), text, offset)
        return _merge_part_of_day(merged, text, offset, lang)

    def _collect_non_dates(
        self, text: str, lang: str, offset: int, taken: list[tuple[int, int]]
    ) -> None:
        """Record the non-date time words of ``text`` that no expression covers ("until
        now" is a reference of its own)."""
        pattern = _non_date_pattern(lang)
        if pattern is None:
            return
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if match.group()[0].isupper() and text[end : end + 1] == ",":
                continue  # "Now, he says, ...": a discourse marker opening the sentence
            self.non_dates.append(
                TimeExpr(
                    start=start + offset,
                    end=end + offset,
                    text=match.group(),
                    type=TimexType.DATE,
                    value=str(_lookup("non_dates", match.group())),
                    precision=TimePrecision.UNKNOWN,
                    anchor=Anchor.NONE,
                    confidence=0.5,
                    cue="non_date",
                )
            )


@cache
def _non_date_pattern(lang: str) -> re.Pattern[str] | None:
    words = [w for w in _lexicon()[lang].get("non_dates", {}) if w[0] != "_"]
    if not words:
        return None
    return re.compile(_B + f"(?:{_alt(words)})" + _E, re.I)


def _merge_clock(found: list[TimeExpr], text: str, offset: int) -> list[TimeExpr]:
    """ "June 27 at 14:20" / "10 p.m. Wednesday": one TIME on that day; "mid-afternoon
    yesterday": that day's afternoon."""
    out: list[TimeExpr] = []
    i = 0
    while i < len(found):
        cur = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and _MERGE_GAP.fullmatch(text[cur.end - offset : nxt.start - offset]):
            joined = _join_day(cur, nxt, text, offset)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
        out.append(cur)
        i += 1
    return _date_clocks(out, text, offset)


def _part_only(expr: TimeExpr) -> bool:
    """ "mid-afternoon" alone: a part of some day, dated by the publication at best."""
    return expr.cue == "clock_word" and bool(expr.part_of_day)


def _join_day(cur: TimeExpr, nxt: TimeExpr, text: str, offset: int) -> TimeExpr | None:
    """The day and the clock time (or part of day) next to it as one expression."""
    day, other = (nxt, cur) if _is_clock(cur) or _part_only(cur) else (cur, nxt)
    if not _is_day(day) or _part_only(day):
        return None
    if _is_clock(other):
        value = day.value + other.value[other.value.index("T") :]
        kind, precision, mod, part = TimexType.TIME, TimePrecision.MINUTE, other.mod, ""
    elif _part_only(other) and not day.part_of_day:
        kind, precision, mod, part = TimexType.DATE, TimePrecision.DAY, day.mod, other.part_of_day
        value = day.value
    else:
        return None
    return TimeExpr(
        start=cur.start,
        end=nxt.end,
        text=text[cur.start - offset : nxt.end - offset],
        type=kind,
        value=value,
        precision=precision,
        anchor=day.anchor,
        mod=mod,
        interval=day.interval,
        confidence=min(day.confidence, 1.0),
        cue=f"{day.cue}+{other.cue}",
        part_of_day=part,
    )


def _date_clocks(found: list[TimeExpr], text: str, offset: int) -> list[TimeExpr]:
    """A clock time that the next expression dates, though words between keep the two
    apart: "10:35 a.m. (0735 GMT) Friday", "9 a.m. local time Tuesday", "at 4 in the
    morning (4 a.m. EDT Thursday)"."""
    out = list(found)
    for i, (cur, nxt) in enumerate(pairwise(found)):
        if not _is_clock(cur):
            continue
        gap = text[cur.end - offset : nxt.start - offset]
        if (_is_day(nxt) and _CLOCK_DAY_GAP.fullmatch(gap)) or (
            _dated_clock(nxt) and re.fullmatch(r"\s*\(\s*", gap)
        ):
            out[i] = _on_day(cur, nxt)
    return out


_DAY_OFFSET = re.compile(r"(?i)(?:the\s+)?(?:day|night)\s+(?P<dir>before|after)$")


def _merge_day_offset(found: list[TimeExpr], text: str, offset: int) -> list[TimeExpr]:
    """ "the day before last Tuesday's hearing", "the day after March 3": one day, counted
    from the day that follows rather than from the last date in the text."""
    out: list[TimeExpr] = []
    i = 0
    while i < len(found):
        cur = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        rel = _DAY_OFFSET.search(cur.text) if cur.cue == "same_day" else None
        if (
            rel is not None
            and nxt is not None
            and _is_day(nxt)
            and re.fullmatch(r"\d{4}-\d\d-\d\d", nxt.value)
            and not text[cur.end - offset : nxt.start - offset].strip()
        ):
            shift = 1 if rel.group("dir").lower() == "after" else -1
            day = (_dt.date.fromisoformat(nxt.value) + _dt.timedelta(days=shift)).isoformat()
            out.append(
                TimeExpr(
                    start=cur.start,
                    end=nxt.end,
                    text=text[cur.start - offset : nxt.end - offset],
                    type=TimexType.DATE,
                    value=day,
                    precision=TimePrecision.DAY,
                    anchor=nxt.anchor,
                    interval=(day, day),
                    confidence=nxt.confidence,
                    cue=f"{cur.cue}+{nxt.cue}",
                )
            )
            i += 2
            continue
        out.append(cur)
        i += 1
    return out


@cache
def _day_part_links(lang: str) -> tuple[re.Pattern[str] | None, ...]:
    """Patterns for a part of day right before a day (ending where the day starts), right
    after it (starting where it ends), and for "the night before" a day ("в ночь на")."""
    spec = _lexicon()[lang]
    links = spec.get("day_part_links")
    if not links:
        return None, None, None
    dp = f"(?P<dp>{_alt(spec['day_parts'])})"
    before = after = night = None
    if links.get("before"):
        preps = links.get("prepositions", [])
        prep = rf"(?:(?:{_alt(preps)})\s+)?" if preps else ""
        before = re.compile(rf"{_B}{dp}\s+{prep}$", re.I)
    if links.get("after"):
        suffix = f"(?:{_alt(links['suffixes'])})?" if links.get("suffixes") else ""
        words = links.get("after_words", [])
        tail = rf"(?:\s+(?:{_alt(words)}))?" if words else ""
        after = re.compile(rf"\s+{dp}{suffix}{tail}{_E}", re.I)
    if links.get("night_before"):
        night = re.compile(rf"{_B}(?:{_alt(links['night_before'])})\s+$", re.I)
    return before, after, night


def _merge_part_of_day(found: list[TimeExpr], text: str, offset: int, lang: str) -> list[TimeExpr]:
    """ "вечером 27 июня", "27 июня вечером", "30 iyun gecəsi": that day, with the part of
    it kept (part_of_day EV; TimeML writes 2025-06-27TEV); "в ночь на 28 июня" is the
    night of the 27th. A day whose year is unknown keeps it unknown."""
    before, after, night = _day_part_links(lang)
    if before is None and after is None and night is None:
        return found
    out: list[TimeExpr] = []
    for i, cur in enumerate(found):
        if not _is_day(cur) or cur.part_of_day:
            out.append(cur)
            continue
        floor = out[-1].end - offset if out else 0
        ceiling = found[i + 1].start - offset if i + 1 < len(found) else len(text)
        start, end = cur.start - offset, cur.end - offset
        window = text[max(floor, start - 30) : start]
        code: str | None = None
        shift = 0
        if night is not None and (hit := night.search(window)) is not None:
            code, shift, start = "NI", -1, start - (len(window) - hit.start())
        elif before is not None and (hit := before.search(window)) is not None:
            code, start = _lookup("day_parts", hit.group("dp")), start - (len(window) - hit.start())
        elif after is not None and (hit := after.match(text, end, ceiling)) is not None:
            code, end = _lookup("day_parts", hit.group("dp")), hit.end()
        if not code:
            out.append(cur)
            continue
        day = cur.value
        if shift:
            if not re.fullmatch(r"\d{4}-\d\d-\d\d", day):
                out.append(cur)
                continue
            day = (_dt.date.fromisoformat(day) + _dt.timedelta(days=shift)).isoformat()
        out.append(
            TimeExpr(
                start=start + offset,
                end=end + offset,
                text=text[start:end],
                type=TimexType.DATE,
                value=day,
                precision=TimePrecision.DAY,
                anchor=cur.anchor,
                mod=cur.mod,
                interval=(day, day) if day[0].isdigit() else None,
                confidence=cur.confidence,
                cue=f"{cur.cue}+dp",
                part_of_day=code,
            )
        )
    return out


# A conversion or a zone between a clock time and its day: "(0735 GMT)", "local time".
_CLOCK_DAY_GAP = re.compile(
    r"\s*(?:\([^()\n]{1,24}\)|local\s+time|по\s+местному\s+времени|yerli\s+vaxtla)\s*,?\s*"
    r"(?:on\s+)?",
    re.I,
)


def _is_clock(expr: TimeExpr) -> bool:
    return expr.type == TimexType.TIME and expr.cue.startswith(("clock", "ru_clock", "az_clock"))


def _is_day(expr: TimeExpr) -> bool:
    return expr.type == TimexType.DATE and expr.precision == TimePrecision.DAY


def _dated_clock(expr: TimeExpr) -> bool:
    return expr.type == TimexType.TIME and re.match(r"\d{4}-\d\d-\d\dT\d", expr.value) is not None


def _on_day(clock: TimeExpr, day: TimeExpr) -> TimeExpr:
    """The clock time on ``day``'s date, its extent unchanged."""
    return TimeExpr(
        start=clock.start,
        end=clock.end,
        text=clock.text,
        type=TimexType.TIME,
        value=day.value.split("T")[0] + clock.value[clock.value.index("T") :],
        precision=clock.precision,
        anchor=day.anchor,
        mod=clock.mod,
        interval=day.interval,
        confidence=min(day.confidence, clock.confidence),
        cue=f"{clock.cue}@{day.cue}",
    )
