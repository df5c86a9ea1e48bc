"""Ingest: read -> segment -> language -> dedup -> store, one document at a time.

This is the library call behind ``triangulate ingest``; it never prints. Progress goes
to an optional callback, every input gets an outcome, and a bad input becomes a
``rejected`` outcome with its named error while the batch goes on.
"""

from __future__ import annotations

import dataclasses
import enum
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import urlsplit

from . import dedup, stages
from .errors import InputError, NoContent
from .ingest.containers import InputFailure
from .ingest.inputs import InputRef, expand, read_items
from .ingest.pubdate import url_date
from .records import (
    Block,
    BlockKind,
    CopyLink,
    DateMethod,
    Document,
    InputFormat,
    PublishedDate,
    RawItem,
    Record,
    Segmented,
    SourceInfo,
    SourceKind,
)
from .segment.html import segment_html
from .segment.language import UNDETERMINED, identifier_for
from .segment.text import assign_languages, segment_plain_text
from .settings import Settings
from .store.base import Store

_STAGES = stages.check_order(stages.INGEST_ORDER)
STAGE_TAG = stages.provenance(stages.INGEST_ORDER)


class Status(enum.StrEnum):
    NEW = "new"  # stored; an original
    COPY = "copy"  # stored; linked as a copy/repost of an earlier document
    DUPLICATE = "duplicate"  # same text as a stored document; a new place it was seen
    UNCHANGED = "unchanged"  # already stored from this very input
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Outcome(Record):
    locator: str
    status: Status
    doc_id: str | None = None
    copy_of: str | None = None
    error_code: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class IngestOptions:
    published: PublishedDate | None = None  # for inputs that carry no date of their own
    source_name: str | None = None
    source_kind: SourceKind | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    inputs_done: int
    inputs_total: int
    bytes_done: int
    bytes_total: int
    documents: int
    rejected: int


@dataclass
class IngestReport(Record):
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    inputs: int = 0
    bytes_read: int = 0
    seconds: float = 0.0

    tally: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.tally[outcome.status.value] += 1  # kept as we go: progress reads it often

    @property
    def counts(self) -> dict[str, int]:
        return {s.value: self.tally.get(s.value, 0) for s in Status}

    @property
    def failed(self) -> bool:
        return self.tally.get(Status.REJECTED.value, 0) > 0


ProgressFn = Callable[[Progress], None]


def ingest(
    args: Sequence[str],
    store: Store,
    settings: Settings,
    options: IngestOptions | None = None,
    *,
    on_progress: ProgressFn | None = None,
    stdin: BinaryIO | None = None,
) -> IngestReport:
    options = options or IngestOptions()
    started = time.perf_counter()
    expanded = expand(args)
    report = IngestReport(
        skipped=expanded.skipped, inputs=len(expanded.inputs) + len(expanded.missing)
    )
    for failure in expanded.missing:
        _reject(store, report, failure)
    total_bytes = sum(ref.size for ref in expanded.inputs)
    identify = identifier_for(settings.language_codes).identify_many
    for number, ref in enumerate(expanded.inputs, start=1):
        for item in read_items(ref, settings, stdin):
            if isinstance(item, InputFailure):
                _reject(store, report, item)
                continue
            try:
                outcome = ingest_item(item, store, settings, options, identify)
            except InputError as exc:
                if exc.input_name is None:
                    exc.input_name = item.locator
                _reject(store, report, InputFailure(item.locator, exc))
                continue
            report.add(outcome)
        report.bytes_read += ref.size
        if on_progress:
            on_progress(_progress(report, number, len(expanded.inputs), total_bytes))
    report.seconds = time.perf_counter() - started
    return report


def _progress(report: IngestReport, done: int, total: int, total_bytes: int) -> Progress:
    c = report.counts
    return Progress(
        inputs_done=done,
        inputs_total=total,
        bytes_done=report.bytes_read,
        bytes_total=total_bytes,
        documents=c["new"] + c["copy"] + c["duplicate"] + c["unchanged"],
        rejected=c["rejected"],
    )


def _reject(store: Store, report: IngestReport, failure: InputFailure) -> None:
    with store.transaction():
        store.record_rejection(failure.locator, failure.error)
    report.add(
        Outcome(
            failure.locator,
            Status.REJECTED,
            error_code=failure.error.code,
            message=failure.error.one_line(),
        )
    )


