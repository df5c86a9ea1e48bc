"""ECB+ cross-document event coreference benchmark for the event linker (link/eventcoref.py).

Setting: gold event mentions (``is_event`` and ``in_validated_sentence``, singletons
included), predicted topics, predicted arguments. No gold topic or sub-topic is used:
documents are clustered into stories by our own ``StoryClusterer`` and that story goes
into each signature. Everything else in a signature is read from the text with our own
tools: the trigger lemma (and its Porter stem) of the mention's syntactic head from the
English spaCy model, the trigger's argument words from its parse, our event type from
the triggers of ``data/event_types.json``, the date attached to the trigger by our timex
normaliser (anchored on the document's dateline when it has one: ECB+ documents have no
publication date), places and participants from our English backend's entities
(``translit_key`` keys), figures from our quantity finder, context from the sentence,
and the embedding of the mention's words (link/embed.py, multilingual-e5-small, cached
under bench-out/ecbplus so a second run embeds nothing). Only the sentences holding a
mention are analysed. The same linker without embeddings is scored beside it.

A diagnostic is scored beside them: the same linker with gold sub-topics as stories
(an oracle, not the protocol), which shows what story errors cost.

Scores: MUC, B3, CEAF-e (entity-based, optimal alignment by Kuhn-Munkres implemented
here) and CoNLL F1 (their mean), over the whole split as one "document", as the reference
scorer is used on ECB+. Two references are scored in the same run: all singletons, and
same head lemma inside our predicted stories (the lemma baseline without gold topics).
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..link.eventcoref import (
    LINK_THRESHOLD,
    EventSignature,
    OnlineEventLinker,
    context_vector,
    parse_date,
)
from ..link.stories import StoryClusterer

SETTING = "gold mentions, predicted topics (our StoryClusterer), predicted arguments"

# --- metrics -------------------------------------------------------------------------

Cluster = frozenset[Hashable]


def _clusters(groups: Iterable[Iterable[Hashable]]) -> list[Cluster]:
    return [frozenset(g) for g in groups if g]


def _prf(p_num: float, p_den: float, r_num: float, r_den: float) -> tuple[float, float, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _muc_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    """MUC recall numerator and denominator of ``key`` against ``response`` (swap the
    arguments for precision): each key chain of size n needs n - 1 links; the response
    keeps n - (number of pieces it cuts the chain into). Mentions the response lacks
    are pieces of their own."""
    where: dict[Hashable, int] = {}
    for i, r in enumerate(response):
        for m in r:
            where[m] = i
    num = den = 0
    for k in key:
        pieces = {where.get(m, ("missing", m)) for m in k}
        num += len(k) - len(pieces)
        den += len(k) - 1
    return float(num), float(den)


def muc(
    key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]
) -> tuple[float, float, float]:
    """MUC (Vilain et al. 1995) precision, recall, F1."""
    k, r = _clusters(key), _clusters(response)
    r_num, r_den = _muc_side(k, r)
    p_num, p_den = _muc_side(r, k)
    return _prf(p_num, p_den, r_num, r_den)


def b_cubed(
    key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]
) -> tuple[float, float, float]:
    """B3 (Bagga & Baldwin 1998) over mentions: a mention's precision is the share of its
    response cluster in its key cluster, recall the reverse; averaged over the mentions of
    the response (precision) and of the key (recall)."""
    k, r = _clusters(key), _clusters(response)
    key_of = {m: c for c in k for m in c}
    resp_of = {m: c for c in r for m in c}
    r_num = sum(len(c & resp_of.get(m, frozenset())) / len(c) for c in k for m in c)
    p_num = sum(len(c & key_of.get(m, frozenset())) / len(c) for c in r for m in c)
    return _prf(p_num, float(len(resp_of)), r_num, float(len(key_of)))


def max_assignment(weights: np.ndarray) -> float:
    """Largest total weight of a one-to-one assignment of rows to columns (Kuhn-Munkres,
    shortest augmenting paths with potentials, O(n^2 m) for n <= m). Weights >= 0."""
    w = np.asarray(weights, dtype=np.float64)
    if w.size == 0:
        return 0.0
    if w.shape[0] > w.shape[1]:
        w = w.T
    n, m = w.shape
    cost = w.max() - w  # minimise cost == maximise weight; all costs >= 0
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    owner = np.zeros(m + 1, dtype=np.int64)  # row (1-based) holding column j; 0 = free
    way = np.zeros(m + 1, dtype=np.int64)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = owner[j0]
            reduced = cost[i0 - 1] - u[i0] - v[1:]
            free = ~used[1:]
            better = free & (reduced < minv[1:])
            minv[1:][better] = reduced[better]
            way[1:][better] = j0
            masked = np.where(free, minv[1:], np.inf)
            j1 = int(np.argmin(masked)) + 1
            delta = masked[j1 - 1]
            u[owner[used]] += delta
            v[used] -= delta
            minv[1:][free] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = int(way[j0])
            owner[j0] = owner[j1]
            j0 = j1
    cols = np.nonzero(owner[1:])[0]
    return float(sum(w[owner[j + 1] - 1, j] for j in cols))


def ceaf_e(
    key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]
) -> tuple[float, float, float]:
    """Entity-based CEAF (Luo 2005): clusters aligned one-to-one to maximise the summed
    similarity phi4 = 2|K n R| / (|K| + |R|); recall divides by the key clusters, precision
    by the response clusters. Only overlapping clusters have a positive similarity, so
    the alignment is solved per connected group of clusters, each small."""
    k, r = _clusters(key), _clusters(response)
    resp_of: dict[Hashable, int] = {m: j for j, c in enumerate(r) for m in c}
    # Union-find over key clusters joined through the response clusters they touch.
    links: dict[int, set[int]] = defaultdict(set)  # key index -> response indices
    for i, c in enumerate(k):
        for m in c:
            if m in resp_of:
                links[i].add(resp_of[m])
    parent = list(range(len(k)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_key: dict[int, int] = {}
    for i in sorted(links):
        for j in sorted(links[i]):
            if j in first_key:
                a, b = find(i), find(first_key[j])
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first_key[j] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in sorted(links):
        groups[find(i)].append(i)
    total = 0.0
    for rows in groups.values():
        cols = sorted({j for i in rows for j in links[i]})
        sim = np.zeros((len(rows), len(cols)))
        for a, i in enumerate(rows):
            for b, j in enumerate(cols):
                inter = len(k[i] & r[j])
                if inter:
                    sim[a, b] = 2.0 * inter / (len(k[i]) + len(r[j]))
        total += max_assignment(sim)
    return _prf(total, float(len(r)), total, float(len(k)))


def score(
    key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]
) -> dict[str, float]:
    """MUC, B3, CEAF-e P/R/F1 and CoNLL F1, as percentages rounded to 2 decimals."""
    k, r = _clusters(key), _clusters(response)
    out: dict[str, float] = {}
    f1s = []
    for name, fn in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        p, rc, f = fn(k, r)
        out[f"{name}_p"] = round(100 * p, 2)
        out[f"{name}_r"] = round(100 * rc, 2)
        out[f"{name}_f1"] = round(100 * f, 2)
        f1s.append(f)
    out["conll_f1"] = round(100 * sum(f1s) / 3, 2)
    out["clusters"] = float(len(r))
    return out


def clusters_from_labels(labels: Mapping[Hashable, Hashable]) -> list[list[Hashable]]:
    """Mention -> cluster label into clusters, in order of first appearance."""
    groups: dict[Hashable, list[Hashable]] = {}
    for m, lab in labels.items():
        groups.setdefault(lab, []).append(m)
    return list(groups.values())


# --- data ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldMention:
    ref: str  # "<doc_id>/<m_id>": unique across the split
    doc_id: str
    token_ids: tuple[int, ...]
    sentence: int
    chain: str
    text: str


@dataclass(slots=True)
class EcbDocument:
    doc_id: str
    topic: int
    subtopic: str
    text: str = ""
    # token id -> (start, end) character offsets in ``text``
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    # sentence number -> (start, end) character offsets in ``text``
    sentences: dict[int, tuple[int, int]] = field(default_factory=dict)
    mentions: list[GoldMention] = field(default_factory=list)


# Tokens written without a space before them, and after which no space follows, when the
# token lists are joined back into text: the timex patterns and NER expect "May 23, 2005",
# not "May 23 , 2005".
_NO_SPACE_BEFORE = frozenset(
    {
        ",",
        ".",
        ";",
        ":",
        "!",
        "?",
        "%",
        ")",
        "]",
        "}",
        "'s",
        "’s",
        "n't",
        "'",
        "’",
        "''",
        "'re",
        "'ve",
        "'ll",
        "'d",
        "'m",
    }
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "``", "#"})


def build_text(
    tokens: Sequence[Sequence[Any]],
) -> tuple[str, dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
    """Text of a token list (one line per sentence), token and sentence offsets."""
    parts: list[str] = []
    pos = 0
    spans: dict[int, tuple[int, int]] = {}
    sentences: dict[int, tuple[int, int]] = {}
    current: int | None = None
    prev = ""
    for t_id, sent, _number, word in tokens:
        word = str(word)
        if sent != current:
            if current is not None:
                sentences[current] = (sentences[current][0], pos)
                parts.append("\n")
                pos += 1
            current = int(sent)
            sentences[current] = (pos, pos)
        elif word not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        spans[int(t_id)] = (pos, pos + len(word))
        parts.append(word)
        pos += len(word)
        prev = word
    if current is not None:
        sentences[current] = (sentences[current][0], pos)
    return "".join(parts), spans, sentences


def load(data: Path, split: str, limit: int | None = None) -> list[EcbDocument]:
    """Documents of ``split`` (file order) with their gold event mentions in validated
    sentences; ``limit`` keeps the first N documents."""
    if split not in ("train", "dev"):
        raise ValueError(f"unknown split {split!r}: train or dev (the test split is held out)")
    docs: dict[str, EcbDocument] = {}
    with (data / f"documents.{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            raw = json.loads(line)
            doc = EcbDocument(str(raw["doc_id"]), int(raw["topic"]), str(raw["subtopic"]))
            doc.text, doc.spans, doc.sentences = build_text(raw["tokens"])
            docs[doc.doc_id] = doc
            if limit is not None and len(docs) >= limit:
                break
    with (data / f"mentions.{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            m = json.loads(line)
            if not (m["is_event"] and m["in_validated_sentence"]) or m["doc_id"] not in docs:
                continue
            docs[m["doc_id"]].mentions.append(
                GoldMention(
                    ref=f"{m['doc_id']}/{m['m_id']}",
                    doc_id=str(m["doc_id"]),
                    token_ids=tuple(int(t) for t in m["token_ids"]),
                    sentence=int(m["sentence"]),
                    chain=str(m["chain_id"]),
                    text=str(m["text"]),
                )
            )
    for doc in docs.values():
        doc.mentions.sort(key=lambda g: (min(g.token_ids), g.ref))
    return list(docs.values())


# --- reading signatures out of the text ----------------------------------------------


@dataclass(frozen=True, slots=True)
class MentionFeatures:
    """What our tools read for one gold mention (kept apart from the signature so the
    benchmark can show and cache it)."""

    ref: str
    doc: str
    lemma: str  # head lemma, lower-case
    types: tuple[str, ...]
    date: str | None
    places: tuple[str, ...]
    participants: tuple[str, ...]
    context: str
    figures: tuple[tuple[str, int], ...]
    arguments: tuple[str, ...] = ()  # lemmas (or entity keys) of the trigger's arguments
    trigger: str = ""  # the mention's words as written (embedded for the linker)


_PLACE_TYPES = frozenset({"LOC"})
_PARTICIPANT_TYPES = frozenset({"PER", "ORG", "NORP", "MEDIA", "MISC"})
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Only lines naming a year can be a dateline (and the timex rules are the slow part).
_HAS_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# A dateline is among the first lines (after the URL line of ECB+ documents) and short.
DATELINE_LINES = 5
DATELINE_WORDS = 16
# Noun mentions take the date of the verb they are the subject or object of ("the
# earthquake struck on Sunday").
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "nsubj:pass"})


def document_anchor(doc: EcbDocument) -> str | None:
    """The document's dateline: a full calendar date in a short line near the top
    ("AUGUST 2, 2013 | 08:06AM PT"). ECB+ documents carry no publication date; a date
    further down is as often a birth date or a background event, and relative dates
    ("Thursday", "yesterday") resolved against it would be wrong, so without a dateline
    they stay unresolved."""
    from ..understand.timex import TimeNormaliser

    for number in sorted(doc.sentences)[:DATELINE_LINES]:
        start, end = doc.sentences[number]
        line = doc.text[start:end]
        if len(line.split()) > DATELINE_WORDS or not _HAS_YEAR.search(line):
            continue
        for tx in TimeNormaliser(None).find(line, "en"):
            if _FULL_DATE.match(tx.value):
                return tx.value[:10]
    return None


@dataclass(frozen=True, slots=True)
class _Sentence:
    offset: int  # of the sentence in the document text
    text: str
    analysis: Any  # Analysis of ``text`` (offsets relative to it)
    timexes: list[Any]  # DATE/TIME expressions with a calendar value, offsets relative
    figures: tuple[tuple[str, int], ...]


def extract_features(docs: Sequence[EcbDocument]) -> list[MentionFeatures]:
    """Features of every gold mention, read with our English backend (spaCy with our
    entity corrections), trigger table, timex normaliser and quantity finder. Only the
    sentences holding a mention are analysed: they are all the signatures need."""
    from ..settings import Settings
    from ..understand.backend import backend_for
    from ..understand.entities import resolve_document
    from ..understand.quantities import find_quantities
    from ..understand.timex import TimeNormaliser
    from ..understand.types import Analysis, EntityMention, TimexType

    backend = backend_for("en", Settings.load())
    if backend is None:
        raise RuntimeError("no English backend registered")

    wanted: list[tuple[EcbDocument, int]] = []
    for doc in docs:
        wanted.extend((doc, n) for n in sorted({m.sentence for m in doc.mentions}))
    texts = [d.text[d.sentences[n][0] : d.sentences[n][1]] for d, n in wanted]
    analyses: dict[tuple[str, int], Analysis] = {
        (d.doc_id, n): a
        for (d, n), a in zip(wanted, backend.analyse_many(texts, parse=True), strict=True)
    }

    out: list[MentionFeatures] = []
    for doc in docs:
        numbers = sorted({m.sentence for m in doc.mentions})
        normaliser = TimeNormaliser(document_anchor(doc))
        per_sentence: dict[int, _Sentence] = {}
        entities: list[EntityMention] = []
        for n in numbers:
            start, end = doc.sentences[n]
            analysis = analyses[(doc.doc_id, n)]
            text = doc.text[start:end]
            timexes = [
                t
                for t in normaliser.find(text, "en")
                if t.type in (TimexType.DATE, TimexType.TIME) and parse_date(t.value) is not None
            ]
            quantities = find_quantities(text, "en")
            figures = tuple(sorted({(q.kind, q.min) for q in quantities if q.kind != "people"}))
            per_sentence[n] = _Sentence(start, text, analysis, timexes, figures)
            entities.extend(
                replace(e, start=e.start + start, end=e.end + start) for e in analysis.entities
            )
        # Short names ("DeGeneres") take the full name seen elsewhere in the document.
        entities = resolve_document(entities)
        for m in doc.mentions:
            spans = [doc.spans[t] for t in m.token_ids if t in doc.spans]
            if not spans:
                continue
            sent = per_sentence[m.sentence]
            start = min(s for s, _ in spans) - sent.offset
            end = max(e for _, e in spans) - sent.offset
            lemma, types, date, arguments = _read_mention(sent, start, end, m.text)
            s_end = sent.offset + len(sent.text)
            ents = [e for e in entities if sent.offset <= e.start < s_end and e.key]
            out.append(
                MentionFeatures(
                    ref=m.ref,
                    doc=doc.doc_id,
                    lemma=lemma,
                    types=types,
                    date=date,
                    places=tuple(sorted({e.key for e in ents if e.type.value in _PLACE_TYPES})),
                    participants=tuple(
                        sorted({e.key for e in ents if e.type.value in _PARTICIPANT_TYPES})
                    ),
                    context=sent.text,
                    trigger=" ".join(doc.text[s:e] for s, e in spans),
                    figures=sent.figures,
                    arguments=arguments,
                )
            )
    return out


def _read_mention(
    sent: _Sentence, start: int, end: int, surface: str
) -> tuple[str, tuple[str, ...], str | None, tuple[str, ...]]:
    """Head lemma, our event types, the attached date and the argument lemmas of the
    mention at [start, end) of its sentence."""
    from ..understand.events import find_triggers

    for parsed in sent.analysis.sentences:
        tokens = parsed.tokens
        inside = [i for i, t in enumerate(tokens) if t.start < end and start < t.end]
        if inside:
            break
    else:
        return surface.lower(), (), None, ()
    head = _head(tokens, inside)
    lemma = (tokens[head].lemma or tokens[head].text).lower()
    types = sorted(
        {
            hit.type.name
            for hit in find_triggers(tokens, "en")
            # weak triggers ("hold") need support that is not checked here
            if not hit.weak and hit.start <= inside[-1] and inside[0] < hit.end
        }
    )
    date = _attached_date(tokens, head, sent.timexes) if parsed.parsed else None
    arguments = _arguments(tokens, head, set(inside)) if parsed.parsed else ()
    return lemma, tuple(types), date, arguments


# Dependents that fill a role of the event: subject, object, agent, and the objects of
# its prepositions; possessives and compounds of a noun trigger ("Lohan's arrest").
_ARG_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "obj", "iobj", "agent", "poss", "compound", "nmod", "dative"}
)
_ARG_POS = frozenset({"NOUN", "PROPN"})


def _arguments(tokens: Sequence[Any], head: int, inside: set[int]) -> tuple[str, ...]:
    """Lemmas of the nouns filling the trigger's roles, directly or through a
    preposition; for a noun trigger that is the subject or object of a verb, that
    verb's arguments too ("the earthquake struck Iran")."""
    heads = _event_heads(tokens, head)
    found: set[str] = set()
    for i, t in enumerate(tokens):
        if i in inside or t.head is None:
            continue
        if t.head in heads and t.dep in _ARG_DEPS and t.pos in _ARG_POS:
            found.add(t.lemma.lower())
        elif t.dep == "pobj" and t.pos in _ARG_POS:
            prep = tokens[t.head]
            if prep.head in heads and prep.pos == "ADP":
                found.add(t.lemma.lower())
    return tuple(sorted(found))


