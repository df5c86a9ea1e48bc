"""The HTML pages: server-rendered, usable without JavaScript. Each has a JSON twin in
api.py built from the same workspace call. Corrections are forms that post with the
session's CSRF token and go through link/overrides.py, as the CLI's do."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..link.overrides import correct_entity, merge_events, split_event
from ..workspace import DEFAULT_SIZE, BadParameter, TimelineFilters
from .app import AppContext, context
from .render import chart
from .security import CSRF_COOKIE, CSRF_FIELD, TOKEN_COOKIE, new_token, same

router = APIRouter(include_in_schema=False)
Ctx = Annotated[AppContext, Depends(context)]
CsrfField = Annotated[str, Form(alias=CSRF_FIELD)]
_RANGE = re.compile(r"^(\d+)-(\d+)$")


def _opt(value: str | None) -> str | None:
    """Form fields arrive as empty strings when left blank."""
    value = (value or "").strip()
    return value or None


def _int(value: str | None, name: str) -> int | None:
    value = _opt(value)
    if value is None:
        return None
    if not value.lstrip("-").isdigit():
        raise BadParameter(f"{name} {value!r} is not a whole number")
    return int(value)


def _page(value: str | None, name: str = "page", default: int = 1) -> int:
    got = _int(value, name)
    return default if got is None else got


def render(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    ctx = context(request)
    token = request.cookies.get(CSRF_COOKIE)
    fresh = not token
    if fresh:
        token = new_token()
    response = ctx.templates.TemplateResponse(
        request,
        template,
        {
            **data,
            "csrf": token,
            "needs_login": ctx.guard.token is not None
            and not same(request.cookies.get(TOKEN_COOKIE), ctx.guard.token),
        },
        status_code=status,
    )
    if fresh:
        # SameSite=Strict: the cookie never rides along on a request another site starts.
        response.set_cookie(CSRF_COOKIE, str(token), httponly=True, samesite="strict", path="/")
    return response


def check_csrf(request: Request, token: str) -> None:
    if not same(token, request.cookies.get(CSRF_COOKIE)):
        raise StarletteHTTPException(
            403, "the form's CSRF token is missing or stale: reload the page and try again"
        )


def _back(url: str) -> RedirectResponse:
    # 303: the browser follows with a GET, so reloading the result does not post again.
    return RedirectResponse(url, status_code=303)


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@router.get("/")
def timeline_page(
    request: Request,
    ctx: Ctx,
    story: str | None = None,
    entity: str | None = None,
    type: str | None = None,
    source: str | None = None,
    lang: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    page: str | None = None,
    size: str | None = None,
) -> Response:
    filters = TimelineFilters(
        _opt(story), _int(entity, "entity"), _opt(type), _opt(source), _opt(lang),
        _opt(date_from), _opt(date_to),
    )  # fmt: skip
    number, per = _page(page), _page(size, "size", 100)
    result = ctx.read().timeline(filters, number, per)
    base = _query(**{k: v for k, v in filters.to_dict().items()}, size=per)
    return render(
        request,
        "timeline.html",
        {
            "filters": filters,
            "result": result,
            "chart": chart(result.items),
            "choices": ctx.choices(),
            "base_query": base,
            "api_url": "/api/timeline?" + _query(**filters.to_dict(), page=number, size=per),
        },
    )


@router.get("/stories")
def stories_page(request: Request, ctx: Ctx, page: str | None = None) -> Response:
    result = ctx.read().stories(_page(page), DEFAULT_SIZE)
    return render(request, "stories.html", {"result": result, "base_query": ""})


@router.get("/events/{event_id}")
def event_page(request: Request, ctx: Ctx, event_id: int) -> Response:
    detail = ctx.read().event(event_id)
    return render(
        request, "event.html", {"ev": detail, "message": request.query_params.get("done")}
    )


@router.post("/events/{event_id}/merge")
def event_merge(
    request: Request,
    ctx: Ctx,
    event_id: int,
    csrf: CsrfField,
    other: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    other_id = _int(other, "other event")
    if other_id is None:
        raise BadParameter("give the number of the event to merge into this one")
    with ctx.write() as store:
        kept = merge_events(store, event_id, other_id)
    return _back(f"/events/{kept}?" + _query(done=f"merged event {other_id} into {kept}"))


@router.post("/events/{event_id}/split")
def event_split(
    request: Request,
    ctx: Ctx,
    event_id: int,
    csrf: CsrfField,
    doc: Annotated[str, Form()],
    incident: Annotated[int, Form()],
) -> Response:
    check_csrf(request, csrf)
    with ctx.write() as store:
        new = split_event(store, event_id, doc, incident)
    return _back(
        f"/events/{event_id}?" + _query(done=f"split incident {incident} of {doc} into event {new}")
    )


@router.get("/entities")
def entities_page(
    request: Request,
    ctx: Ctx,
    type: str | None = None,
    q: str | None = None,
    page: str | None = None,
) -> Response:
    result = ctx.read().entities(_opt(type), _opt(q), _page(page), DEFAULT_SIZE)
    return render(
        request,
        "entities.html",
        {"result": result, "type": _opt(type), "q": _opt(q), "base_query": _query(type=type, q=q)},
    )


@router.get("/entities/{entity_id}")
def entity_page(request: Request, ctx: Ctx, entity_id: int, page: str | None = None) -> Response:
    detail = ctx.read().entity(entity_id, _page(page), DEFAULT_SIZE)
    return render(
        request,
        "entity.html",
        {"en": detail, "message": request.query_params.get("done"), "base_query": ""},
    )


@router.post("/entities/{entity_id}/{action}")
async def entity_correct(request: Request, ctx: Ctx, entity_id: int, action: str) -> Response:
    # Async only to read the form (which carries a list of keys for a split); the store
    # work runs in a worker thread like every other page.
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    args: dict[str, Any] = {}
    if action == "merge":
        into = _int(str(form.get("into") or ""), "into")
        if into is None:
            raise BadParameter("give the number of the entity to merge this one into")
        args["into"] = into
    elif action == "split":
        keys = [str(k) for k in form.getlist("keys") if str(k)]
        if not keys:
            raise BadParameter("tick the mention keys to move to a new entity")
        args = {"keys": keys, "name": _opt(str(form.get("name") or ""))}
    elif action == "rename":
        name = _opt(str(form.get("name") or ""))
        if name is None:
            raise BadParameter("give the new name")
        args["name"] = name
    elif action == "delete":
        if form.get("confirm") != "yes":
            raise BadParameter("tick 'yes, hide it' to delete the entity")
    else:
        raise StarletteHTTPException(404, f"no entity correction {action!r}")

    def apply() -> int | None:
        with ctx.write() as store:
            return correct_entity(store, action, entity_id, **args)

    result = await run_in_threadpool(apply)
    target = result if action in ("merge", "split") and result is not None else entity_id
    return _back(f"/entities/{target}?" + _query(done=f"{action}: entity {entity_id} -> {result}"))


@router.get("/sources")
def sources_page(request: Request, ctx: Ctx, page: str | None = None) -> Response:
    result = ctx.read().sources(_page(page), DEFAULT_SIZE)
    return render(request, "sources.html", {"result": result, "base_query": ""})


@router.get("/sources/{source_id}")
def source_page(request: Request, ctx: Ctx, source_id: str, page: str | None = None) -> Response:
    detail = ctx.read().source(source_id, _page(page), DEFAULT_SIZE)
    return render(request, "source.html", {"src": detail, "base_query": ""})


@router.get("/documents/{doc_id}")
def document_page(request: Request, ctx: Ctx, doc_id: str, hl: str | None = None) -> Response:
    highlight = None
    if _opt(hl):
        m = _RANGE.match(str(hl).strip())
        if not m:
            raise BadParameter(f"hl {hl!r} is not START-END character offsets")
        highlight = (int(m.group(1)), int(m.group(2)))
    view = ctx.read().document(doc_id, highlight)
    return render(request, "document.html", {"doc": view})


@router.get("/search")
def search_page(
    request: Request,
    ctx: Ctx,
    q: str | None = None,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    page: str | None = None,
) -> Response:
    query = _opt(q)
    result = None
    if query:
        result = ctx.read().search(
            query,
            entity=_int(entity, "entity"),
            date_from=_opt(date_from),
            date_to=_opt(date_to),
            page=_page(page),
            size=20,
        )
    return render(
        request,
        "search.html",
        {
            "q": query or "",
            "entity": _opt(entity) or "",
            "date_from": _opt(date_from) or "",
            "date_to": _opt(date_to) or "",
            "result": result,
            "base_query": _query(q=query, entity=entity, date_from=date_from, date_to=date_to),
        },
    )


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", {"failed": False})


@router.post("/login")
def login(request: Request, ctx: Ctx, csrf: CsrfField, token: Annotated[str, Form()]) -> Response:
    check_csrf(request, csrf)
    if ctx.guard.token is None or not same(token.strip(), ctx.guard.token):
        return render(request, "login.html", {"failed": True}, status=401)
    response = _back("/")
    response.set_cookie(TOKEN_COOKIE, token.strip(), httponly=True, samesite="strict", path="/")
    return response
