"""Exports and briefs on the demo corpus, through the real CLI: every format is produced,
validated against its documented shape (TimelineJS, ACLED columns, GDELT's 61 columns,
FollowTheMoney schemata), read back and compared with the store; the HTML brief loads
nothing, and text from documents carrying HTML/script payloads comes out inert."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from triangulate.cli import main
from triangulate.export import FORMATS
from triangulate.export.lookups import acled_types, cameo_codes, goldstein
from triangulate.ledger import timeline as tl
from triangulate.ledger.conflicts import summarise
from triangulate.ledger.types import Claim, Conflict, Property
from triangulate.link.stage import link_store
from triangulate.link.types import Entity, EventMember, EventRecord
from triangulate.records import from_dict
from triangulate.store.base import DocumentSummary
from triangulate.store.links import SQLiteLinks
from triangulate.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def demo(analysed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The analysed demo corpus, linked (on a copy: the session fixture stays as it is)."""
    db = tmp_path_factory.mktemp("export") / "demo.db"
    shutil.copy(analysed_demo, db)
    with SQLiteStore(db) as store:
        assert not link_store(store).failures
    return db


@pytest.fixture(scope="module")
def store(demo: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(demo) as s:
        yield s


@pytest.fixture(scope="module")
def links(store: SQLiteStore) -> SQLiteLinks:
    return SQLiteLinks(store.conn)


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


def export(db: Path, fmt: str, *extra: str) -> str:
    result = run(db, "export", "--format", fmt, *extra)
    assert result.exit_code == 0, result.output
    assert f"{fmt}: " in result.stderr  # the summary goes to stderr, the data to stdout
    return result.stdout


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_through_the_cli(demo: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out{FORMATS[fmt].extension}"
    result = run(demo, "export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    written = out.read_text("utf-8")
    assert written.strip()
    assert written == export(demo, fmt)  # stdout and --out give the same bytes
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed into place


# --- TimelineJS ---------------------------------------------------------------------------

DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"}
SLIDE_KEYS = {"start_date", "end_date", "text", "media", "group", "display_date",
              "background", "autolink", "unique_id"}  # fmt: skip
TOP_KEYS = {"events", "title", "eras", "scale"}


def check_date(d: Any, where: str) -> tuple[int, int, int]:
    assert isinstance(d, dict) and set(d) <= DATE_KEYS, where
    assert isinstance(d.get("year"), int), f"{where}: year is required"
    if "day" in d:
        assert "month" in d, f"{where}: a day needs a month"
    month, day = d.get("month", 1), d.get("day", 1)
    assert isinstance(month, int) and 1 <= month <= 12, where
    assert isinstance(day, int) and 1 <= day <= 31, where
    return d["year"], month, day


def check_text(t: Any, where: str) -> None:
    assert isinstance(t, dict) and set(t) <= {"headline", "text"}, where
    assert all(isinstance(v, str) for v in t.values()), where


def check_timelinejs(doc: Any) -> None:
    """TimelineJS3's documented JSON shape (timeline.knightlab.com/docs/json-format.html)."""
    assert isinstance(doc, dict) and set(doc) <= TOP_KEYS and isinstance(doc["events"], list)
    assert doc.get("scale", "human") in ("human", "cosmological")
    if "title" in doc:
        assert set(doc["title"]) <= SLIDE_KEYS
        check_text(doc["title"]["text"], "title")
    ids = [e.get("unique_id") for e in doc["events"]]
    assert len(ids) == len(set(ids))
    for i, e in enumerate(doc["events"]):
        where = f"event {i}"
        assert isinstance(e, dict) and set(e) <= SLIDE_KEYS, where
        start = check_date(e["start_date"], where)
        if "end_date" in e:
            assert check_date(e["end_date"], where) >= start, f"{where}: ends before it starts"
        check_text(e["text"], where)
        assert isinstance(e.get("group", ""), str) and isinstance(e.get("unique_id", ""), str)


def test_timelinejs_validates_and_matches_the_store(demo: Path, links: SQLiteLinks) -> None:
    doc = json.loads(export(demo, "timelinejs"))
    check_timelinejs(doc)
    events = {e.id: e for e in links.list_events()}
    placed = {int(e["unique_id"].removeprefix("event-")): e for e in doc["events"]}
    assert placed and set(placed) == {i for i, e in events.items() if e.date_start}
    for event_id, slide in placed.items():
        ev = events[event_id]
        want = {"year": 1, "month": 2, "day": 3}[
            ev.precision if ev.precision in ("year", "month") else "day"
        ]
        assert len(slide["start_date"]) == want, (ev.date, slide["start_date"])  # no made-up day
        y, m, d = (int(x) for x in ev.date_start.split("-"))
        assert (slide["start_date"]["year"], slide["start_date"].get("month", m),
                slide["start_date"].get("day", d)) == (y, m, d)  # fmt: skip
        assert html.unescape(slide["text"]["headline"]) == f"#{ev.id} {ev.label}"
    title = doc["title"]["text"]["text"]
    unplaced = [e for e in events.values() if not e.date_start]
    assert f"{len(unplaced)} event(s) without a known year" in title
    assert all(f"#{e.id} " in title for e in unplaced)


def test_timelinejs_checker_rejects_bad_shapes() -> None:
    good = {"events": [{"start_date": {"year": 2025, "month": 6}, "text": {"headline": "x"}}]}
    check_timelinejs(good)
    for bad in (
        {"events": [{"start_date": {"month": 6}}]},  # no year
        {"events": [{"start_date": {"year": 2025, "day": 3}}]},  # day without month
        {"events": [{"start_date": {"year": 2025}, "end_date": {"year": 2024}}]},
        {"events": [{"start_date": {"year": 2025}, "when": "now"}]},  # unknown key
    ):
        with pytest.raises(AssertionError):
            check_timelinejs(bad)


# --- ACLED ------------------------------------------------------------------------------------

# ACLED's columns in ACLED's order (2023 layout); ours must be these, in this order.
ACLED_ALL = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip
ACLED_OURS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "actor2", "iso", "country", "location", "source",
    "source_scale", "notes", "fatalities",
]  # fmt: skip
ACLED_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}  # fmt: skip


def test_acled_columns_types_and_conservative_fatalities(demo: Path, links: SQLiteLinks) -> None:
    text = export(demo, "acled")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == ACLED_OURS
    assert [c for c in ACLED_ALL if c in ACLED_OURS] == ACLED_OURS  # ACLED's names, ACLED's order
    rows = {int(re.sub(r"^[A-Z]{3}", "", r["event_id_cnty"])): r for r in reader}
    assert rows
    for r in rows.values():
        assert r["sub_event_type"] in ACLED_EVENT_TYPES[r["event_type"]]
        assert r["time_precision"] in ("1", "2", "3")
        assert (
            re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["event_date"]) and r["year"] == r["event_date"][:4]
        )
        assert int(r["fatalities"]) >= 0
    disputed = [c for c in links.conflicts() if c.property is Property.DEATHS]
    assert disputed, "the demo corpus has a deaths dispute"
    for conflict in disputed:
        claims = links.claims(conflict.event_id)
        conservative = summarise(Property.DEATHS, claims).conservative
        highest = max(c.max or 0 for c in claims if c.property is Property.DEATHS)
        row = rows[conflict.event_id]
        assert int(row["fatalities"]) == conservative < highest  # the lowest credible figure
        for v in conflict.values:  # the notes carry every competing value and who says it
            assert v.value in row["notes"] and all(s in row["notes"] for s in v.sources)
    # statements are not ACLED events: no row for an event whose types all map to null
    statements = [e for e in links.list_events() if all(acled_types()[t] is None for t in e.types)]
    assert statements and not {e.id for e in statements} & set(rows)


