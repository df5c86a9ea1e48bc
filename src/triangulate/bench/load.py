"""Load on the workspace's JSON API (``bench load``): requests/s and latency percentiles of
the timeline, event and search endpoints on a generated store of 100,000 documents.

The store comes from ``bench.bulk_store.build_store`` (or is reused). The real server
(``triangulate --db STORE serve``) runs as a subprocess on a free loopback port; a
closed-loop load generator (standard library only: threads, one keep-alive
``http.client`` connection each) sends a mix of what an analyst's browser asks for:
timeline pages (mostly the first ones) with and without filters (story, type, language,
source, entity, date window), random events, and full-text searches for words of the
generated world's English, Russian and Azerbaijani vocabulary drawn by their frequency.
A request counts as an error when its status is not 2xx or its envelope says
``ok: false``.

References measured in the same run, through the same server and connections:
``/api/health`` (what the brief of the issue calls the cost of an empty request; it counts
a few tables) and ``floor``, a request for an event that does not exist (routing,
middleware, one primary-key lookup and the error envelope), the least any request costs.

The load generator shares the machine with the server: its own CPU time is reported, so a
reader can tell a slow server from a busy client.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from ..errors import SettingError, StoreError
from ..records import Record
from ..store.sqlite import SQLiteStore
from .bulk_store import BuildReport, build_store
from .link_speed import DEFAULT_SEED, LANGUAGES, VOCABULARY, ProgressFactory, World, _percentile

DEFAULT_DOCS = 100_000
DEFAULT_DURATION = 20.0
DEFAULT_CONCURRENCY = 8
# The target: timeline and event answered within 200 ms at the 95th percentile.
TARGET_P95_MS = 200.0
TARGETED = ("timeline", "timeline_filtered", "event")
# Warm-up before measuring: the server's page cache, its per-thread connections and
# Python's first-call costs, then the numbers of the steady state.
DEFAULT_WARMUP = 5.0
# How long the server may take to open the store and answer /api/health.
START_TIMEOUT_S = 120.0
# One request's limit; a request over it counts as an error (the server is stuck).
REQUEST_TIMEOUT_S = 60.0

# The request mix, as weights: what a browser session over the workspace asks for.
MIX: dict[str, int] = {
    "timeline": 30,  # a page of the timeline, no filter
    "timeline_filtered": 20,  # one or two filters
    "event": 30,  # one event's page
    "search": 15,  # full text, one or two words
    "health": 3,  # reference
    "floor": 2,  # reference: an unknown event
}
REFERENCES = ("health", "floor")
# Timeline pages follow an exponential with this mean (page 1 most often): analysts read
# the first pages and use filters to go further.
MEAN_PAGE = 3.0


@dataclass(frozen=True, slots=True)
class EndpointResult(Record):
    name: str
    path: str  # the route it exercises
    requests: int
    errors: int
    rps: float  # completed requests per second of the measured window
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_kb: float  # response body size
    p95_over_target: float | None  # p95 / TARGET_P95_MS for the targeted endpoints
    error_samples: list[str]


@dataclass(frozen=True, slots=True)
class LoadResult(Record):
    store: str
    documents: int
    events: int
    db_mb: float
    build: BuildReport | None  # None when an existing store was reused
    duration_s: float  # measured window
    warmup_s: float
    concurrency: int
    total_requests: int
    total_errors: int
    total_rps: float
    target_p95_ms: float
    meets_target: bool  # every targeted endpoint's p95 under the target, and no errors
    server_cpu_s: float | None  # server process CPU during the measured window
    client_cpu_s: float  # load generator CPU during the measured window
    cpus: int
    endpoints: list[EndpointResult]


@dataclass(frozen=True, slots=True)
class _Universe:
    """What requests are drawn from: ids and values that exist in the store."""

    events: list[int]
    stories: list[str]
    types: list[str]
    sources: list[str]
    entities: list[int]
    months: list[str]  # YYYY-MM with dated events
    words: dict[str, list[str]]  # language -> vocabulary, most frequent first
    timeline_pages: int


_ROUTES = {
    "timeline": "/api/timeline",
    "timeline_filtered": "/api/timeline",
    "event": "/api/events/{event_id}",
    "search": "/api/search",
    "health": "/api/health",
    "floor": "/api/events/{event_id}",
}


def _universe(db: Path, seed: int, page_size: int) -> _Universe:
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        col = lambda sql: [r[0] for r in conn.execute(sql)]  # noqa: E731
        events = col("SELECT id FROM events ORDER BY id")
        if not events:
            raise StoreError(f"{db}: the store has no events to load the API with")
        months = col(
            "SELECT DISTINCT substr(date_start, 1, 7) FROM events WHERE date_start IS NOT NULL"
        )
        universe = _Universe(
            events=events,
            stories=col("SELECT DISTINCT story_id FROM linked WHERE story_id IS NOT NULL"),
            types=col("SELECT DISTINCT value FROM events, json_each(events.types)"),
            sources=col("SELECT key FROM sources ORDER BY id"),
            # Entities that events name; others would only give empty pages.
            entities=col("SELECT id FROM entities WHERE deleted = 0 ORDER BY id LIMIT 5000"),
            months=sorted(m for m in months if m),
            words=World(seed).vocabulary,
            timeline_pages=max(1, -(-len(events) // page_size)),
        )
    finally:
        conn.close()
    return universe


def _request(name: str, u: _Universe, rng: random.Random, weights: list[float]) -> str:
    """A path with its query for one request of kind ``name``."""
    if name in ("timeline", "timeline_filtered"):
        params: dict[str, str | int] = {}
        if name == "timeline_filtered":
            for f in rng.sample(("story", "type", "lang", "source", "entity", "dates"), 2):
                if f == "story" and u.stories:
                    params["story"] = rng.choice(u.stories)
                elif f == "type" and u.types:
                    params["type"] = rng.choice(u.types)
                elif f == "lang":
                    params["lang"] = rng.choice(LANGUAGES)
                elif f == "source" and u.sources:
                    params["source"] = rng.choice(u.sources)
                elif f == "entity" and u.entities:
                    params["entity"] = rng.choice(u.entities)
                elif f == "dates" and u.months:
                    i = rng.randrange(len(u.months))
                    params["date_from"] = u.months[i]
                    params["date_to"] = u.months[min(len(u.months) - 1, i + rng.randint(0, 2))]
        else:
            page = 1 + int(rng.expovariate(1 / (MEAN_PAGE - 1)))
            params["page"] = min(page, u.timeline_pages)
        return "/api/timeline" + ("?" + urlencode(params) if params else "")
    if name == "event":
        return f"/api/events/{rng.choice(u.events)}"
    if name == "search":
        lang = rng.choice(LANGUAGES)
        words = rng.choices(u.words[lang], cum_weights=weights, k=rng.choice((1, 1, 2)))
        return "/api/search?" + urlencode({"q": " ".join(words)})
    if name == "health":
        return "/api/health"
    if name == "floor":
        return "/api/events/0"
    raise SettingError(f"unknown request kind {name!r}")


@dataclass
class _Samples:
    ms: list[float] = field(default_factory=list)
    bytes: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)


class _Client(threading.Thread):
    """One closed-loop user: sends a request, reads the answer, sends the next."""

    def __init__(self, port: int, universe: _Universe, seed: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.universe = universe
        self.rng = random.Random(seed)
        self.stop = stop
        self.measuring = False
        self.samples: dict[str, _Samples] = {name: _Samples() for name in MIX}
        self.conn: http.client.HTTPConnection | None = None
        total = 0.0
        self.cum: list[float] = []
        for rank in range(VOCABULARY):
            total += 1.0 / (rank + 1)  # the generator draws words by Zipf frequency
            self.cum.append(total)

    def run(self) -> None:
        names, weights = list(MIX), list(MIX.values())
        while not self.stop.is_set():
            name = self.rng.choices(names, weights=weights)[0]
            path = _request(name, self.universe, self.rng, self.cum)
            started = time.perf_counter()
            status, body, problem = self._get(path)
            ms = (time.perf_counter() - started) * 1000
            if not self.measuring:
                continue
            s = self.samples[name]
            s.ms.append(ms)
            s.bytes += len(body)
            if problem is None:
                problem = _check(name, status, body)
            if problem is not None:
                s.errors += 1
                if len(s.error_samples) < 3:
                    s.error_samples.append(f"{path}: {problem}")

    def _get(self, path: str) -> tuple[int, bytes, str | None]:
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S
                )
            self.conn.request("GET", path, headers={"Accept": "application/json"})
            resp = self.conn.getresponse()
            return resp.status, resp.read(), None
        except (OSError, http.client.HTTPException) as exc:
            # A broken connection is replaced, as a browser would.
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return 0, b"", f"{type(exc).__name__}: {exc}"


def _check(name: str, status: int, body: bytes) -> str | None:
    """Why an answer is an error, or None. The floor reference must be a 404 envelope."""
    try:
        data = json.loads(body)
    except ValueError:
        return f"status {status}, body is not JSON"
    if not isinstance(data, dict):
        return f"status {status}, body is not an envelope"
    if name == "floor":
        if status == 404 and data.get("ok") is False:
            return None
        return f"status {status}, expected a 404 envelope"
    if not 200 <= status < 300 or data.get("ok") is not True:
        error = data.get("error") or {}
        return f"status {status}: {error.get('code', '?')}: {error.get('message', '')[:120]}"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


@contextmanager
def serve(db: Path, log: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """The real server on a free loopback port, until the block ends; yields (port,
    process) once /api/health answers."""
    last = ""
    for _ in range(3):  # the port is free when chosen; another process may take it
        port = _free_port()
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "triangulate", "--db", str(db), "serve",
                 "--host", "127.0.0.1", "--port", str(port)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            if _wait_healthy(port, proc):
                yield port, proc
                return
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        last = log.read_text("utf-8", "replace")[-2000:]
    raise StoreError(f"the server did not start on loopback for {db}: {last.strip()}")


def _wait_healthy(port: int, proc: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/health")
            resp = conn.getresponse()
            ok = resp.status == 200 and json.loads(resp.read()).get("ok") is True
            conn.close()
            if ok:
                return True
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(0.2)
    return False


def _store_ready(db: Path) -> int:
    """Documents of a finished bulk build at ``db`` (0 when absent or unfinished: the
    story clusterer's counters are written by the build's last transaction)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM story_meta WHERE name = 'documents'").fetchone()
        docs = int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()
    return docs if row is not None and int(row[0]) == docs else 0