def _head(tokens: Sequence[Any], inside: Sequence[int]) -> int:
    """The syntactic head of a mention: its content-word token whose head lies outside
    it; the last token when there is none."""
    span = set(inside)
    for i in inside:
        t = tokens[i]
        outside = t.head is None or t.head not in span or t.head == i
        if outside and t.pos in ("VERB", "NOUN", "PROPN", "ADJ"):
            return i
    return inside[-1]


def _event_heads(tokens: Sequence[Any], head: int) -> set[int]:
    """The mention's head, and for a noun mention that is the subject or object of a
    verb, that verb too: its date and its other arguments are the event's."""
    heads = {head}
    parent = tokens[head].head
    if tokens[head].pos in _ARG_POS and tokens[head].dep in _ARGUMENT_DEPS and parent is not None:
        heads.add(parent)
    return heads


def _attached_date(tokens: Sequence[Any], head: int, timexes: Sequence[Any]) -> str | None:
    """The value of the time expression syntactically attached to the mention (its
    dependent, or the object of a preposition on it: "died Thursday", "killed on
    Sunday", "the 2005 murder"), or to the verb a noun mention is subject or object of.
    A date elsewhere in the sentence is often another event's, so it is not taken."""
    targets = _event_heads(tokens, head)
    for tx in timexes:
        covered = {i for i, t in enumerate(tokens) if t.start < tx.end and tx.start < t.end}
        for i in sorted(covered):
            parent = tokens[i].head
            if parent is None or parent in covered:
                continue
            if parent in targets:
                return str(tx.value)
            if tokens[parent].pos == "ADP" and tokens[parent].head in targets:
                return str(tx.value)
    return None


