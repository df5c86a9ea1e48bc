"""Modality of one event mention: asserted, reported, alleged, claimed, denied, negated,
hypothetical or a question. Rule-based over one sentence; cue lists live in
``data/modality_cues.json``.

Scoping rule (simple and documented rather than parsed):

1. A sentence ending in "?" is a QUESTION.
2. Local cues (negation, hypotheticals: "not", "не", "could", "ola bilər") govern only
   their own clause: they must sit in the trigger's clause (bounded by , ; : dashes and
   complementisers such as "that"/"что"/"ki") and at most ``_LOCAL_WINDOW`` tokens before
   the trigger; a few may follow it ("погибших нет", verb-final "həlak ola bilər"). Azerbaijani
   negative verb forms ("saxlanılmayıb") are read off the trigger word or the word after.
   The nearest local cue wins, because it is the innermost scope.
3. A sentence-initial "if" / "если" / "əgər" makes the whole sentence HYPOTHETICAL.
4. Frame cues (report, allegation, claim, denial) govern the whole sentence, wherever they
   sit ("..., police said"). A denial anywhere wins: the event is disputed whatever else
   frames it. Otherwise the frame cue nearest the trigger wins ("police said five were
   allegedly killed" -> ALLEGED).
5. No cue: ASSERTED with cue "".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import cuewords
from .cuewords import Entry, entries, lower
from .types import Modality

_TOKEN = re.compile(r"\w+(?:[-‑'’.]\w+)*|n't|[^\w\s]")
_BOUNDARY = frozenset(",;:()—–")
_LOCAL_WINDOW = 6  # tokens before the trigger a negation/hypothetical may sit
_LOCAL_AFTER_WINDOW = 3
_CLOSERS = "\"'»”’)] \t\n"


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str
    low: str


@dataclass(frozen=True)
class _Cues:
    local: tuple[tuple[Entry, Modality], ...]
    local_after: tuple[tuple[Entry, Modality], ...]
    frame: tuple[tuple[Entry, Modality], ...]
    initial: tuple[tuple[Entry, Modality], ...]
    not_cues: tuple[Entry, ...]
    clause_words: tuple[Entry, ...]
    negative_suffix: re.Pattern[str] | None


def _grouped(raw: dict[str, list[str]]) -> tuple[tuple[Entry, Modality], ...]:
    out = [(e, Modality(name)) for name, words in raw.items() for e in entries(words, _TOKEN)]
    out.sort(key=lambda em: len(em[0]), reverse=True)
    return tuple(out)


@cache
def _cues(lang: str) -> _Cues:
    raw = cuewords.load("modality_cues.json", lang)
    suffix = raw["negative_suffix"]
    return _Cues(
        local=_grouped(raw["local"]),
        local_after=_grouped(raw["local_after"]),
        frame=_grouped(raw["frame"]),
        initial=_grouped(raw["sentence_initial"]),
        not_cues=entries(raw["not_cues"], _TOKEN),
        clause_words=entries(raw["clause_words"], _TOKEN),
        negative_suffix=re.compile(suffix) if suffix else None,
    )


def _match(entry: Entry, toks: list[_Tok], i: int) -> bool:
    if i + len(entry) > len(toks):
        return False
    for k, (w, prefix) in enumerate(entry):
        low = toks[i + k].low
        if not (low.startswith(w) if prefix else low == w):
            return False
    return True


def _starts(entry: Entry, toks: list[_Tok], at: dict[str, list[int]]) -> list[int]:
    """Positions where ``entry`` matches; ``at`` indexes token positions by word, so an
    entry with an exact first word is checked only where that word occurs."""
    first, prefix = entry[0]
    starts = (
        [k for k, t in enumerate(toks) if t.low.startswith(first)] if prefix else at.get(first, [])
    )
    return [i for i in starts if _match(entry, toks, i)]


def _index(toks: list[_Tok]) -> dict[str, list[int]]:
    at: dict[str, list[int]] = {}
    for k, t in enumerate(toks):
        at.setdefault(t.low, []).append(k)
    return at


def _find(
    entries: tuple[tuple[Entry, Modality], ...], toks: list[_Tok], masked: set[int]
) -> list[tuple[int, int, Modality]]:
    """Every cue occurrence as (first token, end token, modality), longest entry first."""
    hits: list[tuple[int, int, Modality]] = []
    taken: set[int] = set()
    at = _index(toks)
    for entry, modality in entries:
        for i in _starts(entry, toks, at):
            span = range(i, i + len(entry))
            if not (set(span) & (masked | taken)):
                hits.append((i, i + len(entry), modality))
                taken.update(span)
    return hits


def sentence_modality(
    text: str, lang: str, trigger_start: int, trigger_end: int
) -> tuple[Modality, str]:
    """Modality of the event whose trigger spans ``text[trigger_start:trigger_end]``, and
    the cue text that decided it ("" when asserted)."""
    cues = _cues(lang)
    toks = [
        _Tok(m.start(), m.end(), m.group(), lower(m.group(), lang)) for m in _TOKEN.finditer(text)
    ]
    if text.rstrip(_CLOSERS).endswith("?"):
        return Modality.QUESTION, "?"
    inside = [k for k, t in enumerate(toks) if t.start < trigger_end and t.end > trigger_start]
    if not inside:
        return Modality.ASSERTED, ""
    t0, t1 = inside[0], inside[-1] + 1
    masked: set[int] = set()
    at = _index(toks)
    for entry in cues.not_cues:
        for i in _starts(entry, toks, at):
            masked.update(range(i, i + len(entry)))
    masked.update(range(t0, t1))  # the trigger is never its own cue

    def cue_text(i: int, j: int) -> str:
        return text[toks[i].start : toks[j - 1].end]

    # Clause edges for the local scope.
    edges = {k for k, t in enumerate(toks) if t.text in _BOUNDARY}
    for entry in cues.clause_words:
        edges.update(_starts(entry, toks, at))
    left = max((e for e in edges if e < t0), default=-1)
    right = min((e for e in edges if e >= t1), default=len(toks))

    local: list[tuple[int, str, Modality]] = []
    for i, j, modality in _find(cues.local, toks, masked):
        if left < i and j <= t0 and t0 - j < _LOCAL_WINDOW:
            local.append((t0 - j, cue_text(i, j), modality))
    for i, j, modality in _find(cues.local_after, toks, masked):
        if t1 <= i and j <= right and i - t1 < _LOCAL_AFTER_WINDOW:
            local.append((i - t1, cue_text(i, j), modality))
    if cues.negative_suffix is not None:
        for k in range(t0, min(t1 + 1, len(toks))):
            if k < right and cues.negative_suffix.search(toks[k].low):
                local.append((0, toks[k].text, Modality.NEGATED))
    if local:
        _, cue, modality = min(local, key=lambda c: c[0])
        return modality, cue

    for entry, modality in cues.initial:
        first = next((k for k, t in enumerate(toks) if t.text[0].isalnum()), None)
        if first is not None and _match(entry, toks, first):
            return modality, cue_text(first, first + len(entry))

    # A hedge adverb ("allegedly", "якобы") after the trigger's clause hedges that later
    # clause ("Nine were detained, with some allegedly beaten"), not this event; a
    # reporting verb there still frames the whole sentence ("..., police said").
    frames = [
        f
        for f in _find(cues.frame, toks, masked)
        if not (f[2] is Modality.ALLEGED and f[0] >= right)
    ]
    denials = [f for f in frames if f[2] is Modality.DENIED]
    pool = denials or frames
    if not pool:
        return Modality.ASSERTED, ""

    def distance(hit: tuple[int, int, Modality]) -> int:
        i, j, _ = hit
        return t0 - j if j <= t0 else i - t1

    i, j, modality = min(pool, key=distance)
    return modality, cue_text(i, j)
