"""Hand-made features for the stance of a news body toward a headline (FNC-1 style).

Everything is computed from the two strings plus an IDF table learned on the training
headlines and bodies (hashed into a fixed number of buckets so the table is small and needs
no vocabulary file). No feature names a topic word: the model has to work on headlines and
bodies about stories it never saw, so it gets only overlap measures and cue-word counts.
The feature vector mixes three kinds of evidence:

- relatedness: TF-IDF cosines (whole body, lead sentences, best sentences), word, stem,
  bigram, number and character 5-gram coverage of the headline by the body, a BM25 score,
  and how well the rarest headline words are matched;
- stance cues: refuting / contrasting / hedging / reporting / supporting / negation words
  (``stance_lexicon.json``) counted in the headline, the whole body, the lead, the
  sentences most similar to the headline, and in a window around headline words found in
  the body;
- shape: lengths, question and quotation marks, polarity agreement.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import numpy as np

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
# Double quotes always; single ones only when not inside a word ("doesn’t" is no quote).
_QUOTES = re.compile(r"[\"“”]|(?<!\w)['‘’]|['‘’](?!\w)")
CATEGORIES = ("refute", "contrast", "hedge", "report", "support", "negation")
_LEAD_SENTENCES = 2
_TOP_SENTENCES = 3
_WINDOW = 6
_CHAR_N = 5
# Stems are cut to five letters after dropping a plural or verb ending, so that "graves" /
# "grave", "killed" / "killing" and "Mexican" / "Mexico" meet (five is the longest cut
# where that last pair still does; not tuned). Unrelated words that collide ("state" /
# "statement") only blur the stem features: the exact-word ones sit beside them.
_STEM_LEN = 5
_STEM_MARK = "\x01"  # stems share the IDF table with words; the mark keeps them apart
# BM25 constants: the usual k1 and b, and the mean body length in tokens of the FNC-1
# training bodies (367), so long bodies do not win on term frequency alone.
_BM25_K1 = 1.2
_BM25_B = 0.75
_BM25_AVG_LEN = 367.0
DEFAULT_BUCKETS = 1 << 16


@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    raw = json.loads(
        resources.files("triangulate.data").joinpath("stance_lexicon.json").read_text("utf-8")
    )
    return {key: frozenset(value) for key, value in raw.items() if not key.startswith("_")}


def tokens(text: str) -> list[str]:
    # Apostrophes are dropped first so "isn't" becomes the single cue token "isnt".
    return _TOKEN.findall(text.lower().replace("'", "").replace("’", ""))


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """Crude stem: one plural / -ed / -ing ending off, then the first ``_STEM_LEN`` letters."""
    w = word
    if len(w) > 4:
        if w.endswith("ies"):
            w = w[:-3] + "y"
        elif w.endswith("ing") or w.endswith("ed"):
            w = w[: -3 if w.endswith("ing") else -2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
    return w[:_STEM_LEN]


@lru_cache(maxsize=1 << 17)
def bucket(token: str, buckets: int) -> int:
    # crc32, not hash(): Python's str hash is salted per process, the model must not be.
    return zlib.crc32(token.encode("utf-8")) % buckets


class Idf:
    """Hashed inverse document frequencies of words and stems; identity-hashable."""

    def __init__(self, weights: np.ndarray) -> None:
        self.weights = np.asarray(weights, dtype=np.float32)
        self.buckets = int(self.weights.shape[0])

    @classmethod
    def fit(cls, documents: Iterable[str], buckets: int = DEFAULT_BUCKETS) -> Idf:
        df = np.zeros(buckets, dtype=np.float64)
        n = 0
        for doc in documents:
            n += 1
            words = set(tokens(doc))
            keys = words | {_STEM_MARK + stem(w) for w in words}
            for b in {bucket(k, buckets) for k in keys}:
                df[b] += 1
        # Smoothed IDF; unseen buckets get the maximum weight.
        return cls(np.log((1.0 + n) / (1.0 + df)) + 1.0)

    def word(self, word: str) -> float:
        return float(self.weights[bucket(word, self.buckets)])

    def stem(self, stem_: str) -> float:
        return float(self.weights[bucket(_STEM_MARK + stem_, self.buckets)])

    def vector(self, words: Iterable[str]) -> dict[int, float]:
        counts = Counter(bucket(w, self.buckets) for w in words)
        vec = {b: (1.0 + math.log(c)) * float(self.weights[b]) for b, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {b: v / norm for b, v in vec.items()} if norm else {}


def _cos(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _char_grams(text: str) -> set[str]:
    flat = " ".join(tokens(text))
    return {flat[i : i + _CHAR_N] for i in range(max(0, len(flat) - _CHAR_N + 1))}


def _cue_counts(words: Iterable[str]) -> list[float]:
    lex = lexicon()
    counts = [0.0] * len(CATEGORIES)
    for w in words:
        for i, cat in enumerate(CATEGORIES):
            if w in lex[cat]:
                counts[i] += 1.0
    return counts


def _is_number(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


@dataclass(slots=True)
class _Text:
    words: list[str]
    content: list[str]
    stems: set[str]
    vec: dict[int, float]
    bigrams: set[tuple[str, str]]
    grams: set[str]


@dataclass(slots=True)
class _Body:
    text: _Text
    counts: Counter[str]
    stem_positions: dict[str, int]  # first token position of each stem
    sentences: list[list[str]]
    sentence_stems: list[set[str]]
    sentence_vecs: list[dict[int, float]]
    lead_vec: dict[int, float]
    lead_words: set[str]
    lead_stems: set[str]
    cues: list[float]
    lead_cues: list[float]
    sentence_cues: list[list[float]]
    cue_flags: list[int]  # bit mask of categories per word position
    quotes: int


def _analyse_text(text: str, idf: Idf) -> _Text:
    words = tokens(text)
    stop = lexicon()["stopwords"]
    content = [w for w in words if w not in stop]
    return _Text(
        words=words,
        content=content,
        stems={stem(w) for w in content},
        vec=idf.vector(content),
        bigrams=set(pairwise(content)),
        grams=_char_grams(text),
    )


def _analyse_body(body: str, idf: Idf) -> _Body:
    stop = lexicon()["stopwords"]
    raw_sentences = [s for s in _SENTENCE.split(body) if s and s.strip()]
    sentences = [tokens(s) for s in raw_sentences]
    sentences = [s for s in sentences if s] or [[]]
    text = _analyse_text(body, idf)
    lead = [w for s in sentences[:_LEAD_SENTENCES] for w in s]
    lex = lexicon()
    flags = [sum(1 << i for i, cat in enumerate(CATEGORIES) if w in lex[cat]) for w in text.words]
    positions: dict[str, int] = {}
    for i, w in enumerate(text.words):
        positions.setdefault(stem(w), i)
    return _Body(
        text=text,
        counts=Counter(text.words),
        stem_positions=positions,
        sentences=sentences,
        sentence_stems=[{stem(w) for w in s if w not in stop} for s in sentences],
        sentence_vecs=[idf.vector(w for w in s if w not in stop) for s in sentences],
        lead_vec=idf.vector(w for w in lead if w not in stop),
        lead_words=set(lead),
        lead_stems={stem(w) for w in lead if w not in stop},
        cues=_cue_counts(text.words),
        lead_cues=_cue_counts(lead),
        sentence_cues=[_cue_counts(s) for s in sentences],
        cue_flags=flags,
        quotes=len(_QUOTES.findall(body)),
    )


def feature_names() -> list[str]:
    names = [
        "cos_body",
        "cos_lead",
        "cos_best_sentence",
        "cos_top3_mean",
        "best_sentence_position",
        "cover_words",
        "cover_words_lead",
        "cover_bigrams",
        "cover_char5",
        "log_shared_words",
        "cover_idf",
        "cover_stems",
        "cover_stems_idf",
        "cover_stems_lead",
        "best_sentence_stem_cover",
        "second_sentence_stem_cover",
        "bm25",
        "rarest_word_found",
        "log_missing_idf",
        "first_match_position",
        "headline_numbers",
        "cover_numbers",
    ]
    for cat in CATEGORIES:
        names += [
            f"{cat}_headline",
            f"{cat}_body_rate",
            f"{cat}_lead",
            f"{cat}_top3",
            f"{cat}_near",
        ]
    names += ["negation_parity_agree", *_SHAPE]
    return names


# Relatedness features (the first block of ``feature_names``) and the shape features are
# all the related/unrelated stage sees. Cue-word counts say how a body treats a claim, not
# whether it is about it; in topic-fold CV they only let that stage learn topic quirks
# (+0.25 point of weighted score without them).
_SHAPE = (
    "headline_question",
    "headline_quotes",
    "body_question_rate",
    "body_quote_rate",
    "log_headline_len",
    "log_body_len",
    "log_sentences",
)


def relatedness_columns() -> list[int]:
    """Indices (into ``feature_names()``) of the inputs of the related/unrelated stage."""
    names = feature_names()
    return [i for i, n in enumerate(names) if i < names.index("refute_headline") or n in _SHAPE]


class FeatureExtractor:
    """Computes feature vectors, caching body analyses (FNC-1 reuses each body ~30 times)."""

    def __init__(self, idf: Idf, cache_size: int = 4096) -> None:
        self.idf = idf
        self._cache: OrderedDict[str, _Body] = OrderedDict()
        self._cache_size = cache_size

    def _body(self, body: str) -> _Body:
        hit = self._cache.get(body)
        if hit is not None:
            self._cache.move_to_end(body)
            return hit
        parsed = _analyse_body(body, self.idf)
        self._cache[body] = parsed
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return parsed

    def _relatedness(self, h: _Text, b: _Body) -> tuple[list[float], list[int], set[str]]:
        """Overlap features, the sentences by similarity to the headline, the shared words."""
        idf = self.idf
        bw = b.text.words
        head_content = set(h.content)
        shared = head_content & set(b.counts)

        sims = [_cos(h.vec, v) for v in b.sentence_vecs]
        order = sorted(range(len(sims)), key=lambda i: -sims[i])
        top = order[:_TOP_SENTENCES]
        best = order[0]
        word_idf = {w: idf.word(w) for w in head_content}
        head_idf = sum(word_idf.values())
        shared_idf = sum(word_idf[w] for w in shared)

        stem_idf = {s: idf.stem(s) for s in h.stems}
        stems_idf = sum(stem_idf.values())
        found = h.stems & b.stem_positions.keys()
        # Per-sentence idf-weighted stem coverage: the claim is usually stated in one or
        # two sentences, which a whole-body average dilutes.
        sentence_cover = sorted(
            (sum(stem_idf[s] for s in h.stems & ss) for ss in b.sentence_stems), reverse=True
        )
        sentence_cover += [0.0, 0.0]

        n_body = max(1, len(bw))
        norm = _BM25_K1 * (1.0 - _BM25_B + _BM25_B * n_body / _BM25_AVG_LEN)
        bm25 = sum(
            word_idf[w] * b.counts[w] * (_BM25_K1 + 1.0) / (b.counts[w] + norm) for w in shared
        )
        rarest = max(head_content, key=lambda w: (word_idf[w], w)) if head_content else ""
        missing_idf = sum(stem_idf[s] for s in h.stems - found)
        first = min((b.stem_positions[s] for s in found), default=n_body)
        numbers = {w for w in h.content if _is_number(w)}

        feats = [
            _cos(h.vec, b.text.vec),
            _cos(h.vec, b.lead_vec),
            sims[best],
            sum(sims[i] for i in top) / len(top),
            best / max(1, len(sims) - 1),
            len(shared) / max(1, len(head_content)),
            len(head_content & b.lead_words) / max(1, len(head_content)),
            len(h.bigrams & b.text.bigrams) / max(1, len(h.bigrams)),
            len(h.grams & b.text.grams) / max(1, len(h.grams)),
            math.log1p(len(shared)),
            shared_idf / head_idf if head_idf else 0.0,
            len(found) / max(1, len(h.stems)),
            sum(stem_idf[s] for s in found) / stems_idf if stems_idf else 0.0,
            len(h.stems & b.lead_stems) / max(1, len(h.stems)),
            sentence_cover[0] / stems_idf if stems_idf else 0.0,
            sentence_cover[1] / stems_idf if stems_idf else 0.0,
            bm25 / (head_idf * (_BM25_K1 + 1.0)) if head_idf else 0.0,
            1.0 if rarest in shared else 0.0,
            math.log1p(missing_idf),
            first / n_body,
            math.log1p(len(numbers)),
            len(numbers & shared) / len(numbers) if numbers else 0.0,
        ]
        return feats, order, shared

    def __call__(self, headline: str, body: str) -> np.ndarray:
        h = _analyse_text(headline, self.idf)
        b = self._body(body)
        bw = b.text.words
        feats, order, shared = self._relatedness(h, b)
        top = order[:_TOP_SENTENCES]
        best = order[0]

        # Cue words within a window of headline words that occur in the body: the
        # "near" evidence that the cue is about the claim rather than elsewhere.
        near = [0.0] * len(CATEGORIES)
        hits = [i for i, w in enumerate(bw) if w in shared]
        if hits:
            covered: set[int] = set()
            for i in hits:
                covered.update(range(max(0, i - _WINDOW), min(len(bw), i + _WINDOW + 1)))
            for i in covered:
                f = b.cue_flags[i]
                if f:
                    for c in range(len(CATEGORIES)):
                        if f >> c & 1:
                            near[c] += 1.0
            near = [n / math.sqrt(len(hits)) for n in near]

        head_cues = _cue_counts(h.words)
        top_cues = [sum(b.sentence_cues[i][c] for i in top) for c in range(len(CATEGORIES))]
        n_body = max(1, len(bw))
        for c in range(len(CATEGORIES)):
            feats += [
                head_cues[c],
                100.0 * b.cues[c] / n_body,
                b.lead_cues[c],
                top_cues[c],
                near[c],
            ]
        neg = CATEGORIES.index("negation")
        feats += [
            1.0 if int(head_cues[neg]) % 2 == int(b.sentence_cues[best][neg]) % 2 else 0.0,
            1.0 if "?" in headline else 0.0,
            float(len(_QUOTES.findall(headline))),
            100.0 * body.count("?") / n_body,
            100.0 * b.quotes / n_body,
            math.log1p(len(h.words)),
            math.log1p(len(bw)),
            math.log1p(len(b.sentences)),
        ]
        return np.asarray(feats, dtype=np.float32)


def features(headline: str, body: str, extractor: FeatureExtractor | None = None) -> np.ndarray:
    """Feature vector for one pair; without ``extractor`` uses the shipped model's IDF."""
    if extractor is None:
        from .model import StanceModel

        extractor = StanceModel.default().extractor
    return extractor(headline, body)
