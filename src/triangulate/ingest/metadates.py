"""Dates from metadata fields (JSON records, feeds, HTTP/WARC headers).

Metadata dates come in a handful of machine formats; this parses those and nothing
fuzzier (dates in running text are another stage's job). The precision reported is what
the value actually states: a missing day or month is never filled in, and a missing time
never becomes midnight.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, timedelta, timezone

from ..records import DateMethod, Precision, PublishedDate

__all__ = ["parse_metadata_date"]

# Years outside this range in a metadata field are placeholders or bugs (0001-01-01,
# 9999-12-31, epoch arithmetic gone wrong), not publication dates.
_MIN_YEAR = 1800
_MAX_YEAR = 2200

_ISO_RE = re.compile(
    r"""
    (?P<year>\d{4})
    (?: (?P<sep>[-/]) (?P<month>\d{2})
        (?: (?P=sep) (?P<day>\d{2})
            (?: (?:T|\s+) (?P<hour>\d{2}) : (?P<minute>\d{2})
                (?: : (?P<second>\d{2}) (?: [.,]\d+ )? )?
                \s* (?P<zone> Z | UTC | GMT | [+-]\d{2}(?::?\d{2})? )?
            )?
        )?
    )?
    """,
    re.VERBOSE | re.IGNORECASE,
)

_DOTTED_RE = re.compile(
    r"""
    (?P<day>\d{1,2}) \. (?P<month>\d{1,2}) \. (?P<year>\d{4})
    (?: ,?\s+ (?P<hour>\d{1,2}) : (?P<minute>\d{2}) (?: : (?P<second>\d{2}) )? )?
    """,
    re.VERBOSE,
)

# RFC 822/2822: "Mon, 30 Jun 2025 14:20:00 +0400" (weekday, seconds and zone optional).
_RFC822_RE = re.compile(
    r"""
    (?: [A-Za-z]{3} ,? \s+ )?
    \d{1,2} \s+ [A-Za-z]{3} \s+ \d{2,4}
    (?P<time> \s+ \d{1,2} : \d{2} (?P<seconds> : \d{2} )?
        (?: \s+ (?P<zone> \S+ ) )?
    )?
    """,
    re.VERBOSE,
)


def _zone(text: str | None) -> timezone | None:
    """Parse "Z", "UTC", "+04:00", "+0400", "+04"; None for no zone. Raises ValueError
    for an impossible offset."""
    if text is None:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"bad UTC offset {text!r}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _datetime_value(
    year: int,
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int | None,
    tz: timezone | None,
) -> tuple[str, Precision]:
    stamp = datetime(year, month, day, hour, minute, second or 0, tzinfo=tz)
    if second is None:
        return stamp.isoformat(timespec="minutes"), Precision.MINUTE
    return stamp.isoformat(timespec="seconds"), Precision.SECOND


def _from_parts(
    year: str,
    month: str | None,
    day: str | None,
    hour: str | None,
    minute: str | None,
    second: str | None,
    zone: str | None,
) -> tuple[str, Precision]:
    """Build (ISO value, precision) from matched parts; ValueError for impossible ones."""
    y = int(year)
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        raise ValueError(f"implausible year {y}")
    if month is None:
        return f"{y:04d}", Precision.YEAR
    m = int(month)
    if not 1 <= m <= 12:
        raise ValueError(f"bad month {m}")
    if day is None:
        return f"{y:04d}-{m:02d}", Precision.MONTH
    d = int(day)
    if hour is None or minute is None:
        return date(y, m, d).isoformat(), Precision.DAY
    return _datetime_value(
        y, m, d, int(hour), int(minute), None if second is None else int(second), _zone(zone)
    )


def _parse_iso(value: str) -> tuple[str, Precision] | None:
    match = _ISO_RE.fullmatch(value)
    if not match:
        return None
    g = match.groupdict()
    return _from_parts(
        g["year"], g["month"], g["day"], g["hour"], g["minute"], g["second"], g["zone"]
    )


def _parse_dotted(value: str) -> tuple[str, Precision] | None:
    match = _DOTTED_RE.fullmatch(value)
    if not match:
        return None
    g = match.groupdict()
    return _from_parts(g["year"], g["month"], g["day"], g["hour"], g["minute"], g["second"], None)


def _parse_rfc822(value: str) -> tuple[str, Precision] | None:
    match = _RFC822_RE.fullmatch(value)
    if not match:
        return None
    # parsedate_tz wants a time; a date-only value gets a dummy one, reported as DAY.
    parsed = email.utils.parsedate_tz(value if match.group("time") else value + " 00:00")
    if parsed is None:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"implausible year {year}")
    if not match.group("time"):
        return date(year, month, day).isoformat(), Precision.DAY
    offset = parsed[9]
    # RFC 2822 says "-0000" means "zone unknown"; that and a missing zone (which
    # parsedate_tz reports as offset 0) stay naive rather than pretend to be UTC.
    if match.group("zone") in (None, "-0000"):
        offset = None
    tz = None if offset is None else timezone(timedelta(seconds=offset))
    return _datetime_value(
        year, month, day, hour, minute, second if match.group("seconds") else None, tz
    )


_PARSERS = (_parse_iso, _parse_dotted, _parse_rfc822)


def parse_metadata_date(
    value: str, evidence: str, method: DateMethod = DateMethod.METADATA
) -> PublishedDate | None:
    """Parse a metadata date into a ``PublishedDate``; None when ``value`` is not a date.

    Accepts ISO 8601 dates and datetimes ("2025-06-30", "2025-06", "2025",
    "2025-06-30T14:20:00+04:00", "2025-06-30 14:20:00", "...Z"), RFC 822/2822
    ("Mon, 30 Jun 2025 14:20:00 +0400") and "30.06.2025" (optionally with a time).
    ``value`` of the result is ISO 8601 with the offset kept when one was given;
    precision is year, month, day, minute or second according to what was present.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    for parser in _PARSERS:
        try:
            parsed = parser(text)
        except (ValueError, OverflowError):
            return None  # the shape matched but the values are impossible: junk
        if parsed is not None:
            iso, precision = parsed
            return PublishedDate(iso, precision, method, evidence)
    return None