# --- English stems --------------------------------------------------------------------
#
# spaCy's lemma keeps derivations apart ("nomination" / "nominate", "shooting" as a noun /
# "shoot", "Oscars" / "Oscar"); reports of one event switch between them. A Porter-style
# suffix stripper (Porter 1980, written here from the published rules) folds them; the
# signature carries both the lemma and its stem. On ECB+ train this adds about 1 CoNLL F1
# point to the lemma baseline.

_VOWELS = frozenset("aeiou")


def _consonant(word: str, i: int) -> bool:
    if word[i] in _VOWELS:
        return False
    if word[i] == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in ``stem``."""
    m = 0
    after_vowel = False
    for i in range(len(stem)):
        vowel = not _consonant(stem, i)
        if not vowel and after_vowel:
            m += 1
        after_vowel = vowel
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _ends_double(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _consonant(word, len(word) - 1)


def _ends_cvc(word: str) -> bool:
    n = len(word)
    return (
        n >= 3
        and _consonant(word, n - 3)
        and not _consonant(word, n - 2)
        and _consonant(word, n - 1)
        and word[-1] not in "wxy"
    )


_STEP2 = (
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
    ("izer", "ize"), ("abli", "able"), ("alli", "al"), ("entli", "ent"), ("eli", "e"),
    ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
    ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
    ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
)  # fmt: skip
_STEP3 = (
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", ""),
)  # fmt: skip
_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion",
    "ou", "ism", "ate", "iti", "ous", "ive", "ize",
)  # fmt: skip


def stem(word: str) -> str:
    """Porter stem of a lower-case English word ("nominations" -> "nomin")."""
    w = word
    if len(w) <= 2 or not w.isalpha():
        return w
    # Plurals, then -ed / -ing with the spelling repairs they need.
    if w.endswith("sses") or w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    repaired = False
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    else:
        for suffix in ("ed", "ing"):
            if w.endswith(suffix) and _has_vowel(w[: -len(suffix)]):
                w = w[: -len(suffix)]
                repaired = True
                break
    if repaired:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _ends_double(w) and w[-1] not in "lsz":
            w = w[:-1]
        elif _measure(w) == 1 and _ends_cvc(w):
            w += "e"
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    # Derivational suffixes, longest families first.
    for table in (_STEP2, _STEP3):
        for suffix, replacement in table:
            if w.endswith(suffix):
                if _measure(w[: -len(suffix)]) > 0:
                    w = w[: -len(suffix)] + replacement
                break
    for suffix in _STEP4:
        if w.endswith(suffix):
            base = w[: -len(suffix)]
            if _measure(base) > 1 and (suffix != "ion" or base.endswith(("s", "t"))):
                w = base
            break
    if w.endswith("e"):
        base = w[:-1]
        if _measure(base) > 1 or (_measure(base) == 1 and not _ends_cvc(base)):
            w = base
    if _measure(w) > 1 and _ends_double(w) and w.endswith("l"):
        w = w[:-1]
    return w


def signature(
    f: MentionFeatures, story: str | None, meaning: tuple[int, ...] = ()
) -> EventSignature:
    """The linker's view of one mention: lemma and stem, what our tools read, and the
    trigger's quantised embedding when the caller has one."""
    return EventSignature(
        ref=f.ref,
        doc=f.doc,
        types=frozenset(f.types),
        lemmas=frozenset({f.lemma, stem(f.lemma)}) if f.lemma else frozenset(),
        date=f.date,
        places=frozenset(f.places),
        participants=frozenset(f.participants),
        context=context_vector(f.context),
        story=story,
        figures=f.figures,
        arguments=frozenset(f.arguments),
        meaning=meaning,
    )


