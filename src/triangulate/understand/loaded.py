"""Loaded language: the share of sentences that use a word which judges rather than
describes (data/loaded_language.json). A reading aid for the source page, not a
classifier: it says where to look, and the lexicon is small on purpose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import cuewords
from .cuewords import Entry

_TOKEN = re.compile(r"\w+(?:-\w+)*|\*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass(frozen=True, slots=True)
class _Word:
    low: str


@cache
def _entries(lang: str) -> tuple[Entry, ...]:
    raw = cuewords.load("loaded_language.json", lang if lang in cuewords.LANGS else "en")
    return cuewords.entries(list(raw["words"]), _TOKEN)


def loaded_sentences(text: str, lang: str) -> tuple[int, int]:
    """(sentences, sentences holding a loaded word) of ``text`` in ``lang``."""
    entries = _entries(lang)
    total = loaded = 0
    for sentence in _SENTENCE_END.split(text):
        words = [_Word(w) for w in _TOKEN.findall(cuewords.lower(sentence, lang))]
        if not words:
            continue
        total += 1
        if any(cuewords.entry_at(entries, words, i) is not None for i in range(len(words))):
            loaded += 1
    return total, loaded