def test_acled_types_cover_every_event_type() -> None:
    assert set(acled_types()) == set(cameo_codes())
    for kind in filter(None, acled_types().values()):
        assert kind.sub_event_type in ACLED_EVENT_TYPES[kind.event_type]


# --- GDELT ------------------------------------------------------------------------------------


def test_gdelt_has_61_columns_and_valid_cameo(demo: Path, links: SQLiteLinks) -> None:
    text = export(demo, "gdelt")
    lines = text.splitlines()
    assert lines
    ours = {c for c in cameo_codes().values() if c}
    events = {e.id: e for e in links.list_events()}
    for line in lines:
        cols = line.split("\t")
        assert len(cols) == 61, len(cols)
        code, base, root = cols[26], cols[27], cols[28]
        assert code in ours and re.fullmatch(r"\d{3,4}", code)
        assert base == code[:3] and root == code[:2] and 1 <= int(root) <= 20
        assert cols[29] == str(goldstein().quad_class[root])
        assert -10.0 <= float(cols[30]) <= 10.0
        ev = events[int(cols[0])]
        assert (int(cols[32]), int(cols[33])) == (
            ev.sources,
            ev.documents,
        )  # NumSources, NumArticles
        assert int(cols[32]) <= int(cols[33]) <= int(cols[31])  # sources <= articles <= mentions
        assert re.fullmatch(r"\d{8}", cols[1]) and cols[2] == cols[1][:6] and cols[3] == cols[1][:4]
        if ev.date_start:
            assert cols[1] == ev.date_start.replace("-", "")
        assert cols[60] == "" or cols[60].startswith(("http://", "https://"))
        assert cols[59] == "" or re.fullmatch(r"\d{14}", cols[59])


