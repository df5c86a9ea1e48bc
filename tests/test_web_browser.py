"""The workspace in a real browser: Playwright drives Debian's chromium (never a
downloaded one) against `triangulate serve` on loopback with the demo corpus.

In CI (CI=true) a missing chromium fails these tests loudly: they must run, not skip.
Screenshots of the timeline and an event page go to test-artifacts/; with
TRIANGULATE_UPDATE_SCREENSHOTS=1 the timeline one also replaces docs/screenshot-timeline.png,
the README's picture (a plain test run leaves the working tree alone).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_web_api import ROOT, TRIANGULATE, CliServer, linked_copy, request

ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOT_FOR_README = ROOT / "docs" / "screenshot-timeline.png"


@pytest.fixture(scope="module")
def server(analysed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliServer]:
    db = linked_copy(analysed_demo, tmp_path_factory.mktemp("browser"))
    srv = CliServer(db)
    yield srv
    srv.stop()


class Watch:
    """A page that records dialogs and script errors: an injected script that ran would
    show up as one or the other (or as the window flag the payloads set)."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def watch(browser: Any) -> Iterator[Watch]:
    w = Watch(browser)
    yield w
    w.close()


def api(srv: CliServer, path: str) -> Any:
    reply = request(srv.base + path)
    assert reply.status == 200, (path, reply.body)
    return reply.json()["data"]


def test_timeline_renders_with_events_and_zooms(server: CliServer, watch: Watch) -> None:
    page = watch.page
    page.goto(server.base + "/")
    bars = page.locator("#bars a.ev").count()
    events = page.locator("table.events tbody tr").count()
    assert bars >= 10 and events >= bars
    # A conflict is drawn (red outline) and a span wider than a point exists (month/year).
    assert page.locator("#bars rect.bar.conflict").count() >= 1
    widths = [
        float(w)
        for w in page.eval_on_selector_all(
            "#bars rect", "els => els.map(e => e.getAttribute('width'))"
        )
    ]
    assert max(widths) > min(widths)
    # JavaScript zoom: the controls appear and zooming in moves the bars.
    assert page.locator("#zoom-controls").is_visible()
    before = page.locator("#bars rect").first.get_attribute("x")
    page.click("[data-zoom=in]")
    page.click("[data-zoom=in]")
    assert page.locator("#timeline").get_attribute("data-view")
    assert page.locator("#bars rect").first.get_attribute("x") != before
    page.click("[data-zoom=reset]")
    # Filters: events of one type only.
    page.select_option("select[name=type]", "arrest")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?*type=arrest*")
    rows = page.locator("table.events tbody tr")
    assert 0 < rows.count() < events
    page.goto(server.base + "/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)
    # The README's picture: the weeks of the crisis, one screenful.
    page.goto(server.base + "/?date_from=2025-06-01&date_to=2025-07-31")
    assert page.locator("#bars a.ev").count() >= 5
    page.screenshot(path=str(ARTIFACTS / "timeline-crisis.png"))
    if os.environ.get("TRIANGULATE_UPDATE_SCREENSHOTS") == "1":
        shutil.copy(ARTIFACTS / "timeline-crisis.png", SCREENSHOT_FOR_README)
    assert not watch.errors and not watch.dialogs


def test_event_page_shows_a_conflict(server: CliServer, watch: Watch) -> None:
    items = api(server, "/api/timeline?size=200")
    contested = max(items, key=lambda i: (i["conflicts"], i["documents"]))
    assert contested["conflict"]
    page = watch.page
    page.goto(f"{server.base}/events/{contested['event_id']}")
    assert page.locator("#conflicts li.conflict-item").count() == contested["conflicts"]
    assert page.locator("#ledger .claim.conflicting").count() >= 2
    assert page.locator("#ledger tr.conflict-row").count() >= 1
    counts = page.locator("#source-counts").inner_text()
    assert "independent" in counts and str(contested["sources"]) in counts
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "event.png"), full_page=True)
    # A value leads to its evidence sentence, highlighted in the document.
    link = page.locator("#ledger .claim.conflicting a").first
    title = link.get_attribute("title")
    link.click()
    page.wait_for_url("**/documents/**")
    assert page.locator("mark#hl").inner_text().strip() == (title or "").strip()
    assert not watch.errors and not watch.dialogs


