"""Typed records that flow between stages and into the store.

Records are plain frozen dataclasses so they serialise predictably (``to_dict``) and
stages cannot mutate what an earlier stage produced behind its back.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class BlockKind(enum.StrEnum):
    TITLE = "title"
    DEK = "dek"  # subtitle / standfirst
    HEADING = "heading"  # a further headline or section heading
    BYLINE = "byline"
    DATELINE = "dateline"
    BODY = "body"
    QUOTE = "quote"  # text quoted from another source (e.g. "> " lines on a forum)
    COMMENT = "comment"  # a reader comment; container of its text and quotes
    COMMENT_TEXT = "comment_text"  # a commenter's own words inside a comment
    CAPTION = "caption"
    CREDIT = "credit"  # photo / image credit
    RELATED = "related"  # related-link headline
    BOILERPLATE = "boilerplate"  # widgets, counters, notices, extractor leftovers

    @property
    def is_content(self) -> bool:
        """Blocks whose words are the document's reporting (used for dedup and, later,
        understanding). Captions, links and widgets are kept but are not content."""
        return self in _CONTENT_KINDS


_CONTENT_KINDS = frozenset(
    {BlockKind.DEK, BlockKind.BODY, BlockKind.QUOTE, BlockKind.COMMENT_TEXT, BlockKind.HEADING}
)


class DateMethod(enum.StrEnum):
    METADATA = "metadata"
    TEXT = "text"
    URL = "url"
    GIVEN = "given"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


class Precision(enum.StrEnum):
    SECOND = "second"
    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class SourceKind(enum.StrEnum):
    NEWS = "news"
    WIRE = "wire"
    AGGREGATOR = "aggregator"
    FORUM = "forum"
    BLOG = "blog"
    OFFICIAL = "official"
    SOCIAL = "social"
    UNKNOWN = "unknown"


class InputFormat(enum.StrEnum):
    TEXT = "text"  # a plain-text capture, segmented by rules
    HTML = "html"  # a web page, main text by trafilatura
    ARTICLE = "article"  # an already-extracted article record (JSON): text + metadata


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)  # sorted: stable JSON
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    def to_dict(self) -> dict[str, Any]:
        out = _plain(self)
        assert isinstance(out, dict)
        return out


@dataclass(frozen=True, slots=True)
class PublishedDate(Record):
    """When a document was published, and how we know."""

    value: str | None  # ISO 8601 (date or datetime); None when unknown
    precision: Precision | None
    method: DateMethod
    evidence: str = ""  # e.g. "meta article:published_time", "URL path /2025/06/30/"

    @classmethod
    def unknown(cls) -> PublishedDate:
        return cls(None, None, DateMethod.UNKNOWN, "")


@dataclass(frozen=True, slots=True)
class SourceInfo(Record):
    """Who published a document. ``evidence`` says where each part came from."""

    name: str | None = None
    domain: str | None = None
    kind: SourceKind = SourceKind.UNKNOWN
    evidence: str = ""

    @property
    def key(self) -> str:
        # Sources without a name or domain are pooled by kind only, so that one
        # anonymous forum capture does not lend its kind to an anonymous news capture.
        return (self.domain or self.name or f"unknown/{self.kind.value}").lower()


@dataclass(frozen=True, slots=True)
class RawItem(Record):
    """One document's worth of input, before segmentation.

    Readers (files, feeds, WARC, JSON, URLs) produce these. ``text`` is already decoded;
    ``encoding`` records what the decoder found. Metadata fields are hints: the pipeline
    fills gaps from the text itself.
    """

    locator: str  # input name, plus "#N" / ":LINE" for records inside a container
    text: str
    format: InputFormat
    encoding: str = "utf-8"
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: PublishedDate | None = None
    source: SourceInfo | None = None
    description: str | None = None  # a dek from metadata
    captured: str | None = None  # when a capture was taken (WARC-Date, download time)
    language_hint: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Block(Record):
    """A typed span of a document's stored text. Offsets are character offsets, end
    exclusive. ``parent`` is the index of an enclosing block (quotes inside a comment)."""

    kind: BlockKind
    start: int
    end: int
    lang: str = "und"
    parent: int | None = None
    number: int | None = None  # comment number
    author: str | None = None  # byline or comment author
    note: str = ""  # why this kind was chosen (provenance)
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Segmented(Record):
    """What the segmenter returns: stored text, blocks, and facts found on the way."""

    text: str
    blocks: tuple[Block, ...]
    title: str | None = None
    author: str | None = None
    published: PublishedDate | None = None
    source: SourceInfo | None = None


@dataclass(frozen=True, slots=True)
class CopyLink(Record):
    """A near-duplicate or repost link to the earliest known copy."""

    original: str  # document id of the earliest copy
    score: float  # containment of the smaller text in the larger
    reason: str


@dataclass(slots=True)
class Document(Record):
    id: str
    text: str
    content_hash: str
    blocks: list[Block]
    locator: str
    source: SourceInfo = field(default_factory=SourceInfo)
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: PublishedDate = field(default_factory=PublishedDate.unknown)
    languages: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    input_format: InputFormat = InputFormat.TEXT
    captured: str | None = None
    copy: CopyLink | None = None
    warnings: list[str] = field(default_factory=list)
    seq: int | None = None  # ingest order, assigned by the store

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


def from_dict(cls: type[Any], data: Any) -> Any:
    """Rebuild a record (nested records, enums, tuples, optionals) from ``to_dict`` output."""
    convert: Callable[[Any], Any] = _converter(cls)  # type: ignore[arg-type]
    return convert(data)


def _same(value: Any) -> Any:
    return value


@functools.cache
def _converter(tp: Any) -> Callable[[Any], Any]:
    """The function that rebuilds a value of type ``tp``, made once per type: reading
    stored analyses back builds hundreds of thousands of small records, and working out
    what to do from the annotation for every value was most of that cost."""
    import types
    import typing

    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _converter(options[0]) if len(options) == 1 else _same
        return lambda v: None if v is None else inner(v)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            return lambda v: None if v is None else tuple(item(x) for x in v)
        items = [_converter(a) for a in args]
        return lambda v: None if v is None else tuple(f(x) for f, x in zip(items, v, strict=True))
    if origin is list:
        (arg,) = typing.get_args(tp)
        item = _converter(arg)
        return lambda v: None if v is None else [item(x) for x in v]
    if origin in (frozenset, set):
        (arg,) = typing.get_args(tp)
        item, kind = _converter(arg), origin
        return lambda v: None if v is None else kind(item(x) for x in v)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        enum_type = tp
        return lambda v: None if v is None else enum_type(v)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        record = tp
        # Filled on first use, not here: a record type may contain itself.
        fields: list[tuple[str, Callable[[Any], Any]]] = []

        def build(v: Any) -> Any:
            if v is None:
                return None
            if not fields:
                fields.extend((name, _converter(hint)) for name, hint in _fields(record))
            return record(**{name: f(v[name]) for name, f in fields if name in v})

        return build
    return _same


@functools.cache
def _fields(tp: type[Any]) -> tuple[tuple[str, Any], ...]:
    """A record class's fields with their resolved types. Resolving the annotations
    (strings under ``from __future__ import annotations``) compiles and evaluates each one;
    done per record that was most of the cost of reading stored analyses back."""
    import typing

    hints = typing.get_type_hints(tp)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(tp))
