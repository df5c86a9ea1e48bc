"""read_container: format sniffing and readers, on real generated files (no mocks)."""

from __future__ import annotations

import gzip
import io
import json
import time
from pathlib import Path

import pytest
import trafilatura
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from triangulate.errors import (
    BinaryInput,
    EmptyInput,
    InputTooLarge,
    MalformedInput,
    NoContent,
    TruncatedInput,
    UnsafeXML,
    UnsupportedInput,
)
from triangulate.ingest.containers import InputFailure, read_container
from triangulate.records import DateMethod, InputFormat, Precision, RawItem, SourceKind

MAX = 5 * 1024 * 1024

RUSSIAN = (
    "В понедельник власти города сообщили о перебоях с электричеством. "
    "По словам представителя администрации, ремонтные бригады работают всю ночь."
)


def read(path: Path, max_bytes: int = MAX) -> list[RawItem | InputFailure]:
    return list(read_container(str(path), path.read_bytes(), max_bytes=max_bytes))


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def items(results: list[RawItem | InputFailure]) -> list[RawItem]:
    return [r for r in results if isinstance(r, RawItem)]


def failures(results: list[RawItem | InputFailure]) -> list[InputFailure]:
    return [r for r in results if isinstance(r, InputFailure)]


# --- plain text and encodings --------------------------------------------------------------


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_russian_text_file(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path, f"ru-{codec}.txt", RUSSIAN.encode(codec))
    [item] = read(path)
    assert isinstance(item, RawItem)
    assert (item.format, item.encoding, item.text) == (InputFormat.TEXT, codec, RUSSIAN)
    assert item.locator == str(path)


def test_utf16_text_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "u16.txt", "\ufeffПривет, мир!\r\nHello".encode("utf-16-be"))
    [item] = read(path)
    assert isinstance(item, RawItem)
    assert item.text == "Привет, мир!\nHello"
    assert item.encoding == "utf-16-be"