def _single_member_events(srv: CliServer) -> list[tuple[int, dict[str, Any]]]:
    out: list[tuple[int, dict[str, Any]]] = []
    for item in api(srv, "/api/timeline?size=200"):
        members = api(srv, f"/api/events/{item['event_id']}")["members"]
        if len(members) == 1 and all(members[0]["doc_id"] != m["doc_id"] for _, m in out):
            out.append((item["event_id"], members[0]))
    return out


def test_merge_and_split_round_trip(server: CliServer, watch: Watch) -> None:
    (keep, a), (other, b) = _single_member_events(server)[:2]
    page = watch.page
    page.goto(f"{server.base}/events/{keep}")
    page.fill("#merge-form input[name=other]", str(other))
    page.click("#merge-form button[type=submit]")
    page.wait_for_url(f"**/events/{keep}?done=*")
    assert f"merged event {other} into {keep}" in page.locator(".notice").inner_text()
    members = page.locator("#members tbody tr")
    assert members.count() == 2
    assert {m["doc_id"] for m in api(server, f"/api/events/{keep}")["members"]} == {
        a["doc_id"],
        b["doc_id"],
    }
    assert request(f"{server.base}/api/events/{other}").status == 404  # emptied and removed

    row = page.locator("#members tbody tr", has=page.locator(f"a[href='/documents/{b['doc_id']}']"))
    row.locator("button.split-button").click()
    page.wait_for_url(f"**/events/{keep}?done=*")
    notice = page.locator(".notice").inner_text()
    assert f"split incident {b['incident']} of {b['doc_id']}" in notice
    new = int(notice.rsplit("event", 1)[1].strip())
    assert [m["doc_id"] for m in api(server, f"/api/events/{keep}")["members"]] == [a["doc_id"]]
    assert [m["doc_id"] for m in api(server, f"/api/events/{new}")["members"]] == [b["doc_id"]]
    assert not watch.errors and not watch.dialogs