# --- one document ---------------------------------------------------------------------


def segment_item(item: RawItem, settings: Settings) -> Segmented:
    """The segment stage: stored text and typed blocks for one raw item."""
    if item.format is InputFormat.HTML:
        return segment_html(
            item.text, url=item.url, keep_dropped=settings.keep_dropped, locator=item.locator
        )
    if item.format is InputFormat.ARTICLE:
        return _segment_article(item)
    return segment_plain_text(item.text)


def _segment_article(item: RawItem) -> Segmented:
    """An extracted article record: title and dek from its metadata, body by the text
    rules (which still find captions, credits and glued related links)."""
    head: list[tuple[BlockKind, str, str]] = []
    if item.title:
        head.append((BlockKind.TITLE, item.title.strip(), "title (record metadata)"))
    body_text = item.text.strip("\n")
    if item.description and dedup.normalise(item.description) not in dedup.normalise(body_text):
        head.append((BlockKind.DEK, item.description.strip(), "description (record metadata)"))
    prefix = ""
    blocks: list[Block] = []
    for kind, text, note in head:
        start = len(prefix)
        prefix += text + "\n\n"
        blocks.append(Block(kind, start, start + len(text), note=note))
    body = segment_plain_text(body_text, start_in_body=True)
    shift = len(prefix)
    base = len(blocks)
    for b in body.blocks:
        parent = None if b.parent is None else b.parent + base
        blocks.append(
            dataclasses.replace(b, start=b.start + shift, end=b.end + shift, parent=parent)
        )
    return Segmented(
        text=prefix + body_text,
        blocks=tuple(blocks),
        title=item.title,
        author=item.author or body.author,
        published=body.published,
        source=body.source,
    )


def _languages(blocks: Sequence[Block]) -> list[str]:
    """Languages by share of the document's own words (title and content blocks, main
    language first), then any other language seen in captions, links or widgets."""
    share: Counter[str] = Counter()
    for b in blocks:
        if b.lang != UNDETERMINED and (b.kind.is_content or b.kind is BlockKind.TITLE):
            share[b.lang] += b.end - b.start
    others = {b.lang for b in blocks if b.lang != UNDETERMINED} - set(share)
    return [lang for lang, _ in share.most_common()] + sorted(others)


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _merge_source(
    item: RawItem, seg: Segmented, options: IngestOptions, url: str | None
) -> SourceInfo:
    """Metadata first, then what the text showed, then the URL's host; the user's
    --source / --source-kind override."""
    meta, text = item.source, seg.source
    name = (meta.name if meta else None) or (text.name if text else None)
    domain = (meta.domain if meta else None) or (text.domain if text else None) or _domain(url)
    kind = SourceKind.UNKNOWN
    evidence = []
    for candidate in (meta, text):
        if (
            candidate is not None
            and candidate.kind is not SourceKind.UNKNOWN
            and kind is SourceKind.UNKNOWN
        ):
            kind = candidate.kind
        if candidate is not None and candidate.evidence:
            evidence.append(candidate.evidence)
    if domain and not (meta and meta.domain) and not (text and text.domain):
        evidence.append("URL host")
    if options.source_name:
        name, domain = options.source_name, domain or None
        evidence.append("given on the command line")
    if options.source_kind:
        kind = options.source_kind
    return SourceInfo(name=name, domain=domain, kind=kind, evidence="; ".join(evidence))


def _published(
    item: RawItem, seg: Segmented, options: IngestOptions, url: str | None
) -> PublishedDate:
    for found in (item.published, seg.published, url_date(url), options.published):
        if found is not None and found.value:
            return found
    return PublishedDate.unknown()


def build_document(
    item: RawItem,
    settings: Settings,
    options: IngestOptions,
    identify: Callable[[Sequence[str]], list[str]],
) -> Document:
    seg = segment_item(item, settings)
    if not seg.text.strip() or not seg.blocks:
        raise NoContent("no text to store", input_name=item.locator)
    blocks = assign_languages(seg.text, seg.blocks, identify)
    url = item.url
    digest = dedup.content_hash(seg.text)
    return Document(
        id="d" + digest[:12],
        text=seg.text,
        content_hash=digest,
        blocks=list(blocks),
        locator=item.locator,
        source=_merge_source(item, seg, options, url),
        url=url,
        title=item.title or seg.title,
        author=item.author or seg.author,
        published=_published(item, seg, options, url),
        languages=_languages(blocks),
        encoding=item.encoding,
        input_format=item.format,
        captured=item.captured,
        warnings=list(item.warnings),
    )


