"""The store interface. SQLite implements it today; a PostgreSQL backend implements the
same methods later, so nothing above this layer writes SQL."""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from ..dedup import Candidate
from ..errors import InputError
from ..records import CopyLink, Document, PublishedDate, Record, SourceInfo
from ..understand.types import DocumentAnalysis


@dataclass(frozen=True, slots=True)
class DocumentSummary(Record):
    id: str
    seq: int
    title: str | None
    source: SourceInfo
    url: str | None
    published: PublishedDate
    languages: list[str]
    copy_of: str | None
    copy_score: float | None
    blocks: int
    locator: str
    input_format: str


@dataclass(frozen=True, slots=True)
class Rejection(Record):
    locator: str
    code: str
    message: str
    first_seen: str


@dataclass(frozen=True, slots=True)
class StoreCounts(Record):
    documents: int
    originals: int  # documents that are not copies of another
    sources: int
    blocks: int
    sightings: int
    rejections: int


@dataclass(frozen=True, slots=True)
class EntitySummary(Record):
    key: str
    name: str  # the most frequent canonical form
    type: str
    mentions: int
    documents: int
    aliases: list[str]  # every canonical form and surface text seen, across scripts


class Store(abc.ABC):
    """One writer at a time; every document is written inside one ``transaction()``."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing (inside a transaction) ----------------------------------------
    @abc.abstractmethod
    def insert_document(self, doc: Document, fingerprints: Sequence[int], stage: str) -> int:
        """Store a new document with its blocks, fingerprints and first sighting;
        returns its ingest sequence number."""

    @abc.abstractmethod
    def add_sighting(self, doc_id: str, locator: str, url: str | None) -> bool:
        """Record that ``doc_id`` was seen at ``locator``; False when already known."""

    @abc.abstractmethod
    def set_copy(self, doc_id: str, link: CopyLink | None) -> None: ...

    @abc.abstractmethod
    def record_rejection(self, locator: str, error: InputError) -> None: ...

    @abc.abstractmethod
    def clear_rejections(self, locator: str) -> None: ...

    # --- reading ------------------------------------------------------------------
    @abc.abstractmethod
    def find_by_hash(self, content_hash: str) -> str | None: ...

    @abc.abstractmethod
    def copy_candidates(self, fingerprints: Sequence[int]) -> list[Candidate]: ...

    @abc.abstractmethod
    def copies_of(self, doc_id: str) -> list[str]: ...

    @abc.abstractmethod
    def get_document(self, ref: str) -> Document:
        """By id or unique id prefix; raises NotFound."""

    @abc.abstractmethod
    def list_documents(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        language: str | None = None,
        source: str | None = None,
        originals_only: bool = False,
    ) -> list[DocumentSummary]: ...

    @abc.abstractmethod
    def iter_documents(self) -> Iterator[Document]: ...

    @abc.abstractmethod
    def rejections(self) -> list[Rejection]: ...

    @abc.abstractmethod
    def counts(self) -> StoreCounts: ...

    # --- understanding -------------------------------------------------------------
    @abc.abstractmethod
    def save_analysis(self, analysis: DocumentAnalysis) -> None:
        """Replace a document's understanding rows (inside a transaction)."""

    @abc.abstractmethod
    def get_analysis(self, doc_id: str) -> DocumentAnalysis | None: ...

    @abc.abstractmethod
    def unanalysed(self, stage: str) -> list[str]:
        """Documents never analysed, or analysed by another stage version."""

    @abc.abstractmethod
    def entity_summary(
        self, *, type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[EntitySummary]: ...

    @abc.abstractmethod
    def check_integrity(self) -> list[str]:
        """Problems found (empty when consistent): engine checks plus our invariants."""