def test_goldstein_covers_every_code_we_use() -> None:
    table = goldstein()
    for event_type, code in cameo_codes().items():
        if code:
            assert code in table.codes, event_type  # published weights, not the fallback
    assert table.weight("1823") == -10.0 and table.weight("0841") == 7.0
    assert table.weight("1999") == table.roots["19"]  # fallback by root code


# --- FollowTheMoney ---------------------------------------------------------------------------

FTM_PROPERTIES = {
    "Person": {"name", "alias", "country", "website"},
    "Organization": {"name", "alias", "country", "website"},
    "PublicBody": {"name", "alias", "country", "website"},
    "Address": {"name", "alias", "full", "city", "region", "country"},
}


def test_ftm_entities_are_valid_and_stable(demo: Path, links: SQLiteLinks) -> None:
    first = export(demo, "ftm")
    assert export(demo, "ftm") == first  # same ids, same order, run after run
    entities = [json.loads(line) for line in first.splitlines()]
    assert len({e["id"] for e in entities}) == len(entities)
    for e in entities:
        assert set(e) == {"id", "schema", "properties"}
        assert e["schema"] in FTM_PROPERTIES
        assert set(e["properties"]) <= FTM_PROPERTIES[e["schema"]]
        assert all(isinstance(v, list) and v for v in e["properties"].values())
        assert all(re.fullmatch(r"[a-z]{2}", c) for c in e["properties"].get("country", []))
    by_name = {e["properties"]["name"][0]: e for e in entities}
    assert by_name["Baku"]["schema"] == "Address" and by_name["Baku"]["properties"]["country"] == [
        "az"
    ]
    assert by_name["Sputnik Azerbaijan"]["schema"] == "Organization"  # media outlets
    assert by_name["FSB"]["schema"] == "PublicBody"
    stored = {e.name for e in links.list_entities() if e.type in ("PER", "ORG", "MEDIA", "LOC")}
    assert set(by_name) == stored


def test_ftm_ids_do_not_depend_on_row_ids(demo: Path, tmp_path: Path) -> None:
    """Another store built from the same corpus numbers its rows differently: the ids must
    not change with them."""
    db = tmp_path / "renumbered.db"
    shutil.copy(demo, db)
    before = export(db, "ftm")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for table, column in (("entities", "id"), ("entity_keys", "entity_id"),
                              ("entity_surnames", "entity_id")):  # fmt: skip
            conn.execute(f"UPDATE {table} SET {column} = {column} + 1000")
    conn.close()
    assert run(db, "entities", "--merged", "--json").stdout.count('"id": 10') > 0  # renumbered
    assert export(db, "ftm") == before


# --- JSONL and CSV round trips ----------------------------------------------------------------


def test_jsonl_round_trip(demo: Path, store: SQLiteStore, links: SQLiteLinks) -> None:
    lines = [json.loads(line) for line in export(demo, "jsonl").splitlines()]
    kinds: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        kinds.setdefault(line["kind"], []).append(line)
    assert list(kinds) == ["meta", "source", "document", "entity", "event"]  # documented order
    (meta,) = kinds["meta"]
    assert meta["meta"]["counts"] == {k: len(v) for k, v in kinds.items() if k != "meta"}
    # every record reads back into the library's own type, equal to what the store holds
    docs = [from_dict(DocumentSummary, x["document"]) for x in kinds["document"]]
    assert docs == store.list_documents()
    assert [from_dict(Entity, x["entity"]) for x in kinds["entity"]] == links.list_entities()
    events = kinds["event"]
    assert [e["event"]["id"] for e in events] == [r.event_id for r in tl.timeline(links)]
    for e in events:
        event_id = e["event"]["id"]
        assert from_dict(EventRecord, e["event"]) == links.get_event(event_id)
        assert [from_dict(Claim, c) for c in e["claims"]] == links.claims(event_id)
        assert [from_dict(Conflict, c) for c in e["conflicts"]] == links.conflicts(event_id)
        assert [from_dict(EventMember, m) for m in e["members"]] == links.members(event_id)
    sources = [x["source"] for x in kinds["source"]]
    assert sum(s["documents"] for s in sources) == len(docs)
    assert sum(s["originals"] for s in sources) == sum(1 for d in docs if d.copy_of is None)


