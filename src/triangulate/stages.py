"""The registry of named, versioned stages.

Each stage says what it requires and what it provides; ``check_order`` refuses an order
in which a stage runs before what it needs exists, before any document is touched. The
stage name and version are written next to what a stage produced (provenance), so a
record can always be traced to the code that made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import StageOrderError


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    version: int
    requires: frozenset[str]
    provides: frozenset[str]
    doc: str

    @property
    def tag(self) -> str:
        return f"{self.name}@{self.version}"


REGISTRY: dict[str, Stage] = {}


def register(stage: Stage) -> Stage:
    if stage.name in REGISTRY:
        raise StageOrderError(f"stage {stage.name!r} registered twice")
    REGISTRY[stage.name] = stage
    return stage


READ = register(
    Stage(
        "read", 1, frozenset(), frozenset({"raw"}), "bytes -> decoded raw items with metadata hints"
    )
)
SEGMENT = register(
    Stage(
        "segment",
        1,
        frozenset({"raw"}),
        frozenset({"text", "blocks", "published", "source"}),
        "typed blocks with offsets; publication date and source from the text",
    )
)
LANGUAGE = register(
    Stage(
        "language", 1, frozenset({"text", "blocks"}), frozenset({"languages"}), "language per block"
    )
)
DEDUP = register(
    Stage(
        "dedup",
        1,
        frozenset({"text", "blocks", "published"}),
        frozenset({"content_hash", "copy"}),
        "exact duplicates and repost links to the earliest copy",
    )
)
STORE = register(
    Stage(
        "store",
        1,
        frozenset({"text", "blocks", "languages", "content_hash", "copy", "source"}),
        frozenset({"stored"}),
        "one transaction per document",
    )
)

INGEST_ORDER: tuple[str, ...] = ("read", "segment", "language", "dedup", "store")


def check_order(names: Sequence[str]) -> list[Stage]:
    available: set[str] = set()
    stages = []
    for name in names:
        stage = REGISTRY.get(name)
        if stage is None:
            raise StageOrderError(f"unknown stage {name!r}")
        missing = stage.requires - available
        if missing:
            raise StageOrderError(
                f"stage {name!r} needs {sorted(missing)} which no earlier stage provides"
            )
        available |= stage.provides
        stages.append(stage)
    return stages


def provenance(names: Sequence[str]) -> str:
    return " ".join(REGISTRY[n].tag for n in names)
