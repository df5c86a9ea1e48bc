"""The JSON API: every page's twin under /api, in one envelope, paged with ``page`` and
``size``. Corrections call the same library functions as the CLI (link/overrides.py)."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from .. import __version__
from ..link.overrides import correct_entity, merge_events, split_event
from ..workspace import DEFAULT_SIZE, MAX_SIZE, TimelineFilters
from ..workspace.types import Paged, PageInfo
from .app import API_PREFIX, AppContext, context


class PageModel(BaseModel):
    number: int = Field(description="this page, from 1")
    size: int = Field(description="items per page")
    total: int = Field(description="items matching the query over all pages")


class OkEnvelope(BaseModel):
    ok: Literal[True]
    data: Any
    page: PageModel | None = None


class ErrorBody(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. not-found")
    message: str


class ErrorEnvelope(BaseModel):
    ok: Literal[False]
    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": why}
    for status, why in (
        (400, "bad parameter"),
        (404, "unknown id"),
        (422, "invalid parameter"),
    )
}
CHANGE_ERRORS: dict[int | str, dict[str, Any]] = ERRORS | {
    401: {"model": ErrorEnvelope, "description": "token required (server bound off loopback)"},
    403: {"model": ErrorEnvelope, "description": "cross-site request refused"},
    409: {"model": ErrorEnvelope, "description": "correction cannot be applied"},
    415: {"model": ErrorEnvelope, "description": "body is not JSON"},
}

router = APIRouter(prefix=API_PREFIX, tags=["workspace"])
Ctx = Annotated[AppContext, Depends(context)]
PageNo = Annotated[int, Query(ge=1, description="page number, from 1")]
Size = Annotated[int, Query(ge=1, le=MAX_SIZE, description=f"items per page (1-{MAX_SIZE})")]
DateQ = Annotated[str | None, Query(description="ISO date: YYYY-MM-DD, YYYY-MM or YYYY")]


def _plain(value: Any) -> Any:
    """``json.dumps`` hook: records become dicts of their fields one level at a time, so
    the C encoder walks the lists and strings (much cheaper than ``Record.to_dict``'s
    recursion on a page of events); str enums are strings already."""
    names = _FIELDS.get(type(value))
    if names is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            if isinstance(value, (set, frozenset)):
                return sorted(value, key=repr)
            raise TypeError(f"cannot encode {type(value).__name__} as JSON")
        names = _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    return {name: getattr(value, name) for name in names}


_FIELDS: dict[type, tuple[str, ...]] = {}


def ok(data: Any, page: PageInfo | None = None) -> Response:
    body = {"ok": True, "data": data, "page": None if page is None else page.to_dict()}
    text = json.dumps(body, default=_plain, ensure_ascii=False, separators=(",", ":"))
    return Response(text.encode("utf-8"), media_type="application/json")


def paged(value: Paged[Any]) -> Response:
    return ok(value.items, value.page)


@router.get("/health", response_model=OkEnvelope, summary="Server and store status")
def health(ctx: Ctx) -> Response:
    """As cheap as a request can be (load tests use it as the floor): one indexed read
    proves the store answers."""
    ws = ctx.read()
    last = ws.store.conn.execute("SELECT MAX(seq) FROM documents").fetchone()[0]
    return ok({"status": "ok", "version": __version__, "last_document_seq": last or 0})


@router.get(
    "/timeline", response_model=OkEnvelope, responses=ERRORS, summary="Events in time order"
)
def timeline(
    ctx: Ctx,
    story: Annotated[str | None, Query(description="story id, e.g. story-000001")] = None,
    entity: Annotated[int | None, Query(description="entity id named in the event")] = None,
    type: Annotated[str | None, Query(description="event type, e.g. arrest")] = None,
    source: Annotated[str | None, Query(description="source id or key (domain)")] = None,
    lang: Annotated[str | None, Query(description="main language of a reporting document")] = None,
    date_from: DateQ = None,
    date_to: DateQ = None,
    page: PageNo = 1,
    size: Size = DEFAULT_SIZE,
) -> Response:
    """Each item carries its date span (start/end from the date and its precision), the
    independent sources behind it (corroboration), whether sources conflict, and the
    stance of its members toward it."""
    filters = TimelineFilters(story, entity, type, source, lang, date_from, date_to)
    return paged(ctx.read().timeline(filters, page, size))


@router.get("/stories", response_model=OkEnvelope, responses=ERRORS, summary="Stories")
def stories(ctx: Ctx, page: PageNo = 1, size: Size = DEFAULT_SIZE) -> Response:
    return paged(ctx.read().stories(page, size))


@router.get("/events/{event_id}", response_model=OkEnvelope, responses=ERRORS, summary="One event")
def event(ctx: Ctx, event_id: int) -> Response:
    """The claims ledger as properties × sources with the evidence of every value,
    conflicts, summaries (consensus, range, conservative figure), members, attribution
    chains, stance per source, and independent vs total sources."""
    return ok(ctx.read().event(event_id))


class MergeEvents(BaseModel):
    other: int = Field(description="event whose incidents move into this one")


class SplitEvent(BaseModel):
    doc: str = Field(description="document id of the incident to take out")
    incident: int = Field(ge=0, description="incident index within that document")


@router.post(
    "/events/{event_id}/merge",
    response_model=OkEnvelope,
    responses=CHANGE_ERRORS,
    summary="Merge another event into this one",
)
def event_merge(ctx: Ctx, event_id: int, body: MergeEvents) -> Response:
    with ctx.write() as store:
        kept = merge_events(store, event_id, body.other)
    return ok({"event_id": kept, "merged": body.other})


@router.post(
    "/events/{event_id}/split",
    response_model=OkEnvelope,
    responses=CHANGE_ERRORS,
    summary="Split one document's incident out into a new event",
)
def event_split(ctx: Ctx, event_id: int, body: SplitEvent) -> Response:
    with ctx.write() as store:
        new = split_event(store, event_id, body.doc, body.incident)
    return ok({"event_id": event_id, "new_event_id": new})


@router.get("/entities", response_model=OkEnvelope, responses=ERRORS, summary="Entities")
def entities(
    ctx: Ctx,
    type: Annotated[str | None, Query(description="PER, ORG, LOC, ...")] = None,
    q: Annotated[str | None, Query(description="part of the name")] = None,
    page: PageNo = 1,
    size: Size = DEFAULT_SIZE,
) -> Response:
    return paged(ctx.read().entities(type, q, page, size))


@router.get(
    "/entities/{entity_id}", response_model=OkEnvelope, responses=ERRORS, summary="One entity"
)
def entity(ctx: Ctx, entity_id: int, page: PageNo = 1, size: Size = DEFAULT_SIZE) -> Response:
    """Aliases across scripts, its events over time (paged), and the entities named with
    it as graph nodes and edges."""
    detail = ctx.read().entity(entity_id, page, size)
    data = _plain(detail) | {"events": detail.events.items}
    return ok(data, detail.events.page)


class MergeEntity(BaseModel):
    into: int = Field(description="entity that absorbs this one")


class SplitEntity(BaseModel):
    keys: list[str] = Field(min_length=1, description="mention keys moved to a new entity")
    name: str | None = Field(default=None, description="name of the new entity")


class RenameEntity(BaseModel):
    name: str = Field(min_length=1, max_length=300)


def _correct(ctx: AppContext, action: str, entity_id: int, **args: Any) -> Response:
    with ctx.write() as store:
        result = correct_entity(store, action, entity_id, **args)
    return ok({"action": action, "entity_id": entity_id, "result": result})


@router.post(
    "/entities/{entity_id}/merge",
    response_model=OkEnvelope,
    responses=CHANGE_ERRORS,
    summary="Merge this entity into another",
)
def entity_merge(ctx: Ctx, entity_id: int, body: MergeEntity) -> Response:
    return _correct(ctx, "merge", entity_id, into=body.into)


@router.post(
    "/entities/{entity_id}/split",
    response_model=OkEnvelope,
    responses=CHANGE_ERRORS,
    summary="Move some mention keys to a new entity",
)
def entity_split(ctx: Ctx, entity_id: int, body: SplitEntity) -> Response:
    return _correct(ctx, "split", entity_id, keys=body.keys, name=body.name)


@router.post(
    "/entities/{entity_id}/rename",
    response_model=OkEnvelope,
    responses=CHANGE_ERRORS,
    summary="Rename an entity",
)
def entity_rename(ctx: Ctx, entity_id: int, body: RenameEntity) -> Response:
    return _correct(ctx, "rename", entity_id, name=body.name.strip())


@router.post(
    "/entities/{entity_id}/delete",
    response_model=OkEnvelope,
    responses=CHANGE_ERRORS,
    summary="Hide a false entity",
)
def entity_delete(ctx: Ctx, entity_id: int) -> Response:
    return _correct(ctx, "delete", entity_id)


@router.get("/sources", response_model=OkEnvelope, responses=ERRORS, summary="Sources")
def sources(ctx: Ctx, page: PageNo = 1, size: Size = DEFAULT_SIZE) -> Response:
    return paged(ctx.read().sources(page, size))


@router.get(
    "/sources/{source_id}", response_model=OkEnvelope, responses=ERRORS, summary="One source"
)
def source(ctx: Ctx, source_id: str, page: PageNo = 1, size: Size = DEFAULT_SIZE) -> Response:
    """Its documents (paged), languages, own voice vs quoting, how often its figures are
    outliers, and the loaded-language share when the analysis measures it."""
    detail = ctx.read().source(source_id, page, size)
    data = _plain(detail) | {"documents": detail.documents.items}
    return ok(data, detail.documents.page)


@router.get(
    "/documents/{doc_id}", response_model=OkEnvelope, responses=ERRORS, summary="One document"
)
def document(
    ctx: Ctx,
    doc_id: str,
    hl_start: Annotated[int | None, Query(ge=0, description="evidence start offset")] = None,
    hl_end: Annotated[int | None, Query(ge=0, description="evidence end offset")] = None,
) -> Response:
    """Blocks with kinds and languages as text runs marked with entities, events and the
    highlighted evidence span."""
    hl = (hl_start, hl_end) if hl_start is not None and hl_end is not None else None
    return ok(ctx.read().document(doc_id, hl))


@router.get("/search", response_model=OkEnvelope, responses=ERRORS, summary="Full-text search")
def search(
    ctx: Ctx,
    q: Annotated[str, Query(min_length=1, max_length=400, description='words and "phrases"')],
    entity: Annotated[int | None, Query(description="only documents naming this entity")] = None,
    date_from: DateQ = None,
    date_to: DateQ = None,
    page: PageNo = 1,
    size: Size = 20,
) -> Response:
    """Documents matching every word (words of 3+ letters also as prefixes), best first;
    dates filter on the publication date."""
    result = ctx.read().search(
        q, entity=entity, date_from=date_from, date_to=date_to, page=page, size=size
    )
    return paged(result)
