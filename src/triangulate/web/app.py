"""The app factory: one FastAPI app serving the HTML pages and their JSON twins under
/api, over one SQLite store.

Reads use one read-only connection per worker thread (SQLite connections stay in their
thread); a correction opens a read-write store under a lock, because SQLite has one
writer at a time and corrections are rare.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import (
    CorrectionError,
    InputError,
    NotFound,
    SettingError,
    TriangulateError,
)
from ..store.search import SearchQueryError
from ..store.sqlite import SQLiteStore
from ..workspace import BadParameter, Workspace
from ..workspace.types import FilterChoices
from .security import (
    SECURITY_HEADERS,
    TOKEN_COOKIE,
    TOKEN_HEADER,
    Guard,
    bearer,
    json_for_script,
    new_token,
    safe_url,
)

API_PREFIX = "/api"
# The filter menus list every story, type and language: cached briefly so a page view
# does not recount them on a large store, short enough that new data shows up soon.
CHOICES_TTL_S = 30.0

_STATUS_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-parameter",
}


def status_of(exc: TriangulateError) -> int:
    """HTTP status of a named error: unknown ids are 404, bad parameters and refused
    corrections are the client's to fix, anything else is the server's fault."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, CorrectionError):
        return 409
    if isinstance(exc, (BadParameter, SearchQueryError, InputError, SettingError)):
        return 400
    return 500


@dataclass
class AppContext:
    db_path: str
    guard: Guard
    templates: Jinja2Templates
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)
    _choices: tuple[float, FilterChoices] | None = None

    def read(self) -> Workspace:
        """This thread's read-only workspace."""
        ws: Workspace | None = getattr(self._local, "ws", None)
        if ws is None:
            store = SQLiteStore(self.db_path, readonly=True)
            ws = Workspace(store)
            self._local.ws = ws
        return ws

    @contextmanager
    def write(self) -> Iterator[SQLiteStore]:
        with self.write_lock:
            store = SQLiteStore(self.db_path)
            try:
                yield store
            finally:
                store.close()
        self._choices = None

    def choices(self) -> FilterChoices:
        now = time.monotonic()
        if self._choices is None or now - self._choices[0] > CHOICES_TTL_S:
            self._choices = (now, self.read().choices())
        return self._choices[1]


def context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def is_api(request: Request) -> bool:
    path = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def envelope_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error": {"code": code, "message": message}}, status_code=status
    )


def _error_response(request: Request, status: int, code: str, message: str) -> Response:
    if is_api(request):
        return envelope_error(status, code, message)
    ctx = context(request)
    return ctx.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "csrf": ""},
        status_code=status,
    )


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


# Requests served at once (see lifespan in create_app).
WORKER_THREADS = 4


def create_app(
    db_path: str | os.PathLike[str],
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
) -> FastAPI:
    """The workspace over the store at ``db_path`` (which must exist; pending migrations,
    such as the search index, are applied first). ``host`` is the address the server is
    bound to: off loopback a token is required for every change, generated when none is
    given (read it from ``app.state.ctx.guard.token``)."""
    path = Path(db_path)
    if not path.is_file():
        raise NotFound(f"no database at {path} (run `triangulate demo` or `ingest` first)")
    with SQLiteStore(path):
        pass  # applies pending migrations (0005 builds the search index of old stores)
    guard = Guard(host, token or (None if Guard(host, None).loopback else new_token()))

    folder = resources.files("triangulate.web")
    templates = Jinja2Templates(directory=str(folder.joinpath("templates")))
    templates.env.filters["json_script"] = json_for_script
    templates.env.filters["safe_url"] = safe_url
    templates.env.globals["version"] = __version__

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Pages and API calls are synchronous (SQLite) and run in the worker thread
        # pool; with the default 40 threads a burst of requests is interleaved on a
        # couple of cores, so every one of them finishes late. A few threads queue the
        # rest instead (measured by `triangulate bench load`).
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Triangulate workspace API",
        version=__version__,
        description=(
            "JSON twin of every page of the analyst's workspace. Every response is one "
            'envelope: `{"ok": true, "data": ..., "page": {"number", "size", "total"} | null}` '
            'or `{"ok": false, "error": {"code", "message"}}` with the HTTP status. Lists '
            "take `page` (from 1) and `size`. POST requests change the store (stored as "
            "overrides that survive re-analysis); they need `Content-Type: application/json`, "
            "must not come from another site, and need the server's token when it is bound "
            "to a network address (`Authorization: Bearer TOKEN` or `X-Triangulate-Token`)."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN: neither offline nor CSP-safe
        redoc_url=None,
    )
    app.state.ctx = AppContext(str(path), guard, templates)
    app.mount("/static", StaticFiles(directory=str(folder.joinpath("static"))), name="static")

    app.add_middleware(GuardMiddleware, guard=guard)

    @app.exception_handler(TriangulateError)
    async def named_error(request: Request, exc: TriangulateError) -> Response:
        return _error_response(request, status_of(exc), exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request, 422, "invalid-parameter", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "error")
        return _error_response(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        # The message names the failure's type only: a traceback or SQL could leak paths.
        return _error_response(request, 500, "internal", f"internal error ({type(exc).__name__})")

    from .api import router as api_router
    from .pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    return app


class GuardMiddleware:
    """Plain ASGI middleware (cheaper per request than Starlette's BaseHTTPMiddleware):
    refuses what ``Guard`` refuses before routing, and puts the security headers on every
    response, the server's own error pages included."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        no_store = is_api(request) or request.method != "GET"
        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if no_store and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        refused = _refusal(request, self.guard)
        if refused is not None:
            await refused(scope, receive, with_headers)
            return
        try:
            await self.app(scope, receive, with_headers)
        except Exception as exc:
            if started:
                raise
            # The message names the failure's type only: a traceback could leak paths.
            reply = _error_response(
                request, 500, "internal", f"internal error ({type(exc).__name__})"
            )
            await reply(scope, receive, with_headers)


def _refusal(request: Request, guard: Guard) -> Response | None:
    if not guard.host_allowed(request.headers.get("host")):
        return _plain_error(request, 400, "bad-host", "this server answers to loopback names only")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    reason = guard.cross_site_reason(
        request.headers.get("origin"),
        request.headers.get("sec-fetch-site"),
        request.headers.get("host"),
        request.url.scheme,
    )
    if reason:
        return _plain_error(request, 403, "cross-site", reason)
    login = request.url.path == "/login"
    if not login and not guard.token_ok(
        request.headers.get(TOKEN_HEADER),
        bearer(request.headers.get("authorization")),
        request.cookies.get(TOKEN_COOKIE),
    ):
        return _plain_error(
            request,
            401,
            "token-required",
            "this server is reachable from the network: changes need its token"
            " (sign in at /login, or send Authorization: Bearer TOKEN)",
        )
    if is_api(request):
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return envelope_error(
                415,
                "unsupported-media-type",
                f"POST to the API needs Content-Type: application/json (got {kind or 'none'})",
            )
    return None


def _plain_error(request: Request, status: int, code: str, message: str) -> Response:
    # Raised before routing, where templates are still usable but a short page will do.
    if is_api(request):
        return envelope_error(status, code, message)
    from html import escape

    return HTMLResponse(
        f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{escape(message)} [{escape(code)}]</p>",
        status_code=status,
    )


def page_dict(value: Any) -> Any:
    return value.to_dict() if hasattr(value, "to_dict") else value
