"""Exact duplicates and reposts.

Exact duplicates: the same text after Unicode and whitespace normalisation has the same
``content_hash`` and is stored once (each further place it was seen is recorded as a
sighting).

Reposts, wire copies, truncated or padded copies: containment of word 5-gram shingles,
|A ∩ B| / min(|A|, |B|). Jaccard similarity punishes a copy that is half the length of its
original (Jaccard 0.5 for an exact half), containment does not. Candidates come from a
consistent sample of shingle hashes (those divisible by ``SAMPLE_MOD``) kept in the store
with an index, so finding candidates costs a few index look-ups whatever the store size;
candidates are then checked on their full shingle sets.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .records import Block, BlockKind

SHINGLE_WORDS = 5
# 1 in 4 shingles is kept as a fingerprint: about 120 index rows for a 500-word article,
# and a truncated half still shares about 60 of them with its original.
SAMPLE_MOD = 4
# Below this many shingles (~30 words) a text is too short to call a copy: two short
# items sharing a stock phrase would otherwise be linked.
MIN_SHINGLES = 25
# Sampling is noisy; candidates whose sampled containment is this fraction of the
# threshold or more are checked on full shingle sets.
CANDIDATE_SLACK = 0.6

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def content_text(text: str, blocks: Iterable[Block]) -> str:
    """The words that make a document what it is: its reporting, not its page chrome.
    Falls back to the whole text when no block is content (a bare list of headlines)."""
    parts = [text[b.start : b.end] for b in blocks if b.kind.is_content]
    if not parts:
        parts = [text[b.start : b.end] for b in blocks if b.kind is not BlockKind.BOILERPLATE]
    return "\n".join(parts) if parts else text


def _hash64(s: str) -> int:
    # Stable across processes (unlike hash()), since fingerprints are stored.
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")


_MASK = (1 << 64) - 1
_BASE = 0x100000001B3  # an odd 64-bit multiplier (the FNV prime) mixes word hashes well
_SIGN = 1 << 63


def shingles(text: str) -> frozenset[int]:
    """Hashes of the word 5-grams of ``text`` (lower-cased), as signed 64-bit ints so
    they fit SQLite's INTEGER. Each distinct word is hashed once; a shingle's hash is a
    polynomial over its words' hashes, which is much cheaper than hashing its text."""
    words = [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]
    if not words:
        return frozenset()
    cache: dict[str, int] = {}
    ids = [cache[w] if w in cache else cache.setdefault(w, _hash64(w)) for w in words]
    n = min(SHINGLE_WORDS, len(ids))
    out = set()
    for i in range(len(ids) - n + 1):
        h = 0
        for wid in ids[i : i + n]:
            h = (h * _BASE + wid) & _MASK
        out.add(h - (1 << 64) if h & _SIGN else h)
    return frozenset(out)


def fingerprints(shingle_set: frozenset[int]) -> list[int]:
    return sorted(h for h in shingle_set if h % SAMPLE_MOD == 0)


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True, slots=True)
class Candidate:
    doc_id: str
    shared: int  # fingerprints in common
    fp_count: int  # the candidate's fingerprint count


def worth_checking(candidate: Candidate, own_fp_count: int, threshold: float) -> bool:
    smaller = min(candidate.fp_count, own_fp_count)
    if smaller == 0:
        return False
    return candidate.shared / smaller >= threshold * CANDIDATE_SLACK
