"""Counts of people in one sentence or clause (en/ru/az), rule-based.

``find_quantities`` finds number expressions ("two", "approximately 50", "более 50",
"50-dən çox", "dozens"), throws out what is not a head count (years, ages, dates, times,
money, percentages, ordinals, digits inside names such as "E1.RU" or "APT29", "one of"),
and gives each the kind of the nearest predicate or noun ("killed", "detained" ...), or
"people" when it counts people but says nothing of what happened to them.

Value conventions (the word lists and bands live in ``data/quantity_words.json``):

* exact number -> ``min = max = N``, EXACT;
* "approximately / около / təxminən N" -> ``min = max = N``, APPROXIMATE, ``word`` = the
  hedge. We do not invent a band: the text gives one number and the flag says it is soft;
* "more than N" -> ``min = N + 1, max = None``; "at least N" -> ``min = N, max = None``;
* "up to N" -> ``min = 0, max = N``; "fewer than N" -> ``min = 0, max = N - 1``: the text
  gives no lower bound, so we claim none. Bounds are APPROXIMATE with the bound word;
* "between A and B", "A-B" -> ``[A, B]``, APPROXIMATE;
* vague words ("dozens", "несколько", "onlarla") -> the band listed in the JSON, VAGUE;
* a list of two or more full names said to be killed/detained ... -> IMPLICIT count.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import cache

from . import cuewords
from .cuewords import Entry, lower
from .types import Exactness, Quantity

# Words, numbers with glued suffixes ("50-dən", "24-year-old", "E1.RU", "1,000") stay one
# token so a digit inside a name never looks like a count; any other non-space is a token
# of its own (punctuation marks clause edges and ranges).
_TOKEN = re.compile(r"\w+(?:[-‑'’.,]\w+)*|[^\w\s]")
_INT = re.compile(r"^(?:\d{1,3}(?:[,.]\d{3})+|\d+)$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_RANGE = re.compile(r"^(\d+)[-‑](\d+)$")
_SUFFIXED = re.compile(r"^(\d+)[-‑'’](\w[\w-]*)$")
_CLAUSE_END = frozenset(".;!?")
_MAX_WINDOW = 12  # tokens; kind words farther than this belong to another statement
_COMMA_COST = 3  # a comma usually starts another clause, so it pushes a kind word away


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str
    low: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def _suffix_in(suffix: str, words: list[str]) -> bool:
    return any((w.endswith("*") and suffix.startswith(w[:-1])) or suffix == w for w in words)


@dataclass(frozen=True)
class _Lang:
    units: dict[str, int]
    weak_units: frozenset[str]
    multipliers: dict[str, int]
    approx_multipliers: dict[str, int]
    plural_multipliers: dict[str, int]
    article: frozenset[str]
    vague: tuple[tuple[Entry, tuple[int, int | None], str], ...]
    # The same, as one entry list (in the same order) and the band and phrase of each
    # entry's first listing: one lookup per token instead of one per vague word.
    vague_entries: tuple[Entry, ...]
    vague_bands: dict[Entry, tuple[tuple[int, int | None], str]]
    approximate: tuple[Entry, ...]
    lower_strict: tuple[Entry, ...]
    lower_inclusive: tuple[Entry, ...]
    lower_inclusive_after: tuple[Entry, ...]
    upper_inclusive: tuple[Entry, ...]
    upper_strict: tuple[Entry, ...]
    range_open: tuple[Entry, ...]
    range_join: frozenset[str]
    range_join_bare: frozenset[str]
    suffix_lower_strict: tuple[str, ...]
    suffix_upper_inclusive: tuple[str, ...]
    not_counts_before: tuple[Entry, ...]
    weak_not_after: frozenset[str]
    person_nouns: tuple[Entry, ...]
    non_person_nouns: tuple[Entry, ...]
    post_count_ok: frozenset[str]
    age_words_before: frozenset[str]
    label_words_before: frozenset[str]
    singular_after_modifier: dict[str, int]
    age_suffixes: list[str]
    ordinal_suffixes: list[str]
    cardinal_suffixes: list[str]
    currency: frozenset[str]
    kinds: tuple[tuple[Entry, str], ...]
    name_conj: frozenset[str]
    name_stop: frozenset[str]
    aux_before_kind: frozenset[str]
    months: tuple[tuple[str, ...], ...]
    month_endings: tuple[str, ...]


def _first_bands(
    vague: list[tuple[Entry, tuple[int, int | None], str]],
) -> dict[Entry, tuple[tuple[int, int | None], str]]:
    bands: dict[Entry, tuple[tuple[int, int | None], str]] = {}
    for entry, band, phrase in vague:
        bands.setdefault(entry, (band, phrase))
    return bands


@cache
def _lang(lang: str) -> _Lang:
    raw = cuewords.load("quantity_words.json", lang)
    months = cuewords.load("months.json", lang)
    kinds: list[tuple[Entry, str]] = []
    for kind, words in raw["kinds"].items():
        kinds.extend((e, kind) for e in cuewords.entries(words, _TOKEN))
    kinds.sort(key=lambda ek: len(ek[0]), reverse=True)
    vague = []
    for phrase, (lo, hi) in raw["vague"].items():
        for e in cuewords.entries([phrase], _TOKEN):
            vague.append((e, (int(lo), None if hi is None else int(hi)), phrase))
    vague.sort(key=lambda v: len(v[0]), reverse=True)
    return _Lang(
        units={k.lower(): int(v) for k, v in raw["units"].items()},
        weak_units=frozenset(raw["weak_units"]),
        multipliers={k: int(v) for k, v in raw["multipliers"].items()},
        approx_multipliers={k: int(v) for k, v in raw["approx_multipliers"].items()},
        plural_multipliers={k: int(v) for k, v in raw["plural_multipliers"].items()},
        article=frozenset(raw["article"]),
        vague=tuple(vague),
        vague_entries=tuple(e for e, _, _ in vague),
        vague_bands=_first_bands(vague),
        approximate=cuewords.entries(raw["approximate"], _TOKEN),
        lower_strict=cuewords.entries(raw["lower_strict"], _TOKEN),
        lower_inclusive=cuewords.entries(raw["lower_inclusive"], _TOKEN),
        lower_inclusive_after=cuewords.entries(raw["lower_inclusive_after"], _TOKEN),
        upper_inclusive=cuewords.entries(raw["upper_inclusive"], _TOKEN),
        upper_strict=cuewords.entries(raw["upper_strict"], _TOKEN),
        range_open=cuewords.entries(raw["range_open"], _TOKEN),
        range_join=frozenset(raw["range_join"]),
        range_join_bare=frozenset(raw["range_join_bare"]),
        suffix_lower_strict=tuple(raw["suffix_lower_strict"]),
        suffix_upper_inclusive=tuple(raw["suffix_upper_inclusive"]),
        not_counts_before=cuewords.entries(raw["not_counts_before"], _TOKEN),
        weak_not_after=frozenset(raw["weak_not_after"]),
        person_nouns=cuewords.entries(raw["person_nouns"], _TOKEN),
        non_person_nouns=cuewords.entries(raw["non_person_nouns"], _TOKEN),
        post_count_ok=frozenset(raw["post_count_ok"]),
        age_words_before=frozenset(raw["age_words_before"]),
        label_words_before=frozenset(raw["label_words_before"]),
        singular_after_modifier={k: int(v) for k, v in raw["singular_after_modifier"].items()},
        age_suffixes=raw["age_suffixes"],
        ordinal_suffixes=raw["ordinal_suffixes"],
        cardinal_suffixes=raw["cardinal_suffixes"],
        currency=frozenset(raw["currency_symbols"]),
        kinds=tuple(kinds),
        name_conj=frozenset(raw["names_conjunctions"]),
        name_stop=frozenset(raw["name_stopwords"]),
        aux_before_kind=frozenset(raw["aux_before_kind"]),
        months=tuple(tuple(s) for s in months["stems"]),
        month_endings=tuple(months["endings"]),
    )


def _tokens(text: str, lang: str) -> list[_Tok]:
    return [
        _Tok(m.start(), m.end(), m.group(), lower(m.group(), lang)) for m in _TOKEN.finditer(text)
    ]


@dataclass
class _Num:
    """A number expression over tokens [i, j)."""

    i: int
    j: int
    lo: int
    hi: int | None
    exactness: Exactness
    word: str = ""
    weak: bool = False  # "one", "bir": also an article/pronoun, needs stronger evidence
    suffix: str = ""  # a case ending glued to digits ("50-dən"), read for az postpositions


def _int_of(tok: _Tok) -> int | None:
    if _INT.match(tok.text):
        return int(re.sub(r"[,.]", "", tok.text))
    return None


def _core(toks: list[_Tok], i: int, lx: _Lang) -> _Num | None:
    """The bare number at ``i``: digits, number words, vague words, multipliers."""
    if i >= len(toks):
        return None
    tok = toks[i]
    # Vague words first: "a few" must not be read as article + nothing.
    entry = cuewords.entry_at(lx.vague_entries, toks, i)
    if entry is not None:
        (lo, hi), phrase = lx.vague_bands[entry]
        j = i + len(entry)
        # "several hundred", "несколько тысяч", "bir neçə yüz": scale the band.
        mult = lx.multipliers.get(toks[j].low, 0) if j < len(toks) else 0
        mult = mult or (lx.approx_multipliers.get(toks[j].low, 0) if j < len(toks) else 0)
        if not mult and j + 1 < len(toks) and toks[j].low == "of":
            mult = lx.plural_multipliers.get(toks[j + 1].low, 0)
            if mult:
                j += 1
        if mult:
            j += 1
            hi2 = None if hi is None else (hi + 1) * mult - 1
            return _Num(i, j, lo * mult, hi2, Exactness.VAGUE, phrase)
        return _Num(i, j, lo, hi, Exactness.VAGUE, phrase)
    value: float | None = None
    j = i
    exactness = Exactness.EXACT
    word = ""
    weak = False
    suffix = ""
    if tok.low in lx.article and i + 1 < len(toks):
        nxt = toks[i + 1].low
        if nxt in lx.approx_multipliers:
            return _Num(
                i,
                i + 2,
                lx.approx_multipliers[nxt],
                lx.approx_multipliers[nxt],
                Exactness.APPROXIMATE,
                f"{tok.text} {toks[i + 1].text}",
            )
        if nxt in lx.multipliers:
            value, j = 1, i + 1
    if value is None:
        as_int = _int_of(tok)
        if as_int is not None:
            value, j = as_int, i + 1
        elif _DECIMAL.match(tok.text) and i + 1 < len(toks) and toks[i + 1].low in lx.multipliers:
            value, j = float(tok.text.replace(",", ".")), i + 1
        elif (m := _RANGE.match(tok.text)) and int(m.group(2)) > int(m.group(1)):
            return _Num(i, i + 1, int(m.group(1)), int(m.group(2)), Exactness.APPROXIMATE, "-")
        elif m := _SUFFIXED.match(tok.text):
            suf = m.group(2).lower()
            if _suffix_in(suf, lx.age_suffixes) or _suffix_in(suf, lx.ordinal_suffixes):
                return None
            if not _suffix_in(suf, lx.cardinal_suffixes):
                return None
            value, j, suffix = int(m.group(1)), i + 1, suf
        else:
            # Number words: "twenty five", "сто двадцать", "iki yüz"; a word glued with a
            # hyphen ("twenty-five") is split first.
            parts = tok.low.split("-") if "-" in tok.low else [tok.low]
            if all(p in lx.units for p in parts):
                value = sum(lx.units[p] for p in parts)
                weak = tok.low in lx.weak_units
                j = i + 1
                last = value
                while j < len(toks) and toks[j].low in lx.units:
                    v = lx.units[toks[j].low]
                    if not _can_follow(int(last), v):
                        break
                    value += v
                    last = v
                    weak = False
                    j += 1
            else:
                return None
    # Multipliers: "3 thousand", "iki yüz", "две тысячи", "two dozen".
    while j < len(toks):
        low = toks[j].low
        if low in lx.multipliers:
            value = value * lx.multipliers[low] if value else lx.multipliers[low]
            weak = False
            j += 1
            # "two hundred and fifty", "сто двадцать": a smaller number may follow.
            k = j + 1 if j < len(toks) and toks[j].low == "and" else j
            if k < len(toks) and toks[k].low in lx.units and lx.units[toks[k].low] < 100:
                value += lx.units[toks[k].low]
                j = k + 1
                while j < len(toks) and toks[j].low in lx.units:
                    v = lx.units[toks[j].low]
                    if v >= 10:
                        break
                    value += v
                    j += 1
        elif low in lx.approx_multipliers:
            value = value * lx.approx_multipliers[low]
            exactness, word, weak = Exactness.APPROXIMATE, low, False
            j += 1
        else:
            break
    if value is None or value != int(value):
        return None
    return _Num(i, j, int(value), int(value), exactness, word, weak, suffix)


def _can_follow(last: int, v: int) -> bool:
    """Whether number word ``v`` continues a number ending in ``last`` ("twenty" "five")."""
    if last >= 100:
        return v < 100 and last % 100 == 0
    if last >= 20 and last % 10 == 0:
        return v < 10
    return False


def _expression(toks: list[_Tok], i: int, lx: _Lang) -> _Num | None:
    """Modifier + number (+ range) at ``i``, or None."""
    mods: list[tuple[tuple[Entry, ...], str]] = [
        (lx.range_open, "range"),
        (lx.lower_strict, "lower_strict"),
        (lx.lower_inclusive, "lower_inclusive"),
        (lx.upper_inclusive, "upper_inclusive"),
        (lx.upper_strict, "upper_strict"),
        (lx.approximate, "approx"),
    ]
    for entries, mode in mods:
        n = cuewords.match_at(entries, toks, i)
        if not n:
            continue
        num = _core(toks, i + n, lx)
        word = " ".join(t.text for t in toks[i : i + n])
        if i + n < len(toks) and toks[i + n].low in lx.singular_after_modifier:
            # "около сотни" is about one hundred, not "hundreds".
            value = lx.singular_after_modifier[toks[i + n].low]
            num = _Num(i + n, i + n + 1, value, value, Exactness.EXACT)
        if num is None:
            continue
        if mode == "range":
            joined = _range_tail(toks, num, lx, lx.range_join)
            if joined is None:
                continue
            joined.i, joined.word = i, word
            return joined
        num.i, num.weak = i, False
        return _apply_mode(num, mode, word)
    num = _core(toks, i, lx)
    if num is None:
        return None
    return _range_tail(toks, num, lx, lx.range_join_bare) or num


def _range_tail(toks: list[_Tok], num: _Num, lx: _Lang, joins: frozenset[str]) -> _Num | None:
    if num.j < len(toks) and toks[num.j].low in joins:
        second = _core(toks, num.j + 1, lx)
        if second is not None and second.lo > num.lo and num.exactness == Exactness.EXACT:
            return _Num(
                num.i,
                second.j,
                num.lo,
                second.hi,
                Exactness.APPROXIMATE,
                toks[num.j].text,
                suffix=second.suffix,
            )
    return None


def _apply_mode(num: _Num, mode: str, word: str) -> _Num:
    base_lo, base_hi = num.lo, num.hi if num.hi is not None else num.lo
    exact_value = num.exactness != Exactness.VAGUE
    if mode == "approx":
        num.exactness = Exactness.APPROXIMATE if exact_value else num.exactness
    elif mode == "lower_strict":
        # "more than a dozen" -> 13+; "more than dozens" keeps the vague floor.
        num.lo, num.hi = (base_lo + 1 if exact_value else base_lo), None
    elif mode == "lower_inclusive":
        num.hi = None
    elif mode == "upper_inclusive":
        num.lo, num.hi = 0, base_hi
    elif mode == "upper_strict":
        num.lo, num.hi = 0, max(base_hi - 1, 0)
    if exact_value:
        num.exactness = Exactness.APPROXIMATE
    num.word = word if not num.word else f"{word} {num.word}"
    return num


def _is_month(tok: _Tok, lx: _Lang, lang: str) -> bool:
    # English "May" is also a modal verb: only a capitalised month counts.
    if lang == "en" and not tok.text[:1].isupper():
        return False
    low = tok.low
    for stems in lx.months:
        for stem in stems:
            if low.startswith(stem) and low[len(stem) :] in lx.month_endings:
                return True
    return False


def _not_a_count(text: str, toks: list[_Tok], num: _Num, lx: _Lang, lang: str) -> bool:
    """Dates, times, years, ages, money, percentages, "one of" ..."""
    first, last = toks[num.i], toks[num.j - 1]
    before = toks[num.i - 1] if num.i > 0 else None
    after = toks[num.j] if num.j < len(toks) else None
    # Glued to other symbols: "10:30", "$5", "5%", "№5", "27.06".
    if (first.start > 0 and text[first.start - 1] in ":/#№") or (
        before is not None and before.end == first.start and before.text in lx.currency
    ):
        return True
    if (last.end < len(text) and text[last.end] in ":%/") or (
        before is not None and before.text in lx.currency
    ):
        return True
    if after is not None and after.text in lx.currency:
        return True
    if (before is not None and _is_month(before, lx, lang)) or (
        after is not None and _is_month(after, lx, lang)
    ):
        return True
    if before is not None and (
        before.low in lx.age_words_before or before.low.rstrip(".") in lx.label_words_before
    ):
        return True
    # Person nouns are checked first: prefixes such as "cit*" must not swallow "citizens".
    if (
        after is not None
        and cuewords.match_at(lx.non_person_nouns, toks, num.j)
        and not cuewords.match_at(lx.person_nouns, toks, num.j)
    ):
        return True
    for k in range(max(0, num.i - 1), num.i + 1):
        n = cuewords.match_at(lx.not_counts_before, toks, k)
        if n and k + n > num.i:
            return True
    if num.weak and after is not None and after.low in lx.weak_not_after:
        return True
    # A bare four-digit number in the calendar range is a year unless people follow.
    is_year = (
        num.j - num.i == 1
        and re.fullmatch(r"\d{4}", first.text) is not None
        and 1800 <= num.lo <= 2100
    )
    return is_year and not (after is not None and cuewords.match_at(lx.person_nouns, toks, num.j))


def _person_after(toks: list[_Tok], num: _Num, lx: _Lang, slack: int) -> int | None:
    """Index of a person noun right after the number, allowing ``slack`` adjectives."""
    for k in range(num.j, min(num.j + slack + 1, len(toks))):
        if not toks[k].is_word:
            return None
        if cuewords.match_at(lx.person_nouns, toks, k):
            return k
    return None


def _kind_spans(toks: list[_Tok], lx: _Lang) -> list[tuple[int, int, str]]:
    entries, kind_of = _kind_cues(lx.kinds)
    spans = []
    k = 0
    while k < len(toks):
        entry = cuewords.entry_at(entries, toks, k)
        if entry is not None:
            spans.append((k, k + len(entry), kind_of[entry]))
            k += len(entry) - 1
        k += 1
    return spans


@functools.lru_cache(maxsize=16)
def _kind_cues(
    kinds: tuple[tuple[Entry, str], ...],
) -> tuple[tuple[Entry, ...], dict[Entry, str]]:
    """The kind cues as one entry list (longest first) and each entry's kind (the first
    listed, should two kinds share a phrase)."""
    kind_of: dict[Entry, str] = {}
    for entry, kind in kinds:
        kind_of.setdefault(entry, kind)
    return tuple(kind_of), kind_of


def _cost(toks: list[_Tok], a: int, b: int) -> int | None:
    """Distance in tokens from ``a`` to ``b`` (a <= b), or None across a clause end."""
    cost = b - a
    for t in toks[a:b]:
        if t.text in _CLAUSE_END:
            return None
        if t.text == ",":
            cost += _COMMA_COST
    return cost if cost <= _MAX_WINDOW + _COMMA_COST else None


def _nearest_kind(
    toks: list[_Tok], num: _Num, kinds: list[tuple[int, int, str]], nums: list[_Num]
) -> tuple[str, int] | None:
    nxt = min((n.i for n in nums if n.i >= num.j), default=len(toks))
    prv = max((n.j for n in nums if n.j <= num.i), default=0)
    best: tuple[int, int, str] | None = None  # (cost, tie-break, kind)
    for ks, ke, kind in kinds:
        if ks >= num.j and ks < nxt:
            c = _cost(toks, num.j, ks)
            cand = None if c is None else (c, 0, kind)  # forward wins ties
        elif ke <= num.i and ke >= prv:
            c = _cost(toks, ke, num.i)
            cand = None if c is None else (c, 1, kind)
        elif ks >= num.i and ke <= num.j:
            cand = (0, 0, kind)  # the expression itself says it ("12 dead")
        else:
            cand = None
        if cand is not None and (best is None or cand < best):
            best = cand
    return None if best is None else (best[2], best[0])


def _az_postposition(toks: list[_Tok], num: _Num, lx: _Lang) -> tuple[str, int, str] | None:
    """``"50-dən çox"``, ``"50 nəfərdən çox"``, ``"15-ə qədər"``: bounds written after."""
    for candidates, mode in (
        (lx.suffix_lower_strict, "lower_strict"),
        (lx.suffix_upper_inclusive, "upper_inclusive"),
    ):
        for phrase in candidates:
            ending, *rest = phrase.split(" ")
            # The ending sits on the number ("50-dən") or on the noun after it ("nəfərdən").
            for host in (num.j - 1, num.j):
                if host >= len(toks) or host < num.j - 1:
                    continue
                hosted = num.suffix if host == num.j - 1 else toks[host].low
                if not hosted.endswith(ending):
                    continue
                if host == num.j - 1 and not num.suffix:
                    continue
                tail = [t.low for t in toks[host + 1 : host + 1 + len(rest)]]
                if tail == rest:
                    return mode, host + 1 + len(rest), phrase
    return None


def find_quantities(text: str, lang: str, offset: int = 0) -> list[Quantity]:
    """Counts of people in ``text`` (one sentence or clause), spans shifted by ``offset``."""
    lx = _lang(lang)
    toks = _tokens(text, lang)
    nums: list[_Num] = []
    i = 0
    while i < len(toks):
        num = _expression(toks, i, lx) if toks[i].is_word else None
        if num is None:
            i += 1
            continue
        nums.append(num)
        i = num.j
    kinds = _kind_spans(toks, lx)
    out: list[Quantity] = []
    for num in nums:
        if _not_a_count(text, toks, num, lx, lang):
            continue
        end_tok = num.j
        post = _az_postposition(toks, num, lx)
        if post is not None:
            mode, end_tok, phrase = post
            _apply_mode(num, mode, "-" + phrase)
        n_after = cuewords.match_at(lx.lower_inclusive_after, toks, num.j)
        if n_after:
            _apply_mode(
                num, "lower_inclusive", " ".join(t.text for t in toks[num.j : num.j + n_after])
            )
            end_tok = max(end_tok, num.j + n_after)
        # The kind is looked for beyond the whole expression, postpositions included.
        if post is None:
            num.j = end_tok
        person = _person_after(toks, num, lx, slack=0 if num.weak else 2)
        found = _nearest_kind(toks, num, kinds, nums)
        after = toks[num.j] if num.j < len(toks) else None
        if person is None:
            if found is None:
                continue
            # A count followed by some other noun counts that noun ("2 raids").
            if (
                after is not None
                and after.is_word
                and after.low not in lx.post_count_ok
                and not any(ks == num.j for ks, _, _ in kinds)
            ):
                continue
            if num.weak and found[1] > 3:
                continue
        kind = found[0] if found is not None else "people"
        start, end = toks[num.i].start, toks[end_tok - 1].end
        out.append(
            Quantity(
                start=start + offset,
                end=end + offset,
                text=text[start:end],
                kind=kind,
                min=num.lo,
                max=num.hi,
                exactness=num.exactness,
                word=num.word,
                confidence=0.9 if found is not None else 0.6,
            )
        )
    out.extend(_implicit(text, toks, lx, kinds, out, offset))
    return out


def _is_name_token(tok: _Tok, lx: _Lang) -> bool:
    return tok.is_word and tok.text[0].isupper() and tok.low not in lx.name_stop


def _implicit(
    text: str,
    toks: list[_Tok],
    lx: _Lang,
    kinds: list[tuple[int, int, str]],
    found: list[Quantity],
    offset: int,
) -> list[Quantity]:
    """ "Ali Mammadov and Rashad Aliyev were killed" -> killed 2, IMPLICIT.

    A list of two or more full names (two to four capitalised words each, joined by
    commas and "and") directly before the predicate. Single names are left to the caller:
    one capitalised word pair is too often a place or an organisation.
    """
    out: list[Quantity] = []
    have = {q.kind for q in found}
    for ks, _ke, kind in kinds:
        if kind in have:
            continue
        k = ks - 1
        while k >= 0 and toks[k].low in lx.aux_before_kind:
            k -= 1
        items = 0
        first = None
        last = k
        while k >= 0:
            n = 0
            while k >= 0 and _is_name_token(toks[k], lx):
                n += 1
                k -= 1
            if not 2 <= n <= 4:
                break
            items += 1
            first = k + 1
            if k >= 0 and (toks[k].text == "," or toks[k].low in lx.name_conj):
                k -= 1
                if k >= 0 and toks[k].text == ",":
                    k -= 1  # Oxford comma
                continue
            break
        if items >= 2 and first is not None and last >= 0:
            start, end = toks[first].start, toks[last].end
            out.append(
                Quantity(
                    start=start + offset,
                    end=end + offset,
                    text=text[start:end],
                    kind=kind,
                    min=items,
                    max=items,
                    exactness=Exactness.IMPLICIT,
                    word="",
                    confidence=0.7,
                )
            )
            have.add(kind)
    return out
