"""Who a sentence says is speaking: speaker, chain of sources, reporting verb, voice.

Rule-based over one sentence; cue lists live in ``data/reporting_verbs.json``. The cue
chosen is the leftmost one outside quotation marks: in news prose the first frame
("According to police, ...", "Eyewitnesses told E1.RU that ...") governs the rest.

* "according to X", "по данным X": the speaker follows the cue, up to the clause edge;
* "X said", "X заявил", "X bildirib": the speaker is the phrase before the verb in its
  clause; when the verb opens its clause ("..., said X", ", заявил X") it follows;
* "X told Y": Y, if it names someone (a capitalised name such as "E1.RU"), is the outer
  link: chain (Y, X);
* "X, citing Y", "X со ссылкой на Y", "X Y-yə istinadən": chain (X, Y), speaker Y (the
  innermost source is the one who says it);
* Voice.QUOTE when the sentence holds a quotation (three words or more) and the cue
  stands outside it; a bare quotation with no cue gives ``Attribution(None, voice=QUOTE)``.

``Attribution.start/end`` span the whole attribution phrase (speaker and cue). Speakers are
text, trimmed of determiners and (in Azerbaijani) of the case ending the cue requires;
linking them to entities is the caller's job. ``None`` means the author's own voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import cuewords
from .cuewords import Entry, lower
from .types import Attribution, Voice

_TOKEN = re.compile(r"\w+(?:[-‑'’.]\w+)*|[^\w\s]")
_BOUNDARY = frozenset(",;:.!?()—–")
_QUOTES = (("«", "»"), ("“", "”"), ("„", "“"), ('"', '"'))
_MAX_SPEAKER = 8  # tokens; a longer phrase is a clause, not a name
_MIN_QUOTE_WORDS = 3  # shorter quoted bits are scare quotes or titles, not speech


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str
    low: str
    edge: bool = False  # punctuation or part of a quotation: a speaker phrase stops here


@dataclass(frozen=True)
class _Cues:
    forward: tuple[Entry, ...]
    genitive_before: tuple[Entry, ...]
    verbs: tuple[Entry, ...]
    told: tuple[Entry, ...]
    citing: tuple[Entry, ...]
    citing_before: bool
    complementizers: tuple[Entry, ...]
    stop_before: frozenset[str]
    strip: frozenset[str]
    genitive_suffixes: tuple[str, ...]
    dative_suffixes: tuple[str, ...]


@cache
def _cues(lang: str) -> _Cues:
    raw = cuewords.load("reporting_verbs.json", lang)
    return _Cues(
        forward=cuewords.entries(raw["forward"], _TOKEN),
        genitive_before=cuewords.entries(raw["genitive_before"], _TOKEN),
        verbs=cuewords.entries(raw["verbs"], _TOKEN),
        told=cuewords.entries(raw["told"], _TOKEN),
        citing=cuewords.entries(raw["citing"], _TOKEN),
        citing_before=bool(raw["citing_before"]),
        complementizers=cuewords.entries(raw["complementizers"], _TOKEN),
        stop_before=frozenset(raw["stop_before"]),
        strip=frozenset(raw["strip"]),
        genitive_suffixes=tuple(sorted(raw["genitive_suffixes"], key=len, reverse=True)),
        dative_suffixes=tuple(sorted(raw["dative_suffixes"], key=len, reverse=True)),
    )


def _quoted(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks holding at least a few words."""
    spans: list[tuple[int, int]] = []
    for open_q, close_q in _QUOTES:
        pos = 0
        while (a := text.find(open_q, pos)) != -1:
            b = text.find(close_q, a + 1)
            if b == -1:
                break
            if len(re.findall(r"\w+", text[a + 1 : b])) >= _MIN_QUOTE_WORDS:
                spans.append((a, b + 1))
            pos = b + 1
    return spans


@dataclass
class _Span:
    i: int  # token range [i, j)
    j: int


def _phrase_before(toks: list[_Tok], end: int, cues: _Cues) -> _Span | None:
    """The speaker phrase ending right before token ``end``, back to the clause edge."""
    k = end
    while k > 0 and not toks[k - 1].edge and toks[k - 1].low not in cues.stop_before:
        k -= 1
    return _trim(toks, _Span(k, end), cues, keep_tail=True)


