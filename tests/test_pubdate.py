from __future__ import annotations

import pytest

from triangulate.ingest.pubdate import dateline_date, month_number, url_date


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("30.06.2025 14:20", "2025-06-30T14:20"),
        ("June 30, 2025", "2025-06-30"),
        ("Updated: 1 July 2025 at 09:05 GMT", "2025-07-01T09:05"),
        ("30 июня 2025 года, 12:00", "2025-06-30T12:00"),
        ("Опубликовано: 2 июля 2025", "2025-07-02"),
        ("1 iyul 2025, 19:05", "2025-07-01T19:05"),
        ("2025-06-27", "2025-06-27"),
        ("Fri, 27 June 2025", "2025-06-27"),
    ],
)
def test_datelines(line: str, value: str) -> None:
    found = dateline_date(line)
    assert found is not None and found.value == value and found.method.value == "text"


@pytest.mark.parametrize(
    "line",
    [
        "June 30",  # no year: never borrowed from elsewhere
        "On 30 June 2025 police raided the office of the agency and detained two of its editors.",
        "31.02.2025",  # impossible day
        "May the best team win 2025",
    ],
)
def test_not_datelines(line: str) -> None:
    assert dateline_date(line) is None


def test_month_forms() -> None:
    assert month_number("июня") == 6 and month_number("мая") == 5 and month_number("марта") == 3
    assert month_number("iyunun") == 6 and month_number("iyulda") == 7
    assert month_number("Sept.") == 9
    assert month_number("маршал") is None and month_number("mayor") is None


def test_url_dates() -> None:
    d = url_date("https://x.example/world/2025/06/30/raid-story")
    assert d is not None and d.value == "2025-06-30" and d.method.value == "url"
    assert url_date("https://x.example/news/20250701-raid").value == "2025-07-01"  # type: ignore[union-attr]
    month = url_date("https://x.example/2025/07/story")
    assert month is not None and month.value == "2025-07" and month.precision.value == "month"  # type: ignore[union-attr]
    assert url_date("https://x.example/2025/13/40/x") is None
    assert url_date(None) is None