def default_store(docs: int, seed: int) -> Path:
    return Path("bench-out") / "load" / f"store-{docs}-seed{seed}.db"


def run(
    docs: int = DEFAULT_DOCS,
    store: str | Path | None = None,
    duration: float = DEFAULT_DURATION,
    concurrency: int = DEFAULT_CONCURRENCY,
    seed: int = DEFAULT_SEED,
    warmup: float = DEFAULT_WARMUP,
    progress: ProgressFactory | None = None,
) -> dict[str, Any]:
    """Build (or reuse) the store, start the server, load it, and report per endpoint.

    ``store``: a store to use; when the file does not exist a store of ``docs``
    documents is built there. Without it the store is kept under bench-out/load/ and
    reused by the next run with the same ``docs`` and ``seed``.
    """
    if docs < 1:
        raise SettingError(f"docs: must be at least 1, got {docs}")
    if duration <= 0 or warmup < 0:
        raise SettingError(
            f"duration must be positive and warmup not negative: {duration}, {warmup}"
        )
    if concurrency < 1:
        raise SettingError(f"concurrency: must be at least 1, got {concurrency}")
    db = Path(store) if store is not None else default_store(docs, seed)
    build: BuildReport | None = None
    if store is not None and db.exists():
        if not _store_ready(db) and not _has_documents(db):
            raise StoreError(f"{db}: not a store with documents (pass a built store or a new path)")
    elif not _store_ready(db):
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)  # an unfinished earlier build
        build = build_store(db, docs, seed, progress)
    if build is None:
        # A reused store may predate migrations added since; the server opens it read-only
        # and would not apply them.
        SQLiteStore(db).close()
    from ..workspace import DEFAULT_SIZE

    universe = _universe(db, seed, DEFAULT_SIZE)
    with serve(db, db.with_suffix(".server.log")) as (port, proc):
        result = _load(port, proc.pid, universe, duration, concurrency, warmup, seed)
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        documents = int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    finally:
        conn.close()
    endpoints, window, server_cpu, client_cpu = result
    total_requests = sum(e.requests for e in endpoints)
    total_errors = sum(e.errors for e in endpoints)
    targeted = [e for e in endpoints if e.name in TARGETED]
    return LoadResult(
        store=str(db),
        documents=documents,
        events=len(universe.events),
        db_mb=round(db.stat().st_size / 1e6, 1),
        build=build,
        duration_s=round(window, 2),
        warmup_s=warmup,
        concurrency=concurrency,
        total_requests=total_requests,
        total_errors=total_errors,
        total_rps=round(total_requests / window, 1) if window else 0.0,
        target_p95_ms=TARGET_P95_MS,
        meets_target=total_errors == 0 and all(e.p95_ms < TARGET_P95_MS for e in targeted),
        server_cpu_s=server_cpu,
        client_cpu_s=client_cpu,
        cpus=os.cpu_count() or 1,
        endpoints=endpoints,
    ).to_dict()