def _phrase_after(
    toks: list[_Tok], start: int, cues: _Cues, *, stop_at_verbs: bool = True
) -> _Span | None:
    """The speaker phrase starting at token ``start``. After "according to" the phrase
    runs to the clause edge: "local reports" is a noun there, not a reporting verb."""
    k = start
    while (
        k < len(toks)
        and not toks[k].edge
        and not cuewords.match_at(cues.complementizers, toks, k)
        and not (stop_at_verbs and cuewords.match_at(cues.verbs, toks, k))
    ):
        k += 1
    return _trim(toks, _Span(start, k), cues, keep_tail=False)


def _opening_phrase(toks: list[_Tok], verb: int, cues: _Cues) -> _Span | None:
    """The words before the first comma of the sentence, when the verb at ``verb`` is
    reached only through a comma-bounded parenthetical."""
    first = next((k for k in range(verb) if toks[k].text == ","), None)
    if first is None or first == 0:
        return None
    if any(cuewords.match_at(cues.verbs, toks, k) for k in range(first)):
        return None  # the opening clause has its own verb: it is not a bare speaker
    return _trim(toks, _Span(0, first), cues, keep_tail=True)


def _trim(toks: list[_Tok], span: _Span, cues: _Cues, keep_tail: bool) -> _Span | None:
    i, j = span.i, span.j
    while i < j and toks[i].low in cues.strip:
        i += 1
    while j > i and toks[j - 1].low in cues.strip:
        j -= 1
    if j - i > _MAX_SPEAKER:
        # Too long for a name: keep the words nearest the cue.
        i, j = (j - _MAX_SPEAKER, j) if keep_tail else (i, i + _MAX_SPEAKER)
    return _Span(i, j) if j > i else None


def _text(text: str, toks: list[_Tok], span: _Span) -> str:
    return text[toks[span.i].start : toks[span.j - 1].end]


def _strip_suffix(word: str, suffixes: tuple[str, ...]) -> str:
    """Remove an Azerbaijani case ending: after an apostrophe/hyphen ("APA-nın") always,
    glued to the stem ("polisin") only when a stem of three letters or more remains."""
    for sep in ("-", "'", "’"):
        if sep in word:
            head, _, tail = word.rpartition(sep)
            if tail.lower() in suffixes:
                return head
    for suffix in suffixes:
        if word.lower().endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _speaker_text(
    text: str, toks: list[_Tok], span: _Span, suffixes: tuple[str, ...]
) -> tuple[str, int, int]:
    start, end = toks[span.i].start, toks[span.j - 1].end
    value = text[start:end]
    if suffixes:
        last = toks[span.j - 1].text
        value = value[: len(value) - len(last)] + _strip_suffix(last, suffixes)
    return value, start, end


def _name_in(text: str, toks: list[_Tok], span: _Span) -> str | None:
    """The last capitalised run in a recipient phrase ("the regional news outlet E1.RU")."""
    j = span.j
    while j > span.i and not toks[j - 1].text[:1].isupper():
        j -= 1
    i = j
    while i > span.i and toks[i - 1].text[:1].isupper():
        i -= 1
    return _text(text, toks, _Span(i, j)) if j > i else None