# --- stories -------------------------------------------------------------------------


def predict_stories(docs: Sequence[EcbDocument]) -> dict[str, str]:
    """Document -> story from our online story clusterer (file order, then refine)."""
    clusterer = StoryClusterer()
    clusterer.fit_idf(d.text for d in docs)
    for d in docs:
        clusterer.add(d.doc_id, d.text)
    clusterer.refine()
    return {d.doc_id: clusterer.story_of(d.doc_id) for d in docs}


# --- run -----------------------------------------------------------------------------


def link(
    signatures: Sequence[EventSignature], threshold: float = LINK_THRESHOLD
) -> list[list[str]]:
    linker = OnlineEventLinker(threshold)
    for sig in signatures:
        linker.add(sig)
    return list(linker.clusters().values())


def same_lemma(features: Sequence[MentionFeatures], story_of: Mapping[str, str]) -> list[list[str]]:
    """The lemma baseline without gold topics: one cluster per (predicted story, head
    lemma)."""
    labels: dict[Hashable, Hashable] = {f.ref: (story_of[f.doc], f.lemma) for f in features}
    return [[str(m) for m in c] for c in clusters_from_labels(labels)]


# Where trigger embeddings are kept between runs (git-ignored; relative to the folder the
# benchmark runs in, the repository root for the CLI and the tests).
EMBEDDING_CACHE = Path("bench-out") / "ecbplus"


