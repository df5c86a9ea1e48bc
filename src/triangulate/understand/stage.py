"""The understanding stage for one stored document: entities, time expressions and event
mentions, from the blocks that carry the document's reporting.

Blocks are analysed by the backend of their language. For speed, sentences are first
analysed without a parse; only sentences with a trigger word are parsed (the parse is
what finds agents and patients; the other sentences need only entities).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .. import stages
from ..records import Block, BlockKind, Document, Precision
from ..settings import Settings
from .backend import backend_for
from .entities import resolve_document
from .events import extract_events, find_triggers
from .timex import TimeNormaliser
from .types import Analysis, DocumentAnalysis, EntityMention, Sentence

UNDERSTAND = stages.register(
    stages.Stage(
        "understand",
        1,
        frozenset({"stored"}),
        frozenset({"entities", "timexes", "event_mentions"}),
        "entities, time expressions and event mentions per document",
    )
)

# Blocks whose words are reporting. Captions can carry facts but are terse and often
# generic, so their mentions are kept with less confidence; widgets, related-link
# headlines, credits, bylines and datelines carry no facts about events.
ANALYSED_KINDS = frozenset(
    {
        BlockKind.TITLE,
        BlockKind.DEK,
        BlockKind.HEADING,
        BlockKind.BODY,
        BlockKind.QUOTE,
        BlockKind.COMMENT_TEXT,
        BlockKind.CAPTION,
    }
)
CAPTION_CONFIDENCE = 0.8  # multiplier for mentions found in captions


def _publication(doc: Document) -> str | None:
    p = doc.published
    if p.value and p.precision in (Precision.DAY, Precision.MINUTE, Precision.SECOND):
        return p.value[:10]
    return None


def _shift(analysis: Analysis, offset: int) -> tuple[list[Sentence], list[EntityMention]]:
    sentences = [
        replace(
            s,
            start=s.start + offset,
            end=s.end + offset,
            tokens=tuple(replace(t, start=t.start + offset, end=t.end + offset) for t in s.tokens),
        )
        for s in analysis.sentences
    ]
    entities = [replace(e, start=e.start + offset, end=e.end + offset) for e in analysis.entities]
    return sentences, entities


def analyse_document(doc: Document, settings: Settings) -> DocumentAnalysis:
    result = DocumentAnalysis(doc.id, stage=UNDERSTAND.tag)
    blocks: list[tuple[int, Block]] = []
    seen: set[str] = set()
    for i, b in enumerate(doc.blocks):
        if b.kind not in ANALYSED_KINDS or b.end <= b.start:
            continue
        # A headline repeated on the page (title and on-page heading) is one statement,
        # not two: analysing it twice would double its mentions.
        norm = " ".join(doc.text[b.start : b.end].split()).lower()
        if norm in seen:
            continue
        seen.add(norm)
        blocks.append((i, b))
    # Time expressions in reading order, so "that same day" finds the date before it.
    normaliser = TimeNormaliser(_publication(doc))
    for _, b in blocks:
        if b.lang in ("en", "ru", "az"):
            result.timexes.extend(normaliser.find(doc.text[b.start : b.end], b.lang, b.start))

    by_lang: dict[str, list[tuple[int, Block]]] = defaultdict(list)
    for i, b in blocks:
        by_lang[b.lang].append((i, b))
    per_block: dict[int, tuple[list[Sentence], str]] = {}
    entities: list[EntityMention] = []
    for lang, members in by_lang.items():
        backend = backend_for(lang, settings)
        if backend is None:
            if lang != "und":
                result.languages_without_backend.append(lang)
            continue
        analyses = backend.analyse_many(
            [doc.text[b.start : b.end] for _, b in members], parse=False
        )
        for (i, b), analysis in zip(members, analyses, strict=True):
            sentences, ents = _shift(analysis, b.start)
            # Parse only the sentences that can carry an event.
            reparsed = []
            for s in sentences:
                if not s.parsed and find_triggers(s.tokens, lang):
                    parsed = backend.analyse(doc.text[s.start : s.end], parse=True)
                    p_sents, _ = _shift(parsed, s.start)
                    reparsed.extend(p_sents or [s])
                else:
                    reparsed.append(s)
            per_block[i] = (reparsed, lang)
            entities.extend(ents)
    result.entities = resolve_document(entities)
    for i, b in blocks:
        if i not in per_block:
            continue
        sentences, lang = per_block[i]
        for s in sentences:
            found = extract_events(
                doc.text,
                s,
                lang,
                block=i,
                quoted_block=b.kind is BlockKind.QUOTE,
                entities=result.entities,
                timexes=result.timexes,
            )
            if b.kind is BlockKind.CAPTION:
                found = [
                    replace(m, confidence=round(m.confidence * CAPTION_CONFIDENCE, 2))
                    for m in found
                ]
            result.mentions.extend(found)
    return result
