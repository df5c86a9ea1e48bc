"""Word-list entries shared by the cue matchers (quantities, modality, attribution).

An entry is a tuple of (word, is_prefix) pairs; a phrase ending in "*" makes its last
word a prefix ("arrest*"). Multi-word entries match consecutive tokens.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

Entry = tuple[tuple[str, bool], ...]


def lower(text: str, lang: str) -> str:
    """Lower case that keeps length, so offsets stay valid: Azerbaijani dotted/dotless I
    lower as i/ı (Python's "İ".lower() is two characters, and "I" would become "i")."""
    if lang == "az":
        text = text.replace("I", "ı")
    return text.replace("İ", "i").lower()


def entries(words: list[str], token: re.Pattern[str]) -> tuple[Entry, ...]:
    """Entries for ``words``, split into tokens as the matcher splits text, longest first
    so "taken into custody" wins over "in custody"."""
    out = []
    for phrase in words:
        star = phrase.endswith("*")
        parts = [p for p in token.findall(phrase.lower()) if p != "*"]
        if parts:
            out.append(tuple((p, star and k == len(parts) - 1) for k, p in enumerate(parts)))
    return tuple(sorted(out, key=len, reverse=True))


LANGS = ("en", "ru", "az")


def load(file_name: str, lang: str) -> dict[str, Any]:
    """One language's section of a cue-word data file; ValueError for a language the
    matchers have no words for."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
    data: dict[str, Any] = json.loads(
        resources.files("triangulate.data").joinpath(file_name).read_text("utf-8")
    )
    return dict(data[lang])