def _earlier(a: Document, b: Document) -> bool:
    """Whether ``a`` was published before ``b``. Compared at the precision both have;
    when either date is unknown or they tie, ingest order decides (b came first)."""
    if not (a.published.value and b.published.value):
        return False
    n = min(len(a.published.value), len(b.published.value), 10)
    return a.published.value[:n] < b.published.value[:n]


def find_copy_link(
    doc: Document, own: frozenset[int], store: Store, settings: Settings
) -> tuple[CopyLink | None, Document | None]:
    """The earliest copy ``doc`` (whose shingles are ``own``) repeats, or (None, root)
    when ``doc`` is earlier than the copies it matches and should become their original."""
    if len(own) < dedup.MIN_SHINGLES:
        return None, None
    fps = dedup.fingerprints(own)
    best: tuple[float, Document] | None = None
    for candidate in store.copy_candidates(fps):
        if not dedup.worth_checking(candidate, len(fps), settings.copy_threshold):
            continue
        other = store.get_document(candidate.doc_id)
        theirs = dedup.shingles(dedup.content_text(other.text, other.blocks))
        if len(theirs) < dedup.MIN_SHINGLES:
            continue
        score = dedup.containment(own, theirs)
        if score >= settings.copy_threshold and (best is None or score > best[0]):
            best = (score, other)
    if best is None:
        return None, None
    score, match = best
    root = store.get_document(match.copy.original) if match.copy else match
    if _earlier(doc, root):
        return None, root
    reason = (
        f"containment {score:.2f} of word {dedup.SHINGLE_WORDS}-grams with {match.id}"
        + (f" (a copy of {root.id})" if root.id != match.id else "")
        + "; earliest copy by "
        + ("publication date" if doc.published.value and root.published.value else "ingest order")
    )
    return CopyLink(root.id, round(score, 4), reason), None


def ingest_item(
    item: RawItem,
    store: Store,
    settings: Settings,
    options: IngestOptions,
    identify: Callable[[Sequence[str]], list[str]],
) -> Outcome:
    doc = build_document(item, settings, options, identify)
    with store.transaction():
        existing = store.find_by_hash(doc.content_hash)
        if existing is not None:
            fresh = store.add_sighting(existing, item.locator, item.url)
            store.clear_rejections(item.locator)
            return Outcome(
                item.locator, Status.DUPLICATE if fresh else Status.UNCHANGED, doc_id=existing
            )
        own = dedup.shingles(dedup.content_text(doc.text, doc.blocks))
        link, displaced = find_copy_link(doc, own, store, settings)
        doc.copy = link
        store.insert_document(doc, dedup.fingerprints(own), STAGE_TAG)
        if displaced is not None:
            _become_original(doc, displaced, own, store)
        store.clear_rejections(item.locator)
    return Outcome(
        item.locator,
        Status.COPY if link else Status.NEW,
        doc_id=doc.id,
        copy_of=link.original if link else None,
    )


def _become_original(doc: Document, old_root: Document, own: frozenset[int], store: Store) -> None:
    """``doc`` predates the copies it matched: point them all at it."""
    theirs = dedup.shingles(dedup.content_text(old_root.text, old_root.blocks))
    score = round(dedup.containment(own, theirs), 4)
    store.set_copy(
        old_root.id,
        CopyLink(doc.id, score, f"containment {score:.2f}; {doc.id} was published earlier"),
    )
    for member in store.copies_of(old_root.id):
        if member == doc.id:
            continue
        prior = store.get_document(member)
        assert prior.copy is not None
        store.set_copy(
            member,
            CopyLink(
                doc.id,
                prior.copy.score,
                prior.copy.reason + f"; re-linked to earlier copy {doc.id}",
            ),
        )


__all__ = [
    "DateMethod",
    "IngestOptions",
    "IngestReport",
    "InputRef",
    "Outcome",
    "Progress",
    "Status",
    "ingest",
]
