"""Word-list entries shared by the cue matchers (quantities, modality, attribution).

An entry is a tuple of (word, is_prefix) pairs; a phrase ending in "*" makes its last
word a prefix ("arrest*"). Multi-word entries match consecutive tokens.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any, Protocol

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


class _Lowered(Protocol):
    @property
    def low(self) -> str: ...


@functools.lru_cache(maxsize=512)
def _by_first_word(
    entries: tuple[Entry, ...],
) -> tuple[dict[str, tuple[tuple[int, Entry], ...]], tuple[tuple[int, Entry], ...]]:
    """Entries indexed by their exact first word, and those whose first word is a
    prefix, each with its rank in ``entries``."""
    exact: dict[str, list[tuple[int, Entry]]] = {}
    prefixed: list[tuple[int, Entry]] = []
    for rank, entry in enumerate(entries):
        word, prefix = entry[0]
        if prefix:
            prefixed.append((rank, entry))
        else:
            exact.setdefault(word, []).append((rank, entry))
    return {w: tuple(es) for w, es in exact.items()}, tuple(prefixed)


# Indexes by the identity of the entry tuple: the cue lists are built once and kept, and
# hashing a long tuple of tuples on every token (as the lru_cache key does) cost more
# than the lookup itself. The tuple is kept with its index, so an id is never reused
# while its entry is here.
_INDEXES: dict[
    int,
    tuple[
        tuple[Entry, ...],
        tuple[dict[str, tuple[tuple[int, Entry], ...]], tuple[tuple[int, Entry], ...]],
    ],
] = {}
_MAX_INDEXES = 1024


def _index(
    entries: tuple[Entry, ...],
) -> tuple[dict[str, tuple[tuple[int, Entry], ...]], tuple[tuple[int, Entry], ...]]:
    hit = _INDEXES.get(id(entries))
    if hit is not None and hit[0] is entries:
        return hit[1]
    index = _by_first_word(entries)
    if len(_INDEXES) >= _MAX_INDEXES:
        _INDEXES.clear()
    _INDEXES[id(entries)] = (entries, index)
    return index


def entry_at(entries: tuple[Entry, ...], toks: Sequence[_Lowered], i: int) -> Entry | None:
    """The first of ``entries`` (longest first, as ``entries()`` makes them) whose words
    match the tokens from ``i`` on; only entries that can start at token ``i`` are tried,
    so a long cue list costs a dictionary lookup per token."""
    if i >= len(toks):
        return None
    exact, prefixed = _index(entries)
    low = toks[i].low
    candidates = exact.get(low, ())
    if prefixed:
        more = [c for c in prefixed if low.startswith(c[1][0][0])]
        if more:
            candidates = tuple(sorted([*candidates, *more], key=lambda c: c[0]))
    for _, entry in candidates:
        if i + len(entry) <= len(toks) and all(
            toks[i + k].low.startswith(w) if p else toks[i + k].low == w
            for k, (w, p) in enumerate(entry)
        ):
            return entry
    return None


def match_at(entries: tuple[Entry, ...], toks: Sequence[_Lowered], i: int) -> int:
    """Number of tokens the matching entry at ``i`` covers (0 = none)."""
    entry = entry_at(entries, toks, i)
    return len(entry) if entry is not None else 0


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
