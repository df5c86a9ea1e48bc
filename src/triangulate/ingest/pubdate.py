"""Publication dates found in a document's own text (a dateline) or in its URL.

Only complete calendar dates with a year count as a publication date here: a line such as
"June 30" without a year says nothing reliable about when the page was published, and we
never borrow a year from anywhere else (later stages may infer one, marked as inferred).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..records import DateMethod, Precision, PublishedDate


@dataclass(frozen=True, slots=True)
class MonthTable:
    stems: dict[str, int]  # stem -> month number
    endings: dict[str, frozenset[str]]  # stem -> endings allowed after it


@cache
def month_table() -> MonthTable:
    raw = json.loads(resources.files("triangulate.data").joinpath("months.json").read_text("utf-8"))
    stems: dict[str, int] = {}
    endings: dict[str, frozenset[str]] = {}
    for lang, spec in raw.items():
        if lang.startswith("_"):
            continue
        allowed = frozenset(spec["endings"])
        for number, group in enumerate(spec["stems"], start=1):
            for stem in group:
                stems[stem] = number
                endings[stem] = endings.get(stem, frozenset()) | allowed
    return MonthTable(stems, endings)


def month_number(token: str) -> int | None:
    """The month a word names in en/ru/az, inflected forms included ("июня", "iyunun")."""
    word = token.lower().rstrip(",")
    table = month_table()
    # Longest stem first so "март" wins over "мар" and "ма".
    for cut in range(len(word), 1, -1):
        stem = word[:cut]
        month = table.stems.get(stem)
        if month is not None and word[cut:] in table.endings[stem]:
            return month
    return None


_TIME = r"(?:[ ,T|]+(?:at\s+|в\s+|saat\s+|-\s+)?(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?(?!\d))?"
_WORD = r"(?P<mon>[^\W\d_]{3,12}\.?)"
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?P<y>(?:19|20)\d{2})-(?P<m>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01])(?!\d)" + _TIME
    ),
    re.compile(
        r"(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<m>0?[1-9]|1[0-2])\.(?P<y>(?:19|20)\d{2})" + _TIME
    ),
    re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})" + _TIME),
    # 30 June 2025 / 30 июня 2025 года / 30 iyun 2025
    re.compile(
        r"(?<!\d)(?P<d>0?[1-9]|[12]\d|3[01])(?:-?(?:[a-zəıöüğşç]{1,3}))?\s+" + _WORD + r",?\s+"
        r"(?P<y>(?:19|20)\d{2})(?:\s*(?:года|г\.|-?ci il|-ci|il))?" + _TIME
    ),
    # June 30, 2025
    re.compile(
        _WORD
        + r"\s+(?P<d>0?[1-9]|[12]\d|3[01])(?!\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})"
        + _TIME
    ),
)

# Words that may surround a dateline without making it a sentence.
_DATELINE_FILLER = re.compile(
    r"(?i)\b(?:published|posted|updated|last updated|modified|on|at|"
    r"опубликовано|обновлено|изменено|дата|в|"
    r"dərc olunub|yenilənib|tarix|"
    r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"bazar ertəsi|çərşənbə axşamı|çərşənbə|cümə axşamı|cümə|şənbə|bazar|"
    r"utc|gmt|msk|мск|azt|bakı vaxtı|по москве)\b"
)


def _build(y: int, m: int, d: int, match: re.Match[str]) -> tuple[str, Precision] | None:
    try:
        _dt.date(y, m, d)
    except ValueError:
        return None
    value = f"{y:04d}-{m:02d}-{d:02d}"
    hh = match.groupdict().get("hh")
    if hh is not None:
        value += f"T{int(hh):02d}:{match.group('mi')}"
        ss = match.groupdict().get("ss")
        if ss is not None:
            return value + f":{ss}", Precision.SECOND
        return value, Precision.MINUTE
    return value, Precision.DAY


def find_date(text: str) -> tuple[str, Precision, re.Match[str]] | None:
    """The first complete date (with year) in ``text``."""
    best: tuple[str, Precision, re.Match[str]] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            y = int(groups["y"])
            if groups.get("mon") is not None:
                month = month_number(groups["mon"])
                if month is None:
                    continue
                m, d = month, int(groups["d"])
            elif groups.get("a") is not None:
                a, b = int(groups["a"]), int(groups["b"])
                # Slashed dates are ambiguous between d/m and m/d; only an impossible
                # month settles it, otherwise read the European order and say so below.
                m, d = (b, a) if a > 12 or b <= 12 else (a, b)
            else:
                m, d = int(groups["m"]), int(groups["d"])
            built = _build(y, m, d, match)
            if built is None:
                continue
            if best is None or match.start() < best[2].start():
                best = (built[0], built[1], match)
            break
    return best


def dateline_date(line: str) -> PublishedDate | None:
    """A publication date when ``line`` is a dateline: a date and little else."""
    found = find_date(line)
    if found is None:
        return None
    value, precision, match = found
    rest = line[: match.start()] + " " + line[match.end() :]
    rest = _DATELINE_FILLER.sub(" ", rest)
    words = re.findall(r"[^\W\d_]{2,}", rest)
    if len(words) > 3:
        return None
    return PublishedDate(value, precision, DateMethod.TEXT, f"dateline {line.strip()[:60]!r}")


_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|-|_|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/")


def url_date(url: str | None) -> PublishedDate | None:
    """A date written in a URL path (/2025/06/30/, /20250630-, /2025/06/)."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    for pattern in (_URL_DAY, _URL_COMPACT):
        match = pattern.search(path)
        if match:
            y, m, d = (int(g) for g in match.groups())
            try:
                _dt.date(y, m, d)
            except ValueError:
                continue
            return PublishedDate(
                f"{y:04d}-{m:02d}-{d:02d}",
                Precision.DAY,
                DateMethod.URL,
                f"URL path {match.group(0)}",
            )
    match = _URL_MONTH.search(path)
    if match:
        y, m = int(match.group(1)), int(match.group(2))
        return PublishedDate(
            f"{y:04d}-{m:02d}", Precision.MONTH, DateMethod.URL, f"URL path {match.group(0)}"
        )
    return None
