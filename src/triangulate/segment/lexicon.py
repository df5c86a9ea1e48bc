"""The segmenter's word lists, loaded from ``data/segment_lexicon.json``.

Lists are data so a new outlet's widget words or a new language are an edit to the JSON,
not to the rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _alternation(words: list[str]) -> str:
    # Longest first so "posted by" wins over "by".
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    byline: re.Pattern[str]
    credit: re.Pattern[str]
    credit_agency: re.Pattern[str]
    related_prefix: re.Pattern[str]
    photo_word: re.Pattern[str]
    comment_counter: re.Pattern[str]
    comments_heading: frozenset[str]
    comment_author: re.Pattern[str]
    closed_notice: frozenset[str]
    sources_count: re.Pattern[str]
    widget_words: frozenset[str]
    language_switch: re.Pattern[str]
    domain: re.Pattern[str]
    site_suffix: re.Pattern[str]
    tlds: frozenset[str]


@cache
def load_lexicon() -> Lexicon:
    raw = json.loads(
        resources.files("triangulate.data").joinpath("segment_lexicon.json").read_text("utf-8")
    )
    tlds = _alternation(raw["tlds"])
    domain = rf"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:{tlds})/?"
    codes = _alternation([c.upper() for c in raw["language_switch_codes"]])
    # A name: up to six words, each starting with a letter or digit (forum handles such
    # as "1DarkStarryNight" start with a digit), joined by spaces, commas or "and".
    name = r"(?P<name>[\w@][\w.'’@-]*(?:(?:\s+|,\s*|\s+(?:and|и|və)\s+)[\w@][\w.'’@-]*){0,5})"
    return Lexicon(
        byline=re.compile(rf"(?i)^(?:{_alternation(raw['byline_prefixes'])})\s*:?\s+{name}$"),
        credit=re.compile(
            rf"(?i)^(?:{_alternation(raw['credit_prefixes'])})\s*(?::|—|–|-|by)\s*\S.{{0,80}}$"
        ),
        credit_agency=re.compile(
            rf"^(?:©\s*)?(?:{_alternation(raw['credit_agencies'])})(?:\s*[/|,]\s*\S+){{0,3}}$"
        ),
        related_prefix=re.compile(
            rf"(?i)^(?:{_alternation(raw['related_prefixes'])})\s*(?::|—|–|-|\.)\s*\S"
        ),
        photo_word=re.compile(rf"(?i)(?<!\w)(?:{_alternation(raw['photo_words'])})(?!\w)"),
        comment_counter=re.compile(
            rf"(?i)^(?:\d+\s*(?:{_alternation(raw['comment_counter_words'])})|"
            rf"(?:{_alternation(raw['comment_counter_words'])})\s*[:(]?\s*\d+\)?)$"
        ),
        comments_heading=frozenset(w.lower() for w in raw["comments_headings"]),
        comment_author=re.compile(
            rf"(?i)^(?P<author>\S.{{0,40}}?)\s+(?:{_alternation(raw['comment_author_verbs'])})\s*:?$"
        ),
        closed_notice=frozenset(w.lower() for w in raw["closed_notices"]),
        sources_count=re.compile(rf"(?i)^\d+\s*(?:{_alternation(raw['sources_count_words'])})$"),
        widget_words=frozenset(w.lower() for w in raw["widget_words"]),
        language_switch=re.compile(rf"^(?:{codes})(?:\s*[|/·•,]?\s*(?:{codes}))*$"),
        domain=re.compile(rf"(?i)^{domain}$"),
        site_suffix=re.compile(rf"(?i)\s[-–—|]\s*(?P<site>[\w][\w .-]{{0,40}}\.(?:{tlds}))\s*$"),
        tlds=frozenset(t.lower() for t in raw["tlds"]),
    )
