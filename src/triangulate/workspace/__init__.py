"""The analyst's workspace: read models shared by the web pages and the JSON API
(``read.Workspace``), built on the store's read-only queries (``store/queries.py``) and
full-text search (``store/search.py``). Corrections go through ``link/overrides.py``,
exactly as the CLI's do."""

from __future__ import annotations

from .read import DEFAULT_SIZE, MAX_SIZE, Workspace, page_bounds
from .types import BadParameter, TimelineFilters

__all__ = [
    "DEFAULT_SIZE",
    "MAX_SIZE",
    "BadParameter",
    "TimelineFilters",
    "Workspace",
    "page_bounds",
]
