"""The understanding stage for one stored document: entities, time expressions and event
mentions, from the blocks that carry the document's reporting.

Blocks are analysed by the backend of their language. For speed, sentences are first
analysed without a parse; only sentences with a trigger word are parsed (the parse is
what finds agents and patients; the other sentences need only entities).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from .. import stages
from ..records import Block, BlockKind, Document, Precision
from ..settings import Settings
from .backend import backend_for
from .entities import expand_coordinated_names, resolve_document
from .events import extract_events, find_triggers
from .timex import TimeNormaliser
from .types import (
    Analysis,
    DocumentAnalysis,
    EntityMention,
    EntityType,
    Sentence,
    shift_entity,
    shift_sentence,
)

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
# Photo credits name outlets and agencies ("Source: Modern.Az"): read for entities, never
# for events.
ENTITY_ONLY_KINDS = frozenset({BlockKind.CREDIT})


def _publication(doc: Document) -> str | None:
    p = doc.published
    if p.value and p.precision in (Precision.DAY, Precision.MINUTE, Precision.SECOND):
        return p.value[:10]
    return None


def _shift(analysis: Analysis, offset: int) -> tuple[list[Sentence], list[EntityMention]]:
    sentences = [shift_sentence(s, offset) for s in analysis.sentences]
    entities = [shift_entity(e, offset) for e in analysis.entities]
    return sentences, entities


# Longest piece of a block handed to a backend at once, in characters: well under
# spaCy's default max_length (1,000,000), and cut at a sentence end when there is one.
MAX_PIECE_CHARS = 100_000


def _pieces(text: str, block: Block) -> list[Block]:
    if block.end - block.start <= MAX_PIECE_CHARS:
        return [block]
    out = []
    start = block.start
    while start < block.end:
        end = min(block.end, start + MAX_PIECE_CHARS)
        if end < block.end:
            cut = max(text.rfind(". ", start, end), text.rfind("\n", start, end))
            end = cut + 1 if cut > start + MAX_PIECE_CHARS // 2 else end
        out.append(replace(block, start=start, end=end))
        start = end
    return out


# In a Title Case Headline every word is capitalised, and models read runs of capitals
# as names ("Ministers Face Tough Questions" as an organisation). Such runs of three or more
# words that no gazetteer knows are dropped from headline-styled blocks.
TITLE_CASE_SHARE = 0.7
_FRAGMENT_MIN_WORDS = 3


def _title_cased(text: str) -> bool:
    words = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def _headline_fragment(e: EntityMention) -> bool:
    return (
        e.type in (EntityType.ORG, EntityType.MISC, EntityType.PER)
        and "gazetteer" not in e.source
        and len(e.text.split()) >= _FRAGMENT_MIN_WORDS
    )


def _reporting_blocks(doc: Document) -> list[tuple[int, Block]]:
    blocks: list[tuple[int, Block]] = []
    seen: set[str] = set()
    for i, b in enumerate(doc.blocks):
        if b.kind not in ANALYSED_KINDS | ENTITY_ONLY_KINDS or b.end <= b.start:
            continue
        # A headline repeated on the page (title and on-page heading) is one statement,
        # not two: analysing it twice would double its mentions.
        norm = " ".join(doc.text[b.start : b.end].split()).lower()
        if norm in seen:
            continue
        seen.add(norm)
        blocks.append((i, b))
    return blocks


def analyse_document(doc: Document, settings: Settings) -> DocumentAnalysis:
    return analyse_documents([doc], settings)[0]


def analyse_documents(docs: Sequence[Document], settings: Settings) -> list[DocumentAnalysis]:
    """Several documents at once: their blocks go to each language backend in one batch
    (spaCy is much faster on batches than on one paragraph at a time); everything else
    is per document."""
    results = [DocumentAnalysis(doc.id, stage=UNDERSTAND.tag) for doc in docs]
    blocks = [_reporting_blocks(doc) for doc in docs]
    # Time expressions in reading order, so "that same day" finds the date before it.
    for doc, result, doc_blocks in zip(docs, results, blocks, strict=True):
        normaliser = TimeNormaliser(_publication(doc))
        for _, b in doc_blocks:
            if b.lang in ("en", "ru", "az") and b.kind not in ENTITY_ONLY_KINDS:
                result.timexes.extend(normaliser.find(doc.text[b.start : b.end], b.lang, b.start))

    # lang -> (doc, block index, piece of the block): very long blocks are read in pieces
    # (spaCy refuses texts over its max_length, and memory grows with the text).
    by_lang: dict[str, list[tuple[int, int, Block]]] = defaultdict(list)
    for n, doc_blocks in enumerate(blocks):
        for i, b in doc_blocks:
            for piece in _pieces(docs[n].text, b):
                by_lang[b.lang].append((n, i, piece))
    per_block: dict[tuple[int, int], tuple[list[Sentence], str]] = {}
    entities: list[list[EntityMention]] = [[] for _ in docs]
    for lang, members in by_lang.items():
        backend = backend_for(lang, settings)
        if backend is None:
            if lang != "und":
                for n in {n for n, _, _ in members}:
                    results[n].languages_without_backend.append(lang)
            continue
        wants_parse = lambda s, lang=lang: bool(find_triggers(s.tokens, lang))  # noqa: E731
        texts = [docs[n].text[b.start : b.end] for n, _, b in members]
        for (n, i, b), analysis in zip(
            members, backend.analyse_selected(texts, wants_parse), strict=True
        ):
            sentences, ents = _shift(analysis, b.start)
            previous, _ = per_block.get((n, i), ([], lang))
            per_block[(n, i)] = (previous + sentences, lang)
            if _title_cased(docs[n].text[b.start : b.end]):
                ents = [e for e in ents if not _headline_fragment(e)]
            entities[n].extend(ents)
    for n, (doc, result) in enumerate(zip(docs, results, strict=True)):
        result.entities = resolve_document(expand_coordinated_names(doc.text, entities[n]))
        for i, b in blocks[n]:
            if (n, i) not in per_block or b.kind in ENTITY_ONLY_KINDS:
                continue
            sentences, lang = per_block[(n, i)]
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
    return results
