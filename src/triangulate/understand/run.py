"""``analyze``: run the understanding stage over stored documents not yet analysed by
the current stage version, one transaction per document."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..records import Record
from ..settings import Settings
from ..store.base import Store
from .stage import UNDERSTAND, analyse_documents

# Documents analysed together: enough to give spaCy real batches, few enough that a
# crash loses little work (each document is still saved in its own transaction).
BATCH_DOCUMENTS = 16


@dataclass(frozen=True, slots=True)
class AnalyseProgress:
    done: int
    total: int
    words: int


@dataclass
class AnalyseReport(Record):
    analysed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # doc id -> reason
    entities: int = 0
    timexes: int = 0
    mentions: int = 0
    words: int = 0
    seconds: float = 0.0


def analyse(
    store: Store,
    settings: Settings,
    doc_ids: Sequence[str] | None = None,
    *,
    on_progress: Callable[[AnalyseProgress], None] | None = None,
) -> AnalyseReport:
    started = time.perf_counter()
    report = AnalyseReport()
    todo = list(doc_ids) if doc_ids is not None else store.unanalysed(UNDERSTAND.tag)
    done = 0
    for chunk_start in range(0, len(todo), BATCH_DOCUMENTS):
        docs = [store.get_document(d) for d in todo[chunk_start : chunk_start + BATCH_DOCUMENTS]]
        try:
            results = analyse_documents(docs, settings)
        except Exception:
            results = []
            for doc in docs:
                try:
                    results.extend(analyse_documents([doc], settings))
                except Exception as exc:
                    report.failed[doc.id] = f"{type(exc).__name__}: {exc}"
        by_id = {r.doc_id: r for r in results}
        for doc in docs:
            done += 1
            result = by_id.get(doc.id)
            if result is None:
                continue
            with store.transaction():
                store.save_analysis(result)
            report.analysed.append(doc.id)
            report.entities += len(result.entities)
            report.timexes += len(result.timexes)
            report.mentions += len(result.mentions)
            report.words += len(doc.text.split())
            if on_progress:
                on_progress(AnalyseProgress(done, len(todo), report.words))
    report.seconds = time.perf_counter() - started
    return report