def test_empty_file_is_one_failure(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", b"")
    [failure] = read(path)
    assert isinstance(failure, InputFailure)
    assert isinstance(failure.error, EmptyInput)
    assert failure.locator == str(path)
    assert failure.error.input_name == str(path)


def test_png_named_txt_is_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    [failure] = read(path)
    assert isinstance(failure, InputFailure)
    assert isinstance(failure.error, BinaryInput)
    assert "PNG" in failure.error.message


def test_too_large_input(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "word " * 1000)
    [failure] = read(path, max_bytes=100)
    assert isinstance(failure, InputFailure) and isinstance(failure.error, InputTooLarge)


def test_markdown_starting_with_bracket_stays_text(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.md", "[1] Reuters reported the outage on Monday.\n")
    [item] = read(path)
    assert isinstance(item, RawItem) and item.format is InputFormat.TEXT


# --- gzip ------------------------------------------------------------------------------------


def test_gzipped_jsonl(tmp_path: Path) -> None:
    lines = [json.dumps({"title": f"T{i}", "maintext": f"Body {i}."}) for i in range(3)]
    path = write(tmp_path, "articles.jsonl.gz", gzip.compress("\n".join(lines).encode()))
    got = items(read(path))
    assert [i.title for i in got] == ["T0", "T1", "T2"]
    assert got[0].locator == f"{path}:1"


def test_gzip_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = write(tmp_path, "capture", gzip.compress(b"Just some text.\n"))
    [item] = read(path)
    assert isinstance(item, RawItem) and item.text == "Just some text.\n"


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(("Long text line number one. " * 500).encode())
    path = write(tmp_path, "cut.txt.gz", data[: len(data) // 2])
    [failure] = read(path)
    assert isinstance(failure, InputFailure)
    assert isinstance(failure.error, TruncatedInput)
    assert failure.error.message.startswith("truncated gzip")


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.gz", gzip.compress(b"a" * 2_000_000))
    [failure] = read(path, max_bytes=100_000)
    assert isinstance(failure, InputFailure) and isinstance(failure.error, InputTooLarge)


# --- WARC --------------------------------------------------------------------------------------


def _html_page(title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>'
        f"</head><body><article><p>{body}</p></article></body></html>"
    )


def make_warc(*, compress: bool) -> bytes:
    """warcinfo, then: HTML 200 (cp1251, charset in the HTTP header), request, 404,
    PNG 200, HTML 200 (utf-8), HTML 200 (koi8-r, no charset anywhere)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "pytest"}))

    def response(url: str, status: str, ctype: str, payload: bytes) -> None:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=http
        )
        writer.write_record(record)

    page1 = _html_page("Новости", RUSSIAN * 20, charset="windows-1251").encode("cp1251")
    response("http://example.ru/a", "200 OK", "text/html; charset=windows-1251", page1)
    request = writer.create_warc_record(
        "http://example.ru/b",
        "request",
        payload=io.BytesIO(b""),
        http_headers=StatusAndHeaders(
            "GET /b HTTP/1.1", [("Host", "example.ru")], is_http_request=True
        ),
    )
    writer.write_record(request)
    response("http://example.ru/missing", "404 Not Found", "text/html", b"<html>404</html>")
    response("http://example.ru/p.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(50))
    page2 = _html_page("Second", "English text of the second page. " * 40).encode()
    response("http://example.com/second", "200 OK", "text/html", page2)
    page3 = ("<html><body><p>" + RUSSIAN * 20 + "</p></body></html>").encode("koi8-r")
    response("http://example.ru/third", "200 OK", "text/html", page3)
    return buf.getvalue()


@pytest.mark.parametrize("compress", [False, True])
def test_warc_html_responses(tmp_path: Path, compress: bool) -> None:
    name = "crawl.warc.gz" if compress else "crawl.warc"
    path = write(tmp_path, name, make_warc(compress=compress))
    results = read(path)
    assert failures(results) == []
    got = items(results)
    assert [i.url for i in got] == [
        "http://example.ru/a",
        "http://example.com/second",
        "http://example.ru/third",
    ]
    first, second, third = got
    assert first.format is InputFormat.HTML
    assert first.encoding == "cp1251" and "Новости" in first.text
    assert first.locator == f"{path}#2"  # record 1 is the warcinfo
    assert first.captured and first.captured.endswith("Z")
    assert second.locator == f"{path}#6" and second.encoding == "utf-8"
    assert third.encoding == "koi8-r" and RUSSIAN in third.text


def test_warc_sniffed_without_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "download", make_warc(compress=True))
    assert len(items(read(path))) == 3


def test_truncated_warc_gz_keeps_records_before_the_cut(tmp_path: Path) -> None:
    data = make_warc(compress=True)
    path = write(tmp_path, "cut.warc.gz", data[: len(data) // 2])
    results = read(path)
    good = items(results)
    [failure] = failures(results)
    assert results[-1] is failure
    assert isinstance(failure.error, TruncatedInput)
    assert "truncated WARC" in failure.error.message
    assert len(good) >= 1
    assert good[0].url == "http://example.ru/a"
    assert "Новости" in good[0].text
    # The breakage is named after a record at or beyond the last one that came out.
    last = int(good[-1].locator.rsplit("#", 1)[1])
    broke_after = int(failure.error.message.split("after record ")[1].split()[0])
    assert broke_after >= last


def test_truncated_warc_mid_record(tmp_path: Path) -> None:
    data = make_warc(compress=False)
    cut = data.index(b"English text of the second page.") + 100  # inside record 6
    path = write(tmp_path, "cut.warc", data[:cut])
    results = read(path)
    assert [i.url for i in items(results)] == ["http://example.ru/a"]
    [failure] = failures(results)
    assert isinstance(failure.error, TruncatedInput)
    assert "after record 5" in failure.error.message
    assert "record 6 is cut short" in failure.error.message


def test_every_cut_of_a_warc_is_handled(tmp_path: Path) -> None:
    # Records are never yielded half-read, whatever the cut point; at most one failure.
    data = make_warc(compress=False)
    full = [i.text for i in items(list(read_container("w.warc", data, max_bytes=MAX)))]
    for cut in range(0, len(data), 97):
        results = list(read_container("w.warc", data[:cut], max_bytes=MAX))
        texts = [i.text for i in items(results)]
        assert texts == full[: len(texts)]
        assert len(failures(results)) <= 1


def test_not_a_warc(tmp_path: Path) -> None:
    path = write(tmp_path, "fake.warc", "this is not an archive")
    [failure] = read(path)
    assert isinstance(failure, InputFailure) and isinstance(failure.error, MalformedInput)


# --- feeds -------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Городские новости</title>
  <link>https://www.example.ru/</link>
  <language>ru</language>
  <item>
    <title>Перебои с электричеством</title>
    <link>https://www.example.ru/news/1</link>
    <dc:creator>Иван Петров</dc:creator>
    <pubDate>Mon, 30 Jun 2025 14:20:00 +0400</pubDate>
    <description>Короткое описание.</description>
    <content:encoded><![CDATA[<p>В понедельник власти города <b>сообщили</b>
      о перебоях.</p>]]></content:encoded>
  </item>
  <item>
    <title>Plain item</title>
    <link>/news/2</link>
    <author>desk@example.ru (Анна Смирнова)</author>
    <pubDate>Tue, 01 Jul 2025 09:00:00 GMT</pubDate>
    <description>Ремонтные бригады работают всю ночь &amp; утро.</description>
  </item>
  <item>
    <title>Headline only</title>
    <link>https://www.example.ru/news/3</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example Wire</title>
  <link rel="self" href="https://feeds.example.com/atom"/>
  <link rel="alternate" href="https://www.example.com/"/>
  <author><name>Wire Desk</name></author>
  <entry>
    <title type="html">Storm &lt;b&gt;hits&lt;/b&gt; the coast</title>
    <link rel="alternate" href="https://www.example.com/storm"/>
    <published>2025-06-30T14:20:00+04:00</published>
    <updated>2025-06-30T16:00:00+04:00</updated>
    <author><name>Jane Doe</name></author>
    <content type="html">&lt;p&gt;A storm hit the coast on Monday.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Text entry</title>
    <link href="https://www.example.com/text"/>
    <updated>2025-07-01</updated>
    <summary>Officials said repairs would take a week.</summary>
  </entry>
  <entry>
    <title>XHTML entry</title>
    <link href="https://www.example.com/x"/>
    <updated>2025-07-02T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <p>Rain <em>continues</em>.</p></div></content>
  </entry>
</feed>
"""


def test_rss_feed(tmp_path: Path) -> None:
    path = write(tmp_path, "news.rss", RSS.encode("cp1251"))
    results = read(path)
    first, second, third = results
    assert isinstance(first, RawItem) and isinstance(second, RawItem)
    assert first.locator == f"{path}#1"
    assert first.format is InputFormat.HTML
    assert "<title>Перебои с электричеством</title>" in first.text
    assert "<b>сообщили</b>" in first.text
    assert first.url == "https://www.example.ru/news/1"
    assert first.author == "Иван Петров"
    assert first.language_hint == "ru"
    assert first.encoding == "cp1251"
    assert first.published is not None
    assert first.published.value == "2025-06-30T14:20:00+04:00"
    assert first.published.evidence == "feed pubDate"
    assert first.source is not None
    assert (first.source.name, first.source.domain) == ("Городские новости", "example.ru")
    assert (first.source.kind, first.source.evidence) == (SourceKind.UNKNOWN, "feed channel")

    assert second.format is InputFormat.ARTICLE
    assert second.text == "Ремонтные бригады работают всю ночь & утро."
    assert second.author == "Анна Смирнова"
    assert second.url == "https://www.example.ru/news/2"  # resolved against the channel link

    assert isinstance(third, InputFailure) and isinstance(third.error, NoContent)
    assert third.locator == f"{path}#3"


def test_atom_feed(tmp_path: Path) -> None:
    path = write(tmp_path, "wire.atom", ATOM)
    first, second, third = (i for i in read(path) if isinstance(i, RawItem))
    assert first.format is InputFormat.HTML
    assert "<p>A storm hit the coast on Monday.</p>" in first.text
    assert "<title>Storm hits the coast</title>" in first.text
    assert first.author == "Jane Doe"
    assert first.published is not None
    assert (first.published.value, first.published.evidence) == (
        "2025-06-30T14:20:00+04:00",
        "feed published",
    )
    assert first.source is not None and first.source.domain == "example.com"
    assert first.source.name == "Example Wire"
    assert first.language_hint == "en"

    assert second.format is InputFormat.ARTICLE
    assert second.text == "Officials said repairs would take a week."
    assert second.author == "Wire Desk"  # inherited from the feed
    assert second.published is not None
    assert (second.published.precision, second.published.evidence) == (
        Precision.DAY,
        "feed updated",
    )
    assert third.format is InputFormat.HTML
    assert "<p>Rain <em>continues</em>.</p>" in third.text


def test_feed_sniffed_despite_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.txt", ATOM)
    assert len(items(read(path))) == 3


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    lol = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(lol) + "\n]>\n"
        "<rss><channel><title>&lol9;</title><item><description>&lol9;</description>"
        "</item></channel></rss>"
    )
    path = write(tmp_path, "bomb.xml", bomb)
    start = time.perf_counter()
    [failure] = read(path)
    assert time.perf_counter() - start < 1.0
    assert isinstance(failure, InputFailure) and isinstance(failure.error, UnsafeXML)
    assert "entities" in failure.error.message


def test_malformed_feed(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.rss", "<rss><channel><title>x</channel></rss>")
    [failure] = read(path)
    assert isinstance(failure, InputFailure) and isinstance(failure.error, MalformedInput)
    assert "mismatched tag" in failure.error.message


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = write(tmp_path, "sitemap.xml", '<?xml version="1.0"?><urlset><url/></urlset>')
    [failure] = read(path)
    assert isinstance(failure, InputFailure) and isinstance(failure.error, UnsupportedInput)


# --- JSON and JSONL ----------------------------------------------------------------------------

NEWS_PLEASE = {
    "authors": ["Иван Петров", "Anna Smith"],
    "date_download": "2025-06-30 15:00:12",
    "date_modify": None,
    "date_publish": "2025-06-30 14:20:00",
    "description": "Перебои с электричеством.",
    "filename": "https%3A%2F%2Fwww.example.ru%2Fnews%2F1.json",
    "image_url": "https://www.example.ru/img.jpg",
    "language": "ru",
    "localpath": None,
    "maintext": RUSSIAN,
    "source_domain": "www.example.ru",
    "title": "Перебои с электричеством",
    "title_page": None,
    "title_rss": None,
    "url": "https://www.example.ru/news/1",
}


def test_news_please_json(tmp_path: Path) -> None:
    path = write(tmp_path, "article.json", json.dumps(NEWS_PLEASE, ensure_ascii=False))
    [item] = read(path)
    assert isinstance(item, RawItem)
    assert item.format is InputFormat.ARTICLE
    assert item.locator == str(path)
    assert item.text == RUSSIAN
    assert item.title == "Перебои с электричеством"
    assert item.author == "Иван Петров, Anna Smith"
    assert item.description == "Перебои с электричеством."
    assert item.url == "https://www.example.ru/news/1"
    assert item.language_hint == "ru"
    assert item.captured == "2025-06-30T15:00:12"
    assert item.published is not None
    assert (item.published.value, item.published.precision) == (
        "2025-06-30T14:20:00",
        Precision.SECOND,
    )
    assert (item.published.method, item.published.evidence) == (
        DateMethod.METADATA,
        "json date_publish",
    )
    assert item.source is not None
    assert (item.source.name, item.source.domain) == (None, "example.ru")
    assert item.source.evidence == "json source_domain"


def test_news_please_modify_date_is_only_a_fallback(tmp_path: Path) -> None:
    record = dict(NEWS_PLEASE, date_publish=None, date_modify="2025-07-01 10:00:00")
    [item] = read(write(tmp_path, "a.json", json.dumps(record)))
    assert isinstance(item, RawItem) and item.published is not None
    assert item.published.method is DateMethod.INFERRED
    assert item.published.evidence.startswith("json date_modify")


def test_trafilatura_json(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Storm hits the coast</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2025-06-30">'
        "</head><body><article><h1>Storm hits the coast</h1><p>"
        + "A storm hit the coast on Monday, officials said. " * 8
        + "</p></article></body></html>"
    )
    output = trafilatura.extract(
        page, output_format="json", with_metadata=True, url="https://www.example.com/storm"
    )
    assert output is not None
    [item] = read(write(tmp_path, "traf.json", output))
    assert isinstance(item, RawItem)
    assert item.format is InputFormat.ARTICLE
    assert "A storm hit the coast on Monday" in item.text
    assert item.title == "Storm hits the coast"
    assert item.author == "Jane Doe"
    assert item.url == "https://www.example.com/storm"
    assert item.published is not None
    assert (item.published.value, item.published.evidence) == ("2025-06-30", "json date")
    assert item.source is not None
    assert (item.source.name, item.source.domain) == ("Example News", "example.com")


def test_json_list(tmp_path: Path) -> None:
    records = [
        {"title": "One", "text": "First text."},
        {"title": "Two", "raw_text": "Second text."},
        {"title": "No text"},
        "not an object",
    ]
    results = read(write(tmp_path, "list.json", json.dumps(records)))
    one, two, empty, bad = results
    assert isinstance(one, RawItem) and one.text == "First text."
    assert isinstance(two, RawItem) and two.text == "Second text."
    assert two.locator.endswith("list.json#2")
    assert isinstance(empty, InputFailure) and isinstance(empty.error, NoContent)
    assert isinstance(bad, InputFailure) and isinstance(bad.error, MalformedInput)


def test_jsonl_with_a_broken_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "A", "maintext": "Text A."}),
        "",
        '{"title": "B", "maintext": "Text B.",',  # broken
        json.dumps({"title": "C", "maintext": "Text C."}),
        "[1, 2]",
    ]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    results = read(path)
    assert [i.title for i in items(results)] == ["A", "C"]
    broken, non_object = failures(results)
    assert broken.locator == f"{path}:3" and isinstance(broken.error, MalformedInput)
    assert "invalid JSON" in broken.error.message
    assert non_object.locator == f"{path}:5" and isinstance(non_object.error, MalformedInput)


def test_jsonl_sniffed_from_content(tmp_path: Path) -> None:
    lines = [json.dumps({"title": t, "maintext": t + " text."}) for t in ("A", "B")]
    results = read(write(tmp_path, "dump.json", "\n".join(lines)))
    assert [i.title for i in items(results)] == ["A", "B"]


def test_broken_json_file(tmp_path: Path) -> None:
    [failure] = read(write(tmp_path, "bad.json", '{"title": "x", '))
    assert isinstance(failure, InputFailure) and isinstance(failure.error, MalformedInput)


# --- HTML ----------------------------------------------------------------------------------------


def test_html_with_cp1251_meta_charset(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html>\n<html><head>"
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Новости</title>"
        '<link rel="canonical" href="https://www.example.ru/news/1">'
        "</head><body><p>" + RUSSIAN + "</p></body></html>"
    )
    path = write(tmp_path, "page.html", page.encode("cp1251"))
    [item] = read(path)
    assert isinstance(item, RawItem)
    assert item.format is InputFormat.HTML
    assert item.encoding == "cp1251"
    assert item.text == page
    assert item.url == "https://www.example.ru/news/1"
    assert item.warnings == ()


def test_html_sniffed_in_a_txt_and_og_url(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="og:url" content="https://example.com/x?a=1&amp;b=2">'
        "</head><body><p>Hello</p></body></html>"
    )
    [item] = read(write(tmp_path, "saved.txt", page))
    assert isinstance(item, RawItem) and item.format is InputFormat.HTML
    assert item.url == "https://example.com/x?a=1&b=2"


def test_html_relative_canonical_resolved_against_url_name() -> None:
    page = b'<html><head><link href="/a/b" rel="canonical"></head><body>x</body></html>'
    [item] = read_container("https://www.example.com/a/b?utm=1", page, max_bytes=MAX)
    assert isinstance(item, RawItem)
    assert item.url == "https://www.example.com/a/b"


def test_every_cut_of_a_warc_gz_is_handled() -> None:
    data = make_warc(compress=True)
    full = [i.text for i in items(list(read_container("w.warc.gz", data, max_bytes=MAX)))]
    for cut in range(0, len(data), 37):
        results = list(read_container("w.warc.gz", data[:cut], max_bytes=MAX))
        texts = [i.text for i in items(results)]
        assert texts == full[: len(texts)]
        # A cut exactly between two gzip members cannot be seen; anywhere else, one failure.
        assert len(failures(results)) <= 1


def test_corrupted_warc_never_raises() -> None:
    data = make_warc(compress=False)
    for pos in range(0, len(data), 151):
        damaged = data[:pos] + b"\x00garbage\r\n" + data[pos + 10 :]
        results = list(read_container("w.warc", damaged, max_bytes=MAX))
        assert len(failures(results)) <= 1 + len(items(results))