def test_search_finds_russian_and_azerbaijani_documents(server: CliServer, watch: Watch) -> None:
    page = watch.page
    page.goto(server.base + "/")
    page.fill("form.quick input[name=q]", "задержаны")
    page.press("form.quick input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("#hits li.hit[lang=ru]").count() >= 1
    assert page.locator("#hits li.hit mark").first.inner_text().lower().startswith("задержаны")
    page.fill("#search-form input[name=q]", "saxlanıl")
    page.click("#search-form button[type=submit]")
    page.wait_for_url("**/search?q=sax*")
    azerbaijani = page.locator("#hits li.hit[lang=az]")
    assert azerbaijani.count() >= 1
    azerbaijani.first.locator("a.hit-title").click()
    page.wait_for_url("**/documents/**")
    assert page.locator("#doc-text .block").count() >= 2
    assert page.locator("#doc-text a.ent").count() >= 1
    assert not watch.errors and not watch.dialogs


# --- hostile documents -------------------------------------------------------------------

PAYLOADS = {
    "script": "<script>window.__xss='script';alert('script')</script>",
    "close": "</script><script>window.__xss='close'</script>",
    "img": "<img src=x onerror=\"window.__xss='img';alert('img')\">",
    "attr": '" autofocus onfocus="window.__xss=\'attr\'" x="',
    "svg": "<svg onload=\"window.__xss='svg'\"></svg>",
    "template": "{{ 7*7 }} {% raw %}",
}


def _hostile_records() -> list[dict[str, Any]]:
    body = (
        "Police detained two activists in Baku on 27 June 2025, the Interior Ministry said. "
        "Their lawyer said both men were beaten during the arrest. "
    )
    return [
        {
            "title": "Raid " + PAYLOADS["script"] + PAYLOADS["img"],
            "authors": [PAYLOADS["attr"] + " Ivan Petrov"],
            "date_publish": "2025-06-28 10:00:00",
            "language": "en",
            "source_domain": "hostile.example",
            "url": "javascript:window.__xss='url';alert('url')",
            "maintext": body + " ".join(PAYLOADS.values()) + "\n\n" + body,
        },
        {
            "title": "Second " + PAYLOADS["close"] + PAYLOADS["svg"],
            "authors": ["<b onmouseover=\"window.__xss='author'\">Anna</b>"],
            "date_publish": "2025-06-29 09:00:00",
            "language": "en",
            "source_domain": "other-hostile.example",
            "url": "https://other-hostile.example/a\"onmouseover=\"window.__xss='href'",
            "maintext": "Officers detained three more men in Baku on 28 June 2025. "
            + PAYLOADS["close"]
            + " The Foreign Ministry protested. "
            + PAYLOADS["attr"],
        },
    ]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliServer]:
    folder = tmp_path_factory.mktemp("hostile")
    feed = folder / "hostile.jsonl"
    feed.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in _hostile_records()) + "\n",
        encoding="utf-8",
    )
    db = folder / "hostile.db"
    done = subprocess.run(
        [str(TRIANGULATE), "--db", str(db), "ingest", "--no-progress", str(feed)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    srv = CliServer(db)
    yield srv
    srv.stop()


def _no_script_ran(watch: Watch) -> None:
    assert watch.page.evaluate("() => window.__xss") is None
    assert not watch.dialogs, watch.dialogs
    assert not watch.errors, watch.errors


def test_injected_markup_never_executes(hostile: CliServer, watch: Watch) -> None:
    docs = api(hostile, "/api/sources?size=50")
    assert len(docs) >= 2
    page = watch.page
    visited = 0
    ids = []
    for s in docs:
        for d in api(hostile, f"/api/sources/{s['source']['id']}")["documents"]:
            ids.append(d["id"])
    assert len(ids) == 2
    for doc_id in ids:
        page.goto(f"{hostile.base}/documents/{doc_id}")
        title = page.locator("#doc-title").inner_text()
        assert "<script>" in title or "</script>" in title  # shown as text, not run
        page.hover("#doc-author")
        if page.locator("#doc-url").count():
            page.hover("#doc-url")
        # A javascript: address is never a link; a quote in an http address stays inside it.
        hrefs = page.eval_on_selector_all(
            "#doc-url a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert all(h.startswith("https://") for h in hrefs)
        assert "onmouseover" not in page.eval_on_selector_all(
            "#doc-url a", "els => els.map(e => e.getAttributeNames().join(' ')).join(' ')"
        )
        assert (
            page.locator("#doc-text img, #doc-text svg, #doc-text script, #doc-text iframe").count()
            == 0
        )
        if title.startswith("Raid"):
            # Markup and template syntax in the text are shown verbatim.
            text = page.locator("#doc-text").inner_text()
            assert "{{ 7*7 }}" in text and "<img src=x onerror=" in text
        _no_script_ran(watch)
        visited += 1
    for path in ("/", "/search?q=detained", "/sources", "/entities", "/stories"):
        page.goto(hostile.base + path)
        for el in page.locator("main a, main input").all()[:40]:
            if el.is_visible():
                el.hover(timeout=2000)
        _no_script_ran(watch)
    page.goto(hostile.base + "/search?q=script")
    assert page.locator("#hits li.hit").count() == 2
    assert page.locator("#hits li.hit mark").count() >= 2
    _no_script_ran(watch)
    for item in api(hostile, "/api/timeline?size=50"):
        page.goto(f"{hostile.base}/events/{item['event_id']}")
        _no_script_ran(watch)
        visited += 1
    assert visited >= 3
    # The timeline's embedded JSON survived "</script>" in labels and still drives the zoom.
    page.goto(hostile.base + "/")
    assert page.locator("#bars a.ev").count() >= 1
    assert page.locator("#zoom-controls").is_visible()
    page.click("[data-zoom=in]")
    _no_script_ran(watch)
