"""A batch of bad inputs, generated here: each one either ingests correctly or fails
with a clear one-line reason naming it, and every good input in the batch still lands."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from triangulate.store.sqlite import SQLiteStore

RUSSIAN = (
    "Заголовок новости о задержаниях\n\n"
    "Полиция задержала нескольких человек в центре города в пятницу вечером, сообщили в министерстве. "
    "По данным источников, задержанных доставили в отделение для допроса.\n"
)
GOOD_TEXT = "Ferry service resumes\n\nThe ferries were running again on Monday after the storm, the port said.\n"


def _warc(path: Path, pages: int, gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for n in range(pages):
        body = (
            f"<html><head><title>Page {n}</title></head><body><article><h1>Page {n}</h1>"
            f"<p>Paragraph number {n} of a captured page, with enough words to count as text.</p>"
            "<p>Another paragraph follows here so that the extractor keeps the article body.</p>"
            "</article></body></html>"
        ).encode()
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            f"https://capture.example/page{n}",
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
        )
        writer.write_record(record)
    return buf.getvalue()


@pytest.fixture()
def bad_batch(tmp_path: Path) -> dict[str, Path | str]:
    d = tmp_path / "batch"
    d.mkdir()
    items: dict[str, Path | str] = {}

    def put(name: str, data: bytes) -> None:
        (d / name).write_bytes(data)
        items[name] = d / name

    put("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    put("empty.txt", b"")
    put("truncated.txt.gz", gzip.compress(GOOD_TEXT.encode() * 50)[:60])
    warc = _warc(d, 3, gz=True)
    # Cut inside the last record (each record is its own gzip member, so a cut on a
    # member boundary would look like a complete, shorter archive).
    put("truncated.warc.gz", warc[:-100])
    plain = _warc(d, 3, gz=False)
    put("truncated.warc", plain[: len(plain) - 200])
    # UTF-8 text (with real multi-byte letters) carrying two bytes that are not UTF-8.
    mixed = "Bakı port reopens — ferries sail again\n\nThe ferries left Bakı on Monday after the storm.\n"
    put("invalid-utf8.txt", mixed.encode().replace(b"ferries left", b"ferr\xff\xfeies left"))
    put("russian-cp1251.txt", RUSSIAN.encode("cp1251"))
    put("huge-line.txt", b"word " * (10 * 1024 * 1024))  # 50 MiB on one line
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + ']>\n<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
    )
    put("bomb.xml", bomb.encode())
    put(
        "broken.html",
        b"<html><head><title>Broken page</title><meta charset=utf-8 <body></div></span><p class=x id=>"
        b"Unclosed <b>bold <div>The ferry <i>operator</p> said services would resume on Monday after "
        b"repairs to the pier</b></b></html><p>A second paragraph &amp broken &#xZZ; entity<table><tr><td>cell",
    )
    lines = [
        json.dumps(
            {
                "title": "Good record one",
                "maintext": "The ferry resumed service on Monday, the operator said in a statement.",
            }
        ),
        '{"title": "broken record", "maintext": ',
        json.dumps(
            {
                "title": "Good record two",
                "maintext": "Passengers queued at the terminal from early morning, witnesses said.",
            }
        ),
    ]
    put("records.jsonl", ("\n".join(lines) + "\n").encode())
    put("good.txt", GOOD_TEXT.encode())
    # Unreachable without leaving this machine: a name that can never resolve (RFC 6761).
    # A closed loopback port is covered by test_url_ingest, where loopback is allowed.
    items["unreachable"] = "http://unreachable.invalid/story"
    items["private"] = "http://10.20.30.40/internal"
    return items


def test_bad_batch(cli, bad_batch, db_path):  # type: ignore[no-untyped-def]
    folder = str(Path(str(bad_batch["good.txt"])).parent)
    result = cli("ingest", folder, str(bad_batch["unreachable"]), str(bad_batch["private"]))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]

    def error_for(name: str) -> str:
        hits = [e for e in errors if f"{name}:" in e or f"{name}#" in e]
        assert len(hits) == 1, (name, "\n".join(errors))
        return hits[0]

    assert "binary" in error_for("binary.txt")
    assert "empty" in error_for("empty.txt")
    assert "truncated" in error_for("truncated.txt.gz")
    assert "truncated" in error_for("truncated.warc.gz")
    assert "truncated" in error_for("truncated.warc")
    assert "limit" in error_for("huge-line.txt")
    assert "unsafe-xml" in error_for("bomb.xml")
    assert "records.jsonl:2" in error_for("records.jsonl")
    assert "cannot resolve" in error_for(str(bad_batch["unreachable"]))
    assert "blocked-address" in error_for(str(bad_batch["private"]))
    assert len(errors) == 10

    with SQLiteStore(db_path) as store:
        assert store.check_integrity() == []
        docs = store.list_documents()
        titles = {d.title for d in docs}
        # Good inputs and the good parts of damaged ones all landed.
        assert {
            "Good record one",
            "Good record two",
            "Ferry service resumes",
            "Broken page",
        } <= titles
        assert {"Page 0", "Page 1"} <= titles  # records before the damage in each WARC
        broken = store.get_document(next(d.id for d in docs if d.title == "Broken page"))
        assert "services would resume on Monday" in broken.text
        russian = next(d for d in docs if d.locator.endswith("russian-cp1251.txt"))
        doc = store.get_document(russian.id)
        assert (
            doc.encoding == "cp1251"
            and doc.text.startswith("Заголовок")
            and doc.languages == ["ru"]
        )
        bad_utf8 = store.get_document(
            next(d.id for d in docs if d.locator.endswith("invalid-utf8.txt"))
        )
        assert bad_utf8.warnings and "replaced" in bad_utf8.warnings[0]
        rejected = {r.locator for r in store.rejections()}
        assert any(r.endswith("bomb.xml") for r in rejected) and len(rejected) == 10
    summary = result.output.strip().splitlines()[-1]
    assert "10 rejected" in summary


def test_missing_input_is_named(cli, tmp_path):  # type: ignore[no-untyped-def]
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    result = cli("ingest", str(tmp_path / "nope.txt"), str(good))
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.output
    assert "1 stored" in result.output