def test_csv_round_trip(demo: Path, links: SQLiteLinks) -> None:
    rows = list(csv.DictReader(io.StringIO(export(demo, "csv"))))
    want = tl.timeline(links)
    assert [int(r["event_id"]) for r in rows] == [w.event_id for w in want]
    for r, w in zip(rows, want, strict=True):
        assert (r["date"] or None, r["label"], int(r["sources"]), int(r["documents"])) == (
            w.date, w.label, w.sources, w.documents,
        )  # fmt: skip
        assert r["contested"] == "; ".join(w.contested)
        assert r["evidence"] == w.evidence


def test_story_and_type_filters(demo: Path, links: SQLiteLinks) -> None:
    story = links.stories()[0].id
    records = [json.loads(line) for line in export(demo, "jsonl", "--story", story).splitlines()]
    events = [r for r in records if r["kind"] == "event"]
    assert events and all(e["event"]["story"] == story for e in events)
    assert {e["event"]["id"] for e in events} == {e.id for e in links.list_events(story=story)}
    docs = {r["document"]["id"] for r in records if r["kind"] == "document"}
    assert docs == {m["doc_id"] for e in events for m in e["members"]} | {
        c["doc_id"] for e in events for c in e["claims"]
    }
    rows = list(
        csv.DictReader(io.StringIO(export(demo, "csv", "--type", "killing", "--type", "arrest")))
    )
    assert rows and all({"killing", "arrest"} & set(r["types"].split("; ")) for r in rows)


# --- briefs -----------------------------------------------------------------------------------


class Tags(HTMLParser):
    """Every element and attribute of a page, as a browser's parser sees them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


# Elements that would make a browser fetch or run something.
ACTIVE = {"script", "link", "img", "iframe", "object", "embed", "image", "use", "base", "frame",
          "audio", "video", "source", "form", "input", "button"}  # fmt: skip


def inert(page: str) -> list[str]:
    """What in ``page`` could load a resource or run code (empty when nothing can)."""
    found = Tags(page)
    problems = [f"<{t}>" for t, _ in found.tags if t in ACTIVE]
    for tag, attrs in found.tags:
        for name, value in attrs.items():
            if name.startswith("on") or name in ("src", "srcset", "xlink:href", "formaction"):
                problems.append(f"<{tag} {name}>")
            if name == "href" and (tag != "a" or not value.startswith(("http://", "https://"))):
                problems.append(f"<{tag} href={value}>")
            if name == "style" and re.search(r"url\(|expression\(", value, re.I):
                problems.append(f"<{tag} style>")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta refresh>")
    problems += [
        "<style> fetches" for css in found.styles if re.search(r"url\(|@import", css, re.I)
    ]
    return problems


def report(db: Path, *args: str) -> str:
    result = run(db, "report", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_html_brief_is_self_contained(demo: Path, store: SQLiteStore, links: SQLiteLinks) -> None:
    page = report(demo)
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert inert(page) == []
    csp = [
        a["content"] for t, a in Tags(page).tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in csp[0]  # the browser itself refuses to load or run
    links_out = [a["href"] for t, a in Tags(page).tags if t == "a"]
    assert links_out and all(d.url in links_out for d in store.list_documents() if d.url)
    svg = page[page.index("<svg") : page.index("</svg>")]
    dated = [e for e in links.list_events() if e.date_start]
    assert svg.count("<g><title>") == len(dated)  # one row per dated event
    deaths = next(c for c in links.conflicts() if c.property is Property.DEATHS)
    section = page[page.index("Key conflicts") :]
    assert all(html.escape(v.value) in section for v in deaths.values)
    assert "Independent (originals)" in page


def test_markdown_brief_has_timeline_and_conflicts(demo: Path, links: SQLiteLinks) -> None:
    text = report(demo, "--format", "markdown")
    timeline = text[text.index("## Timeline") : text.index("## Key conflicts")]
    events = links.list_events()
    assert sum(
        1 for line in timeline.splitlines() if line.startswith("| ") and "\\#" in line
    ) == len(events)
    conflicts = text[text.index("## Key conflicts") : text.index("## Sources")]
    deaths = next(c for c in links.conflicts() if c.property is Property.DEATHS)
    assert all(f"  - {v.value}:" in conflicts for v in deaths.values)
    assert "## Sources" in text and "independent (originals)" in text


PAYLOAD = "<script>alert('t')</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def payload_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of its own, made by the real `ingest`, whose documents carry script, HTML and
    attribute-injection payloads in their titles, source names, URLs and text."""
    folder = tmp_path_factory.mktemp("payload")
    records = [
        {
            "title": f"Raid in Baku {PAYLOAD}",
            "hostname": "evil.example",
            "sitename": '<b onmouseover="alert(2)">Evil Wire</b>',
            "source": 'https://evil.example/a"onmouseover="alert(3)',
            "date": "2025-06-30",
            "text": "Police detained two journalists in Baku on 30 June 2025, the Interior "
            f"Ministry said. {PAYLOAD} Three people were injured.",
        },
        {
            "title": "Second report <iframe src=//evil.example>",
            "hostname": "other.example",
            "source": "javascript:alert(4)",
            "date": "2025-07-01",
            "text": "Azerbaijani police detained five journalists in Baku on 30 June 2025.",
        },
    ]
    feed = folder / "payload.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    db = folder / "payload.db"
    result = run(db, "ingest", str(feed))
    assert result.exit_code == 0, result.output
    return db


