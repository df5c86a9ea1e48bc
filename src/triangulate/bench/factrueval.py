"""factRuEval-2016 Russian NER: exact-span P/R/F1 per type (PER/LOC/ORG) for bare natasha
and for our Russian backend (same natasha run, plus gazetteer corrections)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ..understand.types import EntityType
from .conll2003 import Span, score, table

OURS_MAP = {
    EntityType.PER: "PER",
    EntityType.ORG: "ORG",
    EntityType.MEDIA: "ORG",
    EntityType.LOC: "LOC",
}
TYPES = ("PER", "LOC", "ORG")

__all__ = ["run", "table"]


def _resolve_split(data: Path, split: str) -> Path:
    if split == "dev":
        return data / "ner.dev.jsonl"
    return Path(split)


def run(data: Path, split: str, *, limit: int | None = None) -> dict[str, Any]:
    """Score bare natasha and our backend on ``split`` ("dev" or a jsonl path); ``limit``
    caps the number of documents."""
    from ..understand.backends.russian import RussianBackend, correct_entities

    docs = [
        json.loads(line)
        for line in _resolve_split(data, split).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if limit is not None:
        docs = docs[:limit]
    backend = RussianBackend()
    gold: list[Span] = []
    bare: list[Span] = []
    ours: list[Span] = []
    words = 0
    t0 = time.perf_counter()
    for i, d in enumerate(docs):
        text = d["text"]
        gold.extend((i, s["start"], s["end"], s["type"]) for s in d["spans"])
        # morphology is needed for the normal forms our corrections use; no syntax
        doc = backend.doc(text, parse=False)
        words += len(doc.tokens)
        spans = []
        for sp in doc.spans:
            bare.append((i, sp.start, sp.stop, sp.type))
            sp.normalize(backend.morph_vocab)
            spans.append((sp.start, sp.stop, sp.type, sp.normal or sp.text))
        for m in correct_entities(text, spans):
            label = OURS_MAP.get(m.type)
            if label:
                ours.append((i, m.start, m.end, label))
    elapsed = time.perf_counter() - t0
    return {
        "bench": "factrueval2016",
        "split": split,
        "sentences": len(docs),  # documents here
        "words": words,
        "seconds": elapsed,
        "words_per_s": words / elapsed if elapsed else 0.0,
        "bare": score(gold, bare, TYPES),
        "ours": score(gold, ours, TYPES),
    }