def find_attribution(text: str, lang: str) -> Attribution | None:
    """Speaker, chain, reporting verb and voice of one sentence; None in the author's voice."""
    cues = _cues(lang)
    quotes = _quoted(text)
    toks = [
        _Tok(
            m.start(),
            m.end(),
            m.group(),
            lower(m.group(), lang),
            m.group() in _BOUNDARY or any(a <= m.start() < b for a, b in quotes),
        )
        for m in _TOKEN.finditer(text)
    ]

    def outside(k: int) -> bool:
        return not any(a <= toks[k].start < b for a, b in quotes)

    voice = Voice.QUOTE if quotes else Voice.AUTHOR
    cue: tuple[str, int, int] | None = None  # (kind, i, j)
    for k in range(len(toks)):
        if not outside(k):
            continue
        for kind, entries in (
            ("forward", cues.forward),
            ("genitive", cues.genitive_before),
            ("verb", cues.verbs),
        ):
            n = cuewords.match_at(entries, toks, k)
            if n:
                cue = (kind, k, k + n)
                break
        if cue is not None:
            break

    citing: tuple[int, int] | None = None
    for k in range(len(toks)):
        n = cuewords.match_at(cues.citing, toks, k) if outside(k) else 0
        if n:
            citing = (k, k + n)
            break

    if cue is None and citing is None:
        return Attribution(None, voice=Voice.QUOTE) if quotes else None

    speaker: tuple[str, int, int] | None = None
    outer: str | None = None
    verb: str | None = None
    bounds: list[int] = []
    if cue is not None:
        kind, i, j = cue
        verb = text[toks[i].start : toks[j - 1].end]
        bounds += [toks[i].start, toks[j - 1].end]
        span: _Span | None
        if kind == "forward":
            span = _phrase_after(toks, j, cues, stop_at_verbs=False)
            suffixes: tuple[str, ...] = ()
        elif kind == "genitive":
            span = _phrase_before(toks, i, cues)
            suffixes = cues.genitive_suffixes
        else:
            before = _phrase_before(toks, i, cues)
            if before is not None and citing is not None and before.i <= citing[0] < before.j:
                # "РИА Новости со ссылкой на источник сообщает": the citer precedes the cue.
                cut = citing[0] - 1 if cues.citing_before else citing[0]
                before = _trim(toks, _Span(before.i, cut), cues, keep_tail=True)
            span = before if before is not None else _phrase_after(toks, j, cues)
            if span is None and i > 1 and toks[i - 1].text == ",":
                # "A source close to the inquiry, ..., claims that": no speaker right
                # before or after the verb; the speaker opens the sentence and a
                # parenthetical separates it from its verb.
                before = span = _opening_phrase(toks, i, cues)
            suffixes = ()
            if cuewords.match_at(cues.told, toks, i) and before is not None:
                recipient = _phrase_after(toks, j, cues)
                if recipient is not None:
                    outer = _name_in(text, toks, recipient)
                    bounds.append(toks[recipient.j - 1].end)
        if span is not None:
            speaker = _speaker_text(text, toks, span, suffixes)
    if citing is not None:
        a, b = citing
        if cues.citing_before:
            cited_span = _Span(a - 1, a) if a > 0 and not toks[a - 1].edge else None
            citer = _phrase_before(toks, a - 1, cues) if cited_span is not None else None
            cited_suffixes = cues.dative_suffixes
        else:
            cited_span = _phrase_after(toks, b, cues)
            k = a - 1 if a > 0 and toks[a - 1].text == "," else a
            citer = _phrase_before(toks, k, cues)
            cited_suffixes = ()
        if cited_span is not None:
            cited = _speaker_text(text, toks, cited_span, cited_suffixes)
            # The citer is the speaker the verb found ("E1.RU reported, citing ..."), or,
            # when the verb found none or only the cited source itself, the phrase
            # before the citing cue ("Interfax, citing a police source, reported").
            citer_text: tuple[str, int, int] | None = speaker
            if citer_text is None or citer_text[0] == cited[0]:
                citer_text = _speaker_text(text, toks, citer, ()) if citer is not None else None
            if citer_text is not None:
                outer = citer_text[0]
                bounds += [citer_text[1], citer_text[2]]
            speaker = cited
            verb = verb or text[toks[a].start : toks[b - 1].end]
            bounds += [toks[a].start, cited[2]]
    chain: tuple[str, ...] = ()
    if speaker is not None:
        bounds += [speaker[1], speaker[2]]
        chain = (outer, speaker[0]) if outer and outer != speaker[0] else (speaker[0],)
    elif outer:
        chain = (outer,)
    return Attribution(
        speaker=speaker[0] if speaker is not None else None,
        chain=chain,
        verb=verb,
        voice=voice,
        start=min(bounds) if bounds else None,
        end=max(bounds) if bounds else None,
    )