def test_document_text_with_html_comes_out_inert(payload_db: Path) -> None:
    page = report(payload_db)
    assert inert(page) == []
    # shown as text, in the document list and in the event's first-report evidence
    assert page.count("&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;") >= 2
    assert "&lt;b onmouseover=&quot;alert(2)&quot;&gt;Evil Wire&lt;/b&gt;" in page
    assert "javascript:" not in page  # never written as a link
    hrefs = [a["href"] for t, a in Tags(page).tags if t == "a"]
    assert 'https://evil.example/a"onmouseover="alert(3)' in hrefs  # one attribute, nothing more
    assert inert(page.replace("&lt;", "<").replace("&gt;", ">"))  # the check itself can fail
    text = report(payload_db, "--format", "markdown")
    assert not re.search(r"(?<!\\)<", text)  # every < is escaped: no raw HTML in the Markdown
    assert "\\<script\\>" in text
    doc = json.loads(export(payload_db, "timelinejs"))
    assert doc["events"]
    for slide in [doc["title"], *doc["events"]]:
        for value in slide["text"].values():
            assert "<script" not in value and "<img" not in value and "<iframe" not in value


def test_html_brief_runs_nothing_in_a_browser(  # type: ignore[no-untyped-def]
    payload_db: Path, tmp_path: Path, browser
) -> None:
    """The payload page opened in Chromium: no dialog, no request beyond the page itself."""
    page_file = tmp_path / "brief.html"
    assert run(payload_db, "report", "--out", str(page_file)).exit_code == 0
    dialogs: list[str] = []
    requests: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    page.hover("text=Evil Wire")  # the onmouseover payload, had it become an attribute
    shown = page.locator("td a").first.inner_text()
    page.close()
    assert dialogs == [] and requests == [page_file.as_uri()]
    assert PAYLOAD in shown  # the title is there, as text


# --- errors ----------------------------------------------------------------------------------


def test_clear_errors(demo: Path, tmp_path: Path) -> None:
    cases = [
        (["export", "--format", "xml"], "[unknown-format]"),
        (["report", "--format", "pdf"], "[unknown-format]"),
        (["export", "--format", "csv", "--story", "story-999999"], "no story 'story-999999'"),
        (["export", "--format", "csv", "--type", "picnic"], "no event type 'picnic'"),
        (
            ["export", "--format", "csv", "--out", str(tmp_path / "missing" / "x.csv")],
            "[not-writable]",
        ),
        (["report", "--out", str(tmp_path)], "is a folder"),
    ]
    for args, message in cases:
        result = run(demo, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr and result.stderr.startswith("error: "), result.stderr
        assert result.stdout == ""
    assert not (tmp_path / "missing").exists()
    result = run(tmp_path / "none.db", "export", "--format", "csv")
    assert result.exit_code == 2 and "[not-found]" in result.stderr
