"""CoNLL-2003 English NER: entity-level micro P/R/F1 (conlleval semantics) for the bare
spaCy model and for our English backend (same spaCy run, plus gazetteer corrections).

Sentences come as tokens; they are joined with single spaces, analysed as text, and the
character spans of predicted entities are mapped back onto the gold tokens.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..settings import Settings
from ..understand.types import EntityType

# spaCy's OntoNotes labels -> CoNLL types (as the bench README suggests)
BARE_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "LANGUAGE": "MISC",
}
# our types -> CoNLL types (outlets are organisations there, demonyms MISC)
OURS_MAP = {
    EntityType.PER: "PER",
    EntityType.ORG: "ORG",
    EntityType.MEDIA: "ORG",
    EntityType.LOC: "LOC",
    EntityType.NORP: "MISC",
    EntityType.MISC: "MISC",
}
TYPES = ("PER", "LOC", "ORG", "MISC")

Span = tuple[int, int, int, str]  # sentence index, first token, end token, type


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences as (tokens, IOB2 tags)."""
    sents: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if toks:
                sents.append((toks, tags))
            toks, tags = [], []
            continue
        if parts[0] == "-DOCSTART-":
            continue
        toks.append(parts[0])
        tags.append(parts[-1])
    if toks:
        sents.append((toks, tags))
    return sents


def gold_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans from IOB tags (an I- after O or another type opens a span, as conlleval)."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, t = tag.partition("-")
        continues = prefix == "I" and t == kind and start is not None
        if start is not None and not continues:
            spans.append((start, i, kind))
            start = None
        if prefix in {"B", "I"} and not continues:
            start, kind = i, t
    return spans


def char_to_tokens(offsets: list[tuple[int, int]], s: int, e: int) -> tuple[int, int] | None:
    """The gold tokens a character span [s, e) touches, or None."""
    idx = [i for i, (ts, te) in enumerate(offsets) if ts < e and s < te]
    return (idx[0], idx[-1] + 1) if idx else None


def score(
    gold: Iterable[Span], pred: Iterable[Span], types: Iterable[str] = TYPES
) -> dict[str, Any]:
    """Micro P/R/F1 over exact spans, overall and per type."""
    g, p = set(gold), set(pred)

    def prf(gs: set[Span], ps: set[Span]) -> dict[str, float | int]:
        tp = len(gs & ps)
        prec = tp / len(ps) if ps else 0.0
        rec = tp / len(gs) if gs else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {"p": prec, "r": rec, "f1": f1, "tp": tp, "gold": len(gs), "pred": len(ps)}

    out: dict[str, Any] = {"all": prf(g, p)}
    for t in types:
        out[t] = prf({x for x in g if x[3] == t}, {x for x in p if x[3] == t})
    return out


def _resolve_split(data: Path, split: str) -> Path:
    if split in {"train", "dev"}:
        return data / f"{split}.txt"
    return Path(split)


def run(data: Path, split: str, *, limit: int | None = None) -> dict[str, Any]:
    """Score bare spaCy and our backend on ``split`` ("train", "dev" or a file path)."""
    from ..understand.backends.english import EnglishBackend, correct_entities

    sents = read_conll(_resolve_split(data, split))
    if limit is not None:
        sents = sents[:limit]
    texts, offsets = [], []
    for toks, _ in sents:
        pos, offs = 0, []
        for t in toks:
            offs.append((pos, pos + len(t)))
            pos += len(t) + 1
        texts.append(" ".join(toks))
        offsets.append(offs)
    gold = [(i, s, e, t) for i, (_, tags) in enumerate(sents) for s, e, t in gold_spans(tags)]
    settings = Settings()
    backend = EnglishBackend(settings)
    bare: list[Span] = []
    ours: list[Span] = []
    words = sum(len(t) for t, _ in sents)
    t0 = time.perf_counter()
    # one spaCy run (no parser) feeds both: the bare labels and our corrected mentions
    for i, doc in enumerate(backend.docs(texts, parse=False)):
        for ent in doc.ents:
            label = BARE_MAP.get(ent.label_)
            span = char_to_tokens(offsets[i], ent.start_char, ent.end_char)
            if label and span:
                bare.append((i, span[0], span[1], label))
        sent_spans = [(s.start_char, s.end_char, len(s)) for s in doc.sents]
        for m in correct_entities(doc.text, doc.ents, sent_spans):
            span = char_to_tokens(offsets[i], m.start, m.end)
            if span:
                ours.append((i, span[0], span[1], OURS_MAP[m.type]))
    elapsed = time.perf_counter() - t0
    return {
        "bench": "conll2003",
        "split": split,
        "sentences": len(sents),
        "words": words,
        "model": settings.english_model,
        "seconds": elapsed,
        "words_per_s": words / elapsed if elapsed else 0.0,
        "bare": score(gold, bare),
        "ours": score(gold, ours),
    }


def table(result: dict[str, Any]) -> str:
    """A plain-text table: P/R/F1 per type for bare and ours."""
    types = [k for k in result["ours"] if k != "all"] + ["all"]
    lines = [
        f"{result['bench']} {result['split']}: {result['sentences']} sentences, "
        f"{result['words']} words, {result['words_per_s']:.0f} words/s",
        f"{'type':<6} {'bare P':>7} {'bare R':>7} {'bare F1':>8} {'ours P':>7} {'ours R':>7} {'ours F1':>8}",
    ]
    for t in types:
        b, o = result["bare"][t], result["ours"][t]
        lines.append(
            f"{t:<6} {b['p']:7.3f} {b['r']:7.3f} {b['f1']:8.3f} {o['p']:7.3f} {o['r']:7.3f} {o['f1']:8.3f}"
        )
    return "\n".join(lines)