def _has_documents(db: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
        try:
            return bool(conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone())
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _load(
    port: int,
    pid: int,
    universe: _Universe,
    duration: float,
    concurrency: int,
    warmup: float,
    seed: int,
) -> tuple[list[EndpointResult], float, float | None, float]:
    stop = threading.Event()
    clients = [_Client(port, universe, seed * 1000 + i, stop) for i in range(concurrency)]
    for c in clients:
        c.start()
    time.sleep(warmup)
    server_before = _cpu_seconds(pid)
    client_before = time.process_time()
    for c in clients:
        c.measuring = True
    started = time.perf_counter()
    time.sleep(duration)
    for c in clients:
        c.measuring = False
    window = time.perf_counter() - started
    client_cpu = time.process_time() - client_before
    server_after = _cpu_seconds(pid)
    stop.set()
    for c in clients:
        c.join(REQUEST_TIMEOUT_S)
        if c.conn is not None:
            c.conn.close()
    server_cpu = (
        round(server_after - server_before, 2)
        if server_before is not None and server_after is not None
        else None
    )
    return _summarise(clients, window), window, server_cpu, round(client_cpu, 2)


def _summarise(clients: Sequence[_Client], window: float) -> list[EndpointResult]:
    out = []
    for name in MIX:
        ms: list[float] = []
        size = errors = 0
        samples: list[str] = []
        for c in clients:
            s = c.samples[name]
            ms += s.ms
            size += s.bytes
            errors += s.errors
            samples += s.error_samples
        n = len(ms)
        p95 = _percentile(ms, 0.95)
        out.append(
            EndpointResult(
                name=name,
                path=_ROUTES[name],
                requests=n,
                errors=errors,
                rps=round(n / window, 1) if window else 0.0,
                mean_ms=round(sum(ms) / n, 2) if n else 0.0,
                p50_ms=round(_percentile(ms, 0.5), 2),
                p95_ms=round(p95, 2),
                p99_ms=round(_percentile(ms, 0.99), 2),
                max_ms=round(max(ms, default=0.0), 2),
                mean_kb=round(size / n / 1024, 1) if n else 0.0,
                p95_over_target=round(p95 / TARGET_P95_MS, 3) if name in TARGETED else None,
                error_samples=samples[:3],
            )
        )
    return out


def table(result: dict[str, Any]) -> str:
    """One row per endpoint, the references last."""
    header = ["endpoint", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms",
              "max ms", "KB", "p95/target"]  # fmt: skip
    rows = [
        [
            e["name"] + (" (reference)" if e["name"] in REFERENCES else ""),
            str(e["requests"]),
            str(e["errors"]),
            str(e["rps"]),
            str(e["p50_ms"]),
            str(e["p95_ms"]),
            str(e["p99_ms"]),
            str(e["max_ms"]),
            str(e["mean_kb"]),
            "" if e["p95_over_target"] is None else str(e["p95_over_target"]),
        ]
        for e in sorted(result["endpoints"], key=lambda e: e["name"] in REFERENCES)
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
        for r in [header, *rows]
    ]
    verdict = "meets" if result["meets_target"] else "misses"
    lines.append(
        f"{result['documents']:,} documents, {result['events']:,} events, {result['db_mb']} MB; "
        f"{result['concurrency']} clients for {result['duration_s']} s after "
        f"{result['warmup_s']} s warm-up: {result['total_requests']} requests "
        f"({result['total_rps']}/s), {result['total_errors']} errors"
    )
    lines.append(
        f"target p95 < {result['target_p95_ms']:g} ms for timeline and event: {verdict} it; "
        f"CPU during the window: server {result['server_cpu_s']} s, "
        f"load generator {result['client_cpu_s']} s, on {result['cpus']} CPUs"
    )
    for e in result["endpoints"]:
        lines += [f"error ({e['name']}): {s}" for s in e["error_samples"]]
    return "\n".join(lines)
