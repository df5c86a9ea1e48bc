"""The JSON API over a real uvicorn server on a loopback port, with real HTTP requests:
one envelope for success and errors, pagination, 404s, the OpenAPI schema, corrections
that survive `triangulate link --rebuild`, cross-site refusal, the token off loopback,
and the security headers."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from triangulate.cli import main
from triangulate.link.stage import link_store
from triangulate.store.links import SQLiteLinks
from triangulate.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
TRIANGULATE = Path(sys.executable).with_name("triangulate")


# --- helpers shared with test_web_browser.py -----------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    url: str,
    *,
    method: str = "GET",
    body: Any = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> Reply:
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    heads = dict(headers or {})
    if body is not None:
        heads.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=heads)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as err:
        return Reply(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())


def wait_healthy(base: str, proc: subprocess.Popen[str] | None = None, limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(
                f"server exited with {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}"
            )
        try:
            if request(base + "/api/health").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {base} did not come up in {limit_s}s")


class CliServer:
    """`triangulate serve` as a subprocess (the real command line)."""

    def __init__(self, db: Path, *args: str) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(TRIANGULATE), "--db", str(db), "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self.banner: list[str] = []
        assert self.proc.stdout is not None
        # The banner (address, token) comes before uvicorn starts listening.
        while len(self.banner) < 3:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.banner.append(line.strip())
            if "token:" in line or ("Ctrl+C" in line and "--host" not in args):
                break
        wait_healthy(self.base, self.proc)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class ThreadServer:
    """The app under uvicorn in a thread of the test process, on a loopback port."""

    def __init__(self, db: Path) -> None:
        import uvicorn

        from triangulate.web import create_app

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(db), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_healthy(self.base)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def linked_copy(analysed_demo: Path, folder: Path) -> Path:
    db = folder / "demo.db"
    shutil.copy(analysed_demo, db)
    with SQLiteStore(db) as store:
        assert not link_store(store).failures
    return db


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(analysed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = linked_copy(analysed_demo, tmp_path_factory.mktemp("api"))
    server = ThreadServer(db)
    yield server.base, db
    server.stop()


def get(base: str, path: str, **kw: Any) -> Reply:
    return request(base + path, **kw)


# --- the envelope and pagination ----------------------------------------------------------


def test_health_and_envelope(served: Any) -> None:
    base, _ = served
    reply = get(base, "/api/health")
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    assert body == {"ok": True, "data": body["data"], "page": None}
    assert body["data"]["status"] == "ok" and body["data"]["last_document_seq"] == 16


def test_timeline_pages_at_the_database(served: Any) -> None:
    base, db = served
    first = get(base, "/api/timeline?size=4").json()
    second = get(base, "/api/timeline?size=4&page=2").json()
    assert first["ok"] and first["page"] == {
        "number": 1,
        "size": 4,
        "total": first["page"]["total"],
    }
    with SQLiteStore(db) as store:
        events = store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    assert first["page"]["total"] == events
    ids = [i["event_id"] for i in first["data"]] + [i["event_id"] for i in second["data"]]
    assert len(ids) == len(set(ids)) == 8
    # Every event once over all pages, dated ones first in date order.
    size, seen, starts = 50, [], []
    for page in range(1, events // size + 2):
        data = get(base, f"/api/timeline?size={size}&page={page}").json()["data"]
        seen += [i["event_id"] for i in data]
        starts += [i["span"]["start"] for i in data]
    assert sorted(seen) == sorted(set(seen)) and len(seen) == events
    dated = [s for s in starts if s is not None]
    assert dated == sorted(dated) and starts[: len(dated)] == dated
    item = first["data"][0]
    assert set(item) >= {"span", "sources", "corroboration", "conflict", "stance", "documents"}
    assert item["span"]["start"] <= item["span"]["end"]


def test_timeline_filters(served: Any) -> None:
    base, _ = served
    arrests = get(base, "/api/timeline?type=arrest&size=200").json()
    assert arrests["data"] and all("arrest" in i["types"] for i in arrests["data"])
    everything = get(base, "/api/timeline?size=200").json()["page"]["total"]
    assert arrests["page"]["total"] < everything
    story = arrests["data"][0]["story"]
    in_story = get(base, f"/api/timeline?story={story}&size=200").json()["data"]
    assert in_story and all(i["story"] == story for i in in_story)
    window = get(base, "/api/timeline?date_from=2025-06-28&date_to=2025-06-30&size=200").json()
    assert window["data"]
    for i in window["data"]:
        assert i["span"]["end"] >= "2025-06-28" and i["span"]["start"] <= "2025-06-30"
    az = get(base, "/api/timeline?lang=az&size=200").json()["page"]["total"]
    ru = get(base, "/api/timeline?lang=ru&size=200").json()["page"]["total"]
    assert 0 < az < everything and 0 < ru < everything
    sources = get(base, "/api/sources?size=1").json()["data"]
    by_source = get(base, f"/api/timeline?source={sources[0]['source']['id']}&size=200").json()
    assert 0 < by_source["page"]["total"] < everything


def test_errors_share_the_envelope(served: Any) -> None:
    base, _ = served
    for path in ("/api/events/999999", "/api/entities/999999", "/api/documents/nosuchdoc",
                 "/api/sources/999999", "/api/no-such-endpoint"):  # fmt: skip
        reply = get(base, path)
        assert reply.status == 404, path
        assert reply.json() == {
            "ok": False,
            "error": {"code": "not-found", "message": reply.json()["error"]["message"]},
        }
    for path, status in (("/api/timeline?page=0", 422), ("/api/timeline?size=5000", 422),
                         ("/api/timeline?entity=abc", 422), ("/api/timeline?date_from=soon", 400),
                         ("/api/search?q=%22%22", 400), ("/api/search", 422)):  # fmt: skip
        reply = get(base, path)
        assert reply.status == status, (path, reply.body)
        error = reply.json()["error"]
        assert reply.json()["ok"] is False and error["code"] and error["message"]
    assert "date_from" in get(base, "/api/timeline?date_from=soon").json()["error"]["message"]


def test_openapi_documents_every_endpoint(served: Any) -> None:
    base, _ = served
    schema = get(base, "/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/timeline", "/api/events/{event_id}", "/api/search", "/api/entities/{entity_id}",
            "/api/sources/{source_id}", "/api/documents/{doc_id}", "/api/stories", "/api/health",
            "/api/events/{event_id}/merge", "/api/events/{event_id}/split",
            "/api/entities/{entity_id}/rename"} <= paths  # fmt: skip
    params = {p["name"] for p in schema["paths"]["/api/timeline"]["get"]["parameters"]}
    assert params == {
        "story",
        "entity",
        "type",
        "source",
        "lang",
        "date_from",
        "date_to",
        "page",
        "size",
    }
    assert "404" in schema["paths"]["/api/events/{event_id}"]["get"]["responses"]
    assert not any(p.startswith("/api") is False for p in paths)  # pages stay out of the API


def test_event_detail_has_ledger_and_conflicts(served: Any) -> None:
    base, _ = served
    items = get(base, "/api/timeline?size=200").json()["data"]
    contested = [i for i in items if i["conflict"]]
    assert contested
    ev = get(base, f"/api/events/{contested[0]['event_id']}").json()["data"]
    assert ev["conflicts"] and ev["item"]["conflict"]
    assert ev["independent_sources"] <= ev["total_sources"]
    columns = [c["source"] for c in ev["columns"]]
    conflicting = [
        cell
        for row in ev["ledger"]
        for column in row["cells"]
        for cell in column
        if cell["conflicting"]
    ]
    assert conflicting and all(len(row["cells"]) == len(columns) for row in ev["ledger"])
    evidence = next(c["evidence"] for c in conflicting if c["evidence"])
    doc = get(
        base,
        f"/api/documents/{evidence['doc_id']}?hl_start={evidence['start']}&hl_end={evidence['end']}",
    ).json()["data"]
    marked = "".join(s["text"] for b in doc["blocks"] for s in b["segments"] if s["evidence"])
    assert marked == evidence["text"]


def test_entity_source_and_document_twins(served: Any) -> None:
    base, _ = served
    entities = get(base, "/api/entities?type=PER&size=5").json()
    assert entities["ok"] and entities["page"]["total"] >= 5
    detail = get(base, f"/api/entities/{entities['data'][0]['id']}").json()
    assert detail["ok"] and detail["data"]["entity"]["aliases"] and detail["data"]["nodes"]
    assert detail["page"]["total"] == len(detail["data"]["events"]) or detail["page"]["total"] > 50
    source = get(base, "/api/sources?size=1").json()["data"][0]["source"]
    sd = get(base, f"/api/sources/{source['id']}").json()
    assert sd["ok"] and sd["page"]["total"] == len(sd["data"]["documents"])
    share = sd["data"]["loaded_language_share"]
    assert share is not None and 0.0 <= share <= 1.0
    assert "loaded-language list" in sd["data"]["loaded_language_note"]
    assert get(base, f"/api/sources/{source['key']}").json()["data"]["source"]["id"] == source["id"]
    stories = get(base, "/api/stories").json()
    assert stories["ok"] and stories["data"] and stories["page"]["total"] == len(stories["data"])


# --- corrections through the API survive re-linking ----------------------------------------


def _event_of(db: Path, doc: str, incident: int) -> int:
    with SQLiteStore(db) as store:
        row = store.conn.execute(
            "SELECT i.event_id FROM incidents i JOIN documents d ON d.seq = i.doc_seq"
            " WHERE d.id = ? AND i.idx = ?",
            (doc, incident),
        ).fetchone()
    return int(row[0])


def _relink(db: Path) -> None:
    result = CliRunner().invoke(
        main, ["--db", str(db), "link", "--rebuild"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output


def test_overrides_round_trip_and_survive_rebuild(served: Any) -> None:
    base, db = served
    items = get(base, "/api/timeline?size=200").json()["data"]
    # Two single-document events of different documents: merge them, then split one out
    # of a multi-document event.
    singles = []
    for i in items:
        members = get(base, f"/api/events/{i['event_id']}").json()["data"]["members"]
        if len(members) == 1 and all(members[0]["doc_id"] != s[1]["doc_id"] for s in singles):
            singles.append((i["event_id"], members[0]))
        if len(singles) == 2:
            break
    (keep, a), (other, b) = singles
    reply = get(base, f"/api/events/{keep}/merge", method="POST", body={"other": other})
    assert reply.status == 200 and reply.json()["data"] == {"event_id": keep, "merged": other}
    merged = get(base, f"/api/events/{keep}").json()["data"]["members"]
    assert {m["doc_id"] for m in merged} == {a["doc_id"], b["doc_id"]}

    big = next(i for i in items if i["documents"] >= 3 and i["event_id"] not in (keep, other))
    members = get(base, f"/api/events/{big['event_id']}").json()["data"]["members"]
    out = members[-1]
    reply = get(base, f"/api/events/{big['event_id']}/split", method="POST",
                body={"doc": out["doc_id"], "incident": out["incident"]})  # fmt: skip
    assert reply.status == 200
    new = reply.json()["data"]["new_event_id"]
    assert [m["doc_id"] for m in get(base, f"/api/events/{new}").json()["data"]["members"]] == [
        out["doc_id"]
    ]

    people = get(base, "/api/entities?type=PER&size=1").json()["data"][0]
    reply = get(
        base,
        f"/api/entities/{people['id']}/rename",
        method="POST",
        body={"name": "Renamed «Person»"},
    )
    assert reply.status == 200

    _relink(db)
    assert _event_of(db, a["doc_id"], a["incident"]) == _event_of(db, b["doc_id"], b["incident"])
    stayer = members[0]
    assert _event_of(db, out["doc_id"], out["incident"]) != _event_of(
        db, stayer["doc_id"], stayer["incident"]
    )
    names = {e["name"] for e in get(base, "/api/entities?q=Renamed&size=10").json()["data"]}
    assert names == {"Renamed «Person»"}
    with SQLiteStore(db) as store:
        assert {a for _, a, _ in SQLiteLinks(store.conn).overrides("event")} == {"merge", "split"}
        # The timeline's language and source tables followed every merge, split and re-link.
        for table, column, expr in (("event_langs", "lang", "COALESCE(json_extract(d.languages, '$[0]'), 'und')"),
                                    ("event_sources", "source_id", "d.source_id")):  # fmt: skip
            got = {
                tuple(r) for r in store.conn.execute(f"SELECT {column}, event_id, n FROM {table}")
            }
            want = {
                tuple(r)
                for r in store.conn.execute(
                    f"SELECT {expr}, i.event_id, COUNT(*) FROM incidents i JOIN documents d"
                    " ON d.seq = i.doc_seq WHERE i.event_id IS NOT NULL GROUP BY 1, 2"
                )
            }
            assert got == want and got, table
        types = {tuple(r) for r in store.conn.execute("SELECT type, event_id FROM event_types")}
        assert types and types == {
            tuple(r)
            for r in store.conn.execute("SELECT t.value, e.id FROM events e, json_each(e.types) t")
        }


def test_bad_corrections_are_refused_with_codes(served: Any) -> None:
    base, _ = served
    some = get(base, "/api/timeline?size=1").json()["data"][0]["event_id"]
    reply = get(base, f"/api/events/{some}/merge", method="POST", body={"other": some})
    assert reply.status == 409 and reply.json()["error"]["code"] == "correction"
    reply = get(base, "/api/events/999999/merge", method="POST", body={"other": some})
    assert reply.status in (404, 409) and reply.json()["ok"] is False
    reply = get(base, f"/api/events/{some}/merge", method="POST", body={"other": "x"})
    assert reply.status == 422 and reply.json()["error"]["code"] == "invalid-parameter"
    reply = get(base, "/api/entities/999999/rename", method="POST", body={"name": "x"})
    assert reply.status == 404 and reply.json()["error"]["code"] == "not-found"


# --- security --------------------------------------------------------------------------------


def test_security_headers_on_every_response(served: Any) -> None:
    base, _ = served
    for path in ("/", "/api/timeline", "/api/events/999999", "/events/999999", "/static/app.css",
                 "/search?q=Baku", "/api/openapi.json"):  # fmt: skip
        reply = get(base, path)
        csp = reply.headers.get("content-security-policy", "")
        assert "default-src 'none'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp
        assert reply.headers.get("x-content-type-options") == "nosniff"
        assert reply.headers.get("x-frame-options") == "DENY"


def test_cross_site_requests_are_refused(served: Any) -> None:
    base, _ = served
    ev = get(base, "/api/timeline?size=2").json()["data"]
    url = f"/api/events/{ev[0]['event_id']}/merge"
    body = {"other": ev[1]["event_id"]}
    evil = get(base, url, method="POST", body=body, headers={"Origin": "https://evil.example"})
    assert evil.status == 403 and evil.json()["error"]["code"] == "cross-site"
    fetch = get(base, url, method="POST", body=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetch.status == 403 and fetch.json()["error"]["code"] == "cross-site"
    # A form (what another site could post without a preflight) is not accepted by the API.
    form = get(base, url, method="POST", raw=b"other=1",
               headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert form.status == 415 and form.json()["error"]["code"] == "unsupported-media-type"
    # Page forms need the session's CSRF token.
    page = get(base, f"/events/{ev[0]['event_id']}/merge", method="POST",
               raw=f"other={ev[1]['event_id']}&csrf=guess".encode(),
               headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": base})  # fmt: skip
    assert page.status == 403 and b"CSRF" in page.body
    # DNS rebinding: a foreign Host name is refused on loopback.
    rebound = get(base, "/api/health", headers={"Host": "evil.example"})
    assert rebound.status == 400 and rebound.json()["error"]["code"] == "bad-host"
    # Nothing changed.
    assert get(base, f"/api/events/{ev[1]['event_id']}").status == 200


def test_same_origin_form_with_token_is_accepted(served: Any) -> None:
    base, _ = served
    entity = get(base, "/api/entities?size=1").json()["data"][0]["id"]
    page = get(base, f"/entities/{entity}")
    cookie = page.headers["set-cookie"].split(";")[0]
    assert "httponly" in page.headers["set-cookie"].lower()
    assert "samesite=strict" in page.headers["set-cookie"].lower()
    token = cookie.split("=", 1)[1]
    assert f'name="csrf" value="{token}"' in page.body.decode()
    reply = get(base, f"/entities/{entity}/rename", method="POST",
                raw=f"name=Checked&csrf={token}".encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": base,
                         "Sec-Fetch-Site": "same-origin", "Cookie": cookie})  # fmt: skip
    # urllib follows the 303 to the entity page.
    assert reply.status == 200 and b"Checked" in reply.body


def test_document_values_are_made_safe_for_pages() -> None:
    from triangulate.web.security import json_for_script, safe_url

    assert safe_url("javascript:alert(1)") is None
    assert safe_url(" JavaScript:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url("//evil.example/x") is None
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    text = json_for_script({"label": "</script><script>alert(1)</script><!--"})
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"label": "</script><script>alert(1)</script><!--"}


def test_token_required_off_loopback(analysed_demo: Path, tmp_path: Path) -> None:
    db = linked_copy(analysed_demo, tmp_path)
    server = CliServer(db, "--host", "0.0.0.0")
    try:
        token_lines = [line for line in server.banner if line.startswith("token:")]
        assert token_lines, server.banner
        token = token_lines[0].split(":", 1)[1].strip()
        assert len(token) >= 24
        entity = get(server.base, "/api/entities?size=1").json()["data"][0]["id"]
        url = f"/api/entities/{entity}/rename"
        missing = get(server.base, url, method="POST", body={"name": "X"})
        assert missing.status == 401 and missing.json()["error"]["code"] == "token-required"
        wrong = get(server.base, url, method="POST", body={"name": "X"},
                    headers={"Authorization": "Bearer not-the-token"})  # fmt: skip
        assert wrong.status == 401
        right = get(server.base, url, method="POST", body={"name": "Tokened"},
                    headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        assert right.status == 200
        assert (
            get(server.base, f"/api/entities/{entity}").json()["data"]["entity"]["name"]
            == "Tokened"
        )
    finally:
        server.stop()


def test_loopback_by_default_and_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "127.0.0.1" in result.output
    missing = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "serve"])
    assert missing.exit_code == 2 and "no database" in missing.output