def trigger_meanings(
    features: Sequence[MentionFeatures], cache_dir: Path | None = EMBEDDING_CACHE
) -> tuple[dict[str, tuple[int, ...]], int]:
    """Mention -> quantised embedding of its trigger words (embedded as E5 queries:
    short phrases), and how many distinct texts had to be embedded (the rest came from
    the cache). Lower-cased: "Struck" and "struck" are one text."""
    from ..link.embed import EmbeddingCache, TextEmbedder, quantise

    texts = [(f.trigger or f.lemma).strip().lower() for f in features]
    embedder = TextEmbedder()
    if cache_dir is None:
        distinct = sorted(set(texts))
        rows = dict(zip(distinct, embedder.embed(distinct, query=True), strict=True))
        return {f.ref: quantise(rows[t]) for f, t in zip(features, texts, strict=True)}, len(
            distinct
        )
    cache = EmbeddingCache(cache_dir, "trigger", embedder)
    before = cache.size
    vectors = cache.get_many(texts, query=True)
    meanings = {f.ref: quantise(v) for f, v in zip(features, vectors, strict=True)}
    return meanings, cache.size - before


def run(
    data: Path,
    split: str,
    limit: int | None = None,
    embeddings: bool = True,
    cache_dir: Path | None = EMBEDDING_CACHE,
) -> dict[str, Any]:
    """Score the event linker on ``split``, beside all-singletons and same-lemma-in-story.
    With ``embeddings`` the signatures carry trigger embeddings (link/embed.py), and the
    linker without them is scored too, as an ablation."""
    started = time.perf_counter()
    docs = load(data, split, limit)
    gold = clusters_from_labels({m.ref: m.chain for d in docs for m in d.mentions})
    t0 = time.perf_counter()
    story_of = predict_stories(docs)
    stories_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    features = extract_features(docs)
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    meanings: dict[str, tuple[int, ...]] = {}
    embedded = 0
    if embeddings:
        meanings, embedded = trigger_meanings(features, cache_dir)
    embed_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sigs = [signature(f, story_of[f.doc], meanings.get(f.ref, ())) for f in features]
    ours = link(sigs)
    link_s = time.perf_counter() - t0
    gold_story = {d.doc_id: d.subtopic for d in docs}
    oracle = link([signature(f, gold_story[f.doc], meanings.get(f.ref, ())) for f in features])
    plain = link([signature(f, story_of[f.doc]) for f in features]) if embeddings else ours
    return {
        "split": split,
        "setting": SETTING,
        "documents": len(docs),
        "mentions": sum(len(d.mentions) for d in docs),
        "gold_chains": len(gold),
        "predicted_stories": len(set(story_of.values())),
        "gold_subtopics": len(set(gold_story.values())),
        "threshold": LINK_THRESHOLD,
        "embeddings": embeddings,
        "ours": score(gold, ours),
        "ours_without_embeddings": score(gold, plain),
        "singletons": score(gold, [[f.ref] for f in features]),
        "same_lemma_in_story": score(gold, same_lemma(features, story_of)),
        "oracle_gold_subtopics": score(gold, oracle),
        "texts_embedded": embedded,
        "seconds": {
            "stories": round(stories_s, 2),
            "read": round(read_s, 2),
            "embed": round(embed_s, 2),
            "link": round(link_s, 2),
            "total": round(time.perf_counter() - started, 2),
        },
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"ECB+ event coreference, split={result['split']}: {result['setting']}",
        f"documents={result['documents']} mentions={result['mentions']} "
        f"gold chains={result['gold_chains']} predicted stories={result['predicted_stories']} "
        f"(gold sub-topics {result['gold_subtopics']}) threshold={result['threshold']}",
        f"{'system':<34}{'MUC':>7}{'B3':>7}{'CEAF-e':>8}{'CoNLL':>7}{'#cl':>6}",
    ]
    for name, key in (
        ("ours (online linker)", "ours"),
        ("ours without trigger embeddings", "ours_without_embeddings"),
        ("reference: all singletons", "singletons"),
        ("reference: same lemma in story", "same_lemma_in_story"),
        ("oracle: ours with gold sub-topics", "oracle_gold_subtopics"),
    ):
        s = result[key]
        lines.append(
            f"{name:<34}{s['muc_f1']:7.2f}{s['b3_f1']:7.2f}{s['ceafe_f1']:8.2f}"
            f"{s['conll_f1']:7.2f}{int(s['clusters']):6d}"
        )
    ours, lemma = result["ours"]["conll_f1"], result["same_lemma_in_story"]["conll_f1"]
    lines.append(f"CoNLL F1 ours / same-lemma reference: {ours / lemma if lemma else 0.0:.3f}")
    sec = result["seconds"]
    lines.append(
        f"time: stories {sec['stories']} s, reading {sec['read']} s, embedding {sec['embed']} s "
        f"({result['texts_embedded']} new texts), linking {sec['link']} s, total {sec['total']} s"
    )
    return "\n".join(lines)
