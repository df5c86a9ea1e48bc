"""Speed of the understanding stage against bare spaCy on the same English text, in the
same run, and peak memory with the English, Russian and Azerbaijani backends loaded.

The text: CoNLL-2003 sentences (Reuters news) from ``data`` (a ``*.txt`` in the
``token TAG`` format), joined into documents of ``SENTENCES_PER_DOC`` sentences. Both
sides see exactly the same strings. "Per core": the whole run is timed in one process
and, for the bare reference, spaCy's ``nlp.pipe`` with ``n_process=1``.
"""

from __future__ import annotations

import resource
import statistics
import time
from pathlib import Path
from typing import Any

from ..models import load_english
from ..records import Block, BlockKind, Document
from ..settings import Settings

SENTENCES_PER_DOC = 12
# Timed rounds per side (see run): an odd number, so the median is one round's figure.
ROUNDS = 5


def conll_documents(path: Path, limit_words: int) -> list[str]:
    """Documents of plain text from a CoNLL ``token TAG`` file."""
    docs: list[str] = []
    sentences: list[str] = []
    words = 0
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(" ".join(current))
                words += len(current)
                current = []
                if len(sentences) == SENTENCES_PER_DOC:
                    docs.append(" ".join(sentences))
                    sentences = []
                if words >= limit_words:
                    break
            continue
        current.append(line.split()[0])
    if sentences:
        docs.append(" ".join(sentences))
    return docs


def _as_document(n: int, text: str) -> Document:
    return Document(
        id=f"bench{n}",
        text=text,
        content_hash=str(n),
        blocks=[Block(BlockKind.BODY, 0, len(text), lang="en")],
        locator=f"bench:{n}",
    )


def run(
    data: Path, split: str = "dev", *, limit: int | None = None, rounds: int = ROUNDS
) -> dict[str, Any]:
    from ..understand.backend import backend_for
    from ..understand.run import BATCH_DOCUMENTS
    from ..understand.stage import analyse_documents

    source = data if data.is_file() else data / f"{split}.txt"
    texts = conll_documents(source, limit or 20000)
    words = sum(len(t.split()) for t in texts)
    settings = Settings()
    nlp = load_english(settings.english_model)
    # Load all three backends first: peak memory is measured with everything resident.
    for lang in ("en", "ru", "az"):
        backend = backend_for(lang, settings)
        if backend is not None:
            backend.analyse("Warm up.", parse=True)
    # One-time costs stay out of both timings, as spaCy's model load does: the whole
    # stage runs once on a document that is not measured (the gazetteer's patterns,
    # lexicons and the English lookups are built on first use).
    analyse_documents([_as_document(-1, texts[0])], settings)

    # Both sides are timed in wall-clock and in CPU seconds of this process, in ROUNDS
    # rounds that alternate which side goes first; the figures are the medians over the
    # rounds. The ratio is taken on CPU time ("per core"): on a shared machine other
    # processes stretch the wall clock of whichever side runs while they are busy, and
    # one round of a few seconds each swung between 0.98 and 1.43 here.
    docs = [_as_document(n, text) for n, text in enumerate(texts)]
    mentions = 0

    def bare() -> None:
        for _ in nlp.pipe(texts, batch_size=32, n_process=1):
            pass

    def ours() -> None:
        nonlocal mentions
        mentions = 0
        for k in range(0, len(docs), BATCH_DOCUMENTS):
            mentions += sum(
                len(r.mentions) for r in analyse_documents(docs[k : k + BATCH_DOCUMENTS], settings)
            )

    timings: dict[str, list[tuple[float, float]]] = {"bare": [], "ours": []}
    for r in range(rounds):
        order = [("bare", bare), ("ours", ours)]
        for name, side in order if r % 2 == 0 else reversed(order):
            wall, cpu = time.perf_counter(), time.process_time()
            side()
            timings[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    ratios = sorted(b[1] / o[1] for b, o in zip(timings["bare"], timings["ours"], strict=True))
    bare_wall = statistics.median(t[0] for t in timings["bare"])
    bare_cpu = statistics.median(t[1] for t in timings["bare"])
    ours_wall = statistics.median(t[0] for t in timings["ours"])
    ours_cpu = statistics.median(t[1] for t in timings["ours"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "documents": len(texts),
        "words": words,
        "bare_spacy_words_per_cpu_s": round(words / bare_cpu, 1),
        "understanding_words_per_cpu_s": round(words / ours_cpu, 1),
        "ratio_vs_bare_spacy": round(statistics.median(ratios), 3),
        "ratio_per_round": [round(x, 3) for x in ratios],
        "rounds": rounds,
        "bare_spacy_words_per_s": round(words / bare_wall, 1),
        "understanding_words_per_s": round(words / ours_wall, 1),
        "ratio_wall_clock": round(bare_wall / ours_wall, 3),
        "event_mentions": mentions,
        "peak_rss_mb": round(peak, 1),
        "model": settings.english_model,
    }


def table(result: dict[str, Any]) -> str:
    width = max(len(k) for k in result)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in result.items())
