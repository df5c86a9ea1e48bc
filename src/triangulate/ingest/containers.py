"""Format sniffing and readers: one input's bytes in, documents (``RawItem``) out.

``read_container`` looks at the bytes first and the name second: an extension is a hint
that content sniffing overrules (a ``.txt`` that starts with ``<!doctype html`` is HTML,
a ``.json`` that holds one object per line is JSONL). Each format has its own small
reader below. Problems with the content never raise out of ``read_container``; they come
back as ``InputFailure`` values in the stream, so one bad record (a broken JSONL line, a
feed item without text) does not cost the rest of the input.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import (
    InputError,
    InputTooLarge,
    MalformedInput,
    NoContent,
    TruncatedInput,
    UnsafeXML,
    UnsupportedInput,
)
from ..records import DateMethod, InputFormat, PublishedDate, RawItem, SourceInfo, SourceKind
from .encoding import Decoded, decode_bytes
from .metadates import parse_metadata_date

__all__ = ["InputFailure", "read_container"]


@dataclass(frozen=True, slots=True)
class InputFailure:
    """One input, or one record inside a container, that could not be read."""

    locator: str
    error: InputError


Item = RawItem | InputFailure


def read_container(name: str, data: bytes, *, max_bytes: int) -> Iterator[Item]:
    """Read one input (``name`` is its path, URL or "<stdin>") into documents.

    Yields a ``RawItem`` per document and an ``InputFailure`` per input or record that
    was rejected. Locators: ``name`` for single documents, ``name#N`` (counting from 1)
    for feed items, JSON list elements and WARC records (N counts every record in the
    archive, warcinfo and requests included, so it finds the record again), and
    ``name:LINE`` for JSONL lines. Content problems never raise.
    """
    if len(data) > max_bytes:
        yield _fail(name, InputTooLarge(f"input is {len(data)} bytes; limit {max_bytes}"))
        return
    try:
        yield from _dispatch(name, _basename(name), data, max_bytes, nested=False)
    except InputError as exc:
        # A reader gave up on the whole input (possibly after yielding good records).
        yield _fail(name, exc)


def _fail(locator: str, error: InputError) -> InputFailure:
    if error.input_name is None:
        error.input_name = locator
    return InputFailure(locator, error)


# --- sniffing ------------------------------------------------------------------------------

_HTML_EXTS = (".html", ".htm", ".xhtml", ".shtml")
_FEED_EXTS = (".xml", ".rss", ".atom", ".rdf")
_JSONL_EXTS = (".jsonl", ".ndjson")
_GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 4096

_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf"})
# Elements an HTML page or fragment plausibly starts with.
_HTML_ROOTS = frozenset(
    {
        "html",
        "head",
        "body",
        "div",
        "p",
        "article",
        "section",
        "main",
        "header",
        "footer",
        "nav",
        "span",
        "a",
        "table",
        "meta",
        "title",
        "link",
        "script",
        "style",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "br",
        "img",
        "form",
        "figure",
        "blockquote",
        "pre",
        "b",
        "i",
        "em",
        "strong",
        "noscript",
        "iframe",
        "center",
        "font",
    }
)


def _basename(name: str) -> str:
    """Lower-cased last path segment of a file path or URL (extensions are hints)."""
    path = urlsplit(name).path if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", name) else name
    return re.split(r"[/\\]", path)[-1].lower()


def _head_text(data: bytes) -> str:
    """The first few KB as text good enough to see markup and brackets in."""
    head = data[:_SNIFF_BYTES]
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    # Every other encoding we accept is ASCII-compatible, which is all markup needs.
    return head.decode("latin-1").removeprefix("\xef\xbb\xbf")


def _markup_root(text: str) -> tuple[str | None, bool]:
    """(root element name lower-cased or "!doctype" for a non-HTML DTD, saw <?xml)."""
    saw_xml = False
    rest = text
    for _ in range(32):  # bounded: a head full of comments is not worth more
        rest = rest.lstrip()
        if rest.startswith("<?"):
            saw_xml = saw_xml or rest[:5].lower() == "<?xml"
            end = rest.find("?>")
            if end < 0:
                return None, saw_xml
            rest = rest[end + 2 :]
        elif rest.startswith("<!--"):
            end = rest.find("-->")
            if end < 0:
                return None, saw_xml
            rest = rest[end + 3 :]
        elif rest[:9].lower() == "<!doctype":
            if re.match(r"<!doctype\s+html\b", rest, re.IGNORECASE):
                return "html", saw_xml
            return "!doctype", saw_xml  # an XML DTD: let the XML reader judge it
        else:
            match = re.match(r"<([A-Za-z][\w:.-]*)", rest)
            return (match.group(1).lower() if match else None), saw_xml
    return None, saw_xml


def _dispatch(name: str, base: str, data: bytes, max_bytes: int, *, nested: bool) -> Iterator[Item]:
    """Pick the reader for ``data``; ``base`` is the file name used for extension hints."""
    if data.startswith(_GZIP_MAGIC):
        if base.endswith(".warc.gz") or _gzip_head(data).startswith(b"WARC/"):
            yield from read_warc_stream(name, io.BytesIO(data), max_bytes=max_bytes)
            return
        if nested:
            raise UnsupportedInput("gzip inside gzip is not supported")
        inner = _gunzip(data, max_bytes)
        yield from _dispatch(name, base.removesuffix(".gz"), inner, max_bytes, nested=True)
        return
    if data[:64].lstrip().startswith(b"WARC/") or base.endswith(".warc"):
        yield from read_warc_stream(name, io.BytesIO(data), max_bytes=max_bytes)
        return

    head = _head_text(data).lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        root, saw_xml = _markup_root(head)
        if root in _FEED_ROOTS or root == "!doctype":
            yield from _read_feed(name, data)
            return
        if root in _HTML_ROOTS:
            yield _read_html(name, data)
            return
        if saw_xml or base.endswith(_FEED_EXTS):
            yield from _read_feed(name, data)  # other XML: the feed reader says why not
            return
    elif head.startswith(("{", "[")) or base.endswith((".json", *_JSONL_EXTS)):
        yield from _read_json_family(name, data, base)
        return

    if base.endswith(_HTML_EXTS):
        yield _read_html(name, data)
    elif base.endswith(_FEED_EXTS):
        yield from _read_feed(name, data)
    else:
        yield _read_text(name, data)


# --- gzip ----------------------------------------------------------------------------------


def _gzip_head(data: bytes, size: int = 16) -> bytes:
    """The first ``size`` decompressed bytes, or b"" if that much cannot be had."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], size)
    except zlib.error:
        return b""


def _gunzip_lenient(data: bytes, max_bytes: int) -> tuple[bytes, str | None]:
    """Decompress (all members of) a gzip stream, at most ``max_bytes`` of output.

    Returns what could be decompressed and, if the stream is damaged, why. Raises
    ``InputTooLarge`` past the cap: output is produced in bounded steps, so a gzip bomb
    never gets further than ``max_bytes``.
    """
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        try:
            while True:
                chunk = inflater.decompress(pending, max_bytes - len(out) + 1)
                out += chunk
                if len(out) > max_bytes:
                    raise InputTooLarge(f"gzip data expands to more than {max_bytes} bytes")
                pending = inflater.unconsumed_tail
                if inflater.eof or not (pending or chunk):
                    break
        except zlib.error as exc:
            return bytes(out), f"corrupt gzip after {len(out)} bytes of output: {exc}"
        if not inflater.eof:
            return bytes(out), (
                f"truncated gzip: the stream ends after {len(out)} bytes of output, "
                "before its end marker"
            )
        rest = inflater.unused_data
        if not rest.strip(b"\x00"):
            break  # zero padding after the last member is common and harmless
        if not rest.startswith(_GZIP_MAGIC):
            return bytes(out), "corrupt gzip: unexpected bytes after the end of the stream"
    return bytes(out), None


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    out, problem = _gunzip_lenient(data, max_bytes)
    if problem:
        message = problem if problem.startswith("truncated gzip") else f"truncated gzip: {problem}"
        raise TruncatedInput(message)
    return out


# --- WARC ----------------------------------------------------------------------------------

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# warcio reports damage with its own exceptions, but a record cut inside its headers
# reaches code that assumes they are complete (AttributeError on a missing URI, ...), so
# those count as damage too. Only the warcio calls sit inside the try that uses this.
_WARC_OWN_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException)
_WARC_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    ValueError,
    EOFError,
    OSError,
    AttributeError,
    TypeError,
    KeyError,
    IndexError,
)


def _is_html_200(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    http = record.http_headers
    content_type = http.get_header("Content-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    return bool(http.get_statuscode() == "200" and mime in _HTML_TYPES)


def _read_payload(
    record: ArcWarcRecord, max_bytes: int, *, wanted: bool
) -> tuple[bytes | None, bool]:
    """(HTTP payload, or None when over ``max_bytes``; whether the record is complete).

    Reads the payload of a wanted record through warcio's content stream (dechunked,
    decompressed), then drains the raw block: a record is complete when its whole
    Content-Length was there. Unwanted records are only drained, never held.
    """
    content = bytearray()
    stream = record.content_stream()
    too_big = False
    while wanted:
        chunk = stream.read(65536)
        if not chunk:
            break
        if len(content) + len(chunk) > max_bytes:
            too_big = True
            break
        content += chunk
    raw = record.raw_stream
    while raw.read(65536):
        pass
    complete = getattr(raw, "limit", None) == 0
    return (None if too_big else bytes(content)), complete


def _warc_item(name: str, number: int, record: ArcWarcRecord, payload: bytes | None) -> Item | None:
    """A RawItem for an HTML 200 response, a failure for a bad one, None to skip."""
    if not _is_html_200(record):
        return None
    http = record.http_headers
    content_type = http.get_header("Content-Type") or ""
    locator = f"{name}#{number}"
    if payload is None:
        return _fail(locator, InputTooLarge("WARC record payload is larger than the input limit"))
    match = _CHARSET_RE.search(content_type)
    declared = match.group(1) if match else _html_declared_charset(payload[:_SNIFF_BYTES])
    try:
        decoded = decode_bytes(payload, name=locator, declared=declared)
    except InputError as exc:
        return _fail(locator, exc)
    language = (http.get_header("Content-Language") or "").split(",")[0].strip() or None
    return RawItem(
        locator=locator,
        text=decoded.text,
        format=InputFormat.HTML,
        encoding=decoded.encoding,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        captured=record.rec_headers.get_header("WARC-Date"),
        language_hint=language,
        warnings=decoded.warnings,
    )


class _GunzipStream(io.RawIOBase):
    """Concatenated gzip members (a WARC.gz is one member per record), decompressed as
    they are read, so an archive of any size streams in bounded memory. warcio would
    stop silently at a cut member; here the damage is kept in ``problem``."""

    _CHUNK = 1 << 16

    def __init__(self, raw: BinaryIO) -> None:
        self.raw_file = raw
        self.problem: str | None = None
        self.produced = 0
        self._inflater: Any = None  # None between members
        self._input = b""  # compressed bytes not yet given to the inflater
        self._done = False

    def readable(self) -> bool:
        return True

    def _stop(self, problem: str | None) -> int:
        self.problem = problem
        self._done = True
        return 0

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if not len(view):
            return 0  # zlib reads a max_length of 0 as "no limit"
        while not self._done:
            if not self._input:
                self._input = self.raw_file.read(self._CHUNK)
                if not self._input:
                    if self._inflater is None:
                        return self._stop(None)  # a clean end after a whole member
                    return self._stop(
                        f"truncated gzip: the stream ends after {self.produced} bytes of "
                        "output, before its end marker"
                    )
            if self._inflater is None:
                # Between members: the next one, zero padding (harmless), or junk.
                self._input = self._input.lstrip(b"\x00")
                if not self._input:
                    continue
                if not self._input.startswith(_GZIP_MAGIC):
                    return self._stop("corrupt gzip: unexpected bytes after the end of the stream")
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                chunk = self._inflater.decompress(self._input, len(view))
            except zlib.error as exc:
                return self._stop(f"corrupt gzip after {self.produced} bytes of output: {exc}")
            if self._inflater.eof:
                self._input = self._inflater.unused_data
                self._inflater = None
            else:
                self._input = self._inflater.unconsumed_tail
            if chunk:
                view[: len(chunk)] = chunk
                self.produced += len(chunk)
                return len(chunk)
        return 0


def read_warc_stream(name: str, fh: BinaryIO, *, max_bytes: int) -> Iterator[Item]:
    """A WARC or WARC.gz read from an open binary file, in bounded memory: ``max_bytes``
    limits each record's payload, not the archive. Content problems never raise."""
    head = fh.read(2)
    fh.seek(-len(head), io.SEEK_CUR)
    gz = _GunzipStream(fh) if head == _GZIP_MAGIC else None
    source: Any = gz if gz is not None else fh
    stream: io.BufferedReader = io.BufferedReader(source)
    try:
        yield from _read_warc(name, stream, max_bytes, lambda: gz.problem if gz else None)
    except InputError as exc:
        yield _fail(name, exc)


def _read_warc(
    name: str, stream: io.BufferedReader, max_bytes: int, gzip_problem: Callable[[], str | None]
) -> Iterator[Item]:
    """HTML 200 responses from a WARC. On damage, the complete records before it come
    out, then one ``TruncatedInput`` naming the last good record."""
    start = stream.peek(64)[:64]
    if not start.lstrip().startswith(b"WARC/"):
        if gzip_problem():
            raise TruncatedInput(f"truncated WARC: {gzip_problem()}")
        raise MalformedInput("not a WARC archive (no WARC/1.x header at the start)")

    iterator = ArchiveIterator(stream)
    records = iter(iterator)
    good = 0  # records read completely
    found = 0
    damage: str | None = None
    while True:
        number = good + 1
        try:
            # warcio writes "record not followed by newline" notices to stderr and counts
            # them in err_count; library code must not print, so the notice is swallowed
            # here and the count turned into a damage report below.
            with contextlib.redirect_stderr(io.StringIO()):
                record = next(records)
            payload, complete = _read_payload(record, max_bytes, wanted=_is_html_200(record))
        except StopIteration:
            break
        except _WARC_ERRORS as exc:
            detail = str(exc).strip() if isinstance(exc, _WARC_OWN_ERRORS) else ""
            damage = f"record {number} cannot be read: {detail or 'headers damaged or cut'}"
            break
        if iterator.err_count:
            # Found while skipping to this record: the previous one overran its length.
            damage = f"record {number - 1} is not followed by a record boundary"
            break
        if not complete:
            damage = f"record {number} is cut short"
            break
        good = number
        item = _warc_item(name, number, record, payload)
        if item is not None:
            found += 1
            yield item
    if iterator.err_count and damage is None:
        damage = f"record {good} is not followed by a record boundary"
    problem = gzip_problem()
    if damage or problem:
        reason = damage or problem
        where = f"after record {good}" if good else "at its first record"
        yield _fail(name, TruncatedInput(f"truncated WARC: the archive breaks {where} ({reason})"))
    elif not found:
        yield _fail(name, NoContent(f"no HTML responses with status 200 among {good} records"))


# --- HTML and plain text -----------------------------------------------------------------

_META_CHARSET_RE = re.compile(
    rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE | re.DOTALL
)
_TAG_RE = re.compile(r"<(link|meta)\b([^>]*)>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_HEAD_SCAN = 262144  # canonical links live in <head>; do not scan whole pages


def _html_declared_charset(head: bytes) -> str | None:
    """Charset from <meta charset> or <meta http-equiv content="...; charset=...">."""
    match = _META_CHARSET_RE.search(head)
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _attrs(text: str) -> dict[str, str]:
    return {key.lower(): html.unescape(value.strip("\"'")) for key, value in _ATTR_RE.findall(text)}


def _is_web_url(value: str | None) -> bool:
    return bool(value) and urlsplit(value or "").scheme in ("http", "https")


def _canonical_url(text: str, base: str | None) -> str | None:
    """<link rel=canonical href> first, else <meta property=og:url content>."""
    head = text[:_HEAD_SCAN]
    end = head.lower().find("</head>")
    if end >= 0:
        head = head[:end]
    canonical = og_url = None
    for match in _TAG_RE.finditer(head):
        attrs = _attrs(match.group(2))
        if match.group(1).lower() == "link" and "canonical" in attrs.get("rel", "").lower().split():
            canonical = canonical or attrs.get("href")
        elif attrs.get("property", attrs.get("name", "")).lower() == "og:url":
            og_url = og_url or attrs.get("content")
    for candidate in (canonical, og_url):
        if not candidate:
            continue
        url = urljoin(base, candidate.strip()) if base else candidate.strip()
        if _is_web_url(url):
            return url
    return None


def _read_html(name: str, data: bytes) -> RawItem:
    decoded = decode_bytes(data, name=name, declared=_html_declared_charset(data[:_SNIFF_BYTES]))
    page_url = name if _is_web_url(name) else None
    return RawItem(
        locator=name,
        text=decoded.text,
        format=InputFormat.HTML,
        encoding=decoded.encoding,
        url=_canonical_url(decoded.text, page_url) or page_url,
        warnings=decoded.warnings,
    )


def _read_text(name: str, data: bytes) -> RawItem:
    decoded = decode_bytes(data, name=name)
    return RawItem(
        locator=name,
        text=decoded.text,
        format=InputFormat.TEXT,
        encoding=decoded.encoding,
        url=name if _is_web_url(name) else None,
        warnings=decoded.warnings,
    )


# --- JSON and JSONL article records ------------------------------------------------------


def _as_text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _as_line(value: Any) -> str | None:
    text = _as_text(value)
    return " ".join(text.split()) if text else None


def _as_names(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_as_line(v) for v in value) if n]
        return ", ".join(names) or None
    return _as_line(value)


def _as_url(value: Any) -> str | None:
    text = _as_line(value)
    return text if _is_web_url(text) else None


def _as_domain(value: Any) -> str | None:
    text = _as_line(value)
    return _strip_www(text.lower()) if text else None


def _as_present(value: Any) -> str | None:
    # Dates are parsed later, where the evidence (the key) is known.
    return _as_line(value)


@dataclass(frozen=True, slots=True)
class _JsonField:
    target: str
    keys: tuple[str, ...]  # tried in order; the first usable value wins
    convert: Callable[[Any], str | None]


# Where each piece of an article lives in the JSON shapes we know: news-please
# (maintext, authors, date_publish, date_download, source_domain, ...) and trafilatura's
# JSON output (text/raw_text, author, date, hostname, source = the page URL,
# source-hostname = the site name, excerpt, filedate). A new shape is a new key here.
_JSON_FIELDS: tuple[_JsonField, ...] = (
    _JsonField("text", ("maintext", "text", "raw_text"), _as_text),
    _JsonField("title", ("title", "title_page", "title_rss"), _as_line),
    _JsonField("author", ("authors", "author"), _as_names),
    _JsonField("description", ("description", "excerpt"), _as_text),
    _JsonField("url", ("url", "source"), _as_url),
    _JsonField("published", ("date_publish", "date"), _as_present),
    _JsonField("modified", ("date_modify",), _as_present),
    _JsonField("captured", ("date_download", "filedate"), _as_present),
    _JsonField("site_name", ("sitename", "source-hostname"), _as_line),
    _JsonField("domain", ("source_domain", "hostname"), _as_domain),
    _JsonField("language", ("language",), _as_line),
)
_TEXT_KEYS = next(f.keys for f in _JSON_FIELDS if f.target == "text")


def _extract_fields(record: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """target -> (value, the key it came from)."""
    found: dict[str, tuple[str, str]] = {}
    for field in _JSON_FIELDS:
        for key in field.keys:
            value = field.convert(record.get(key))
            if value is not None:
                found[field.target] = (value, key)
                break
    return found


def _json_dates(fields: dict[str, tuple[str, str]]) -> tuple[PublishedDate | None, str | None]:
    published = None
    if "published" in fields:
        value, key = fields["published"]
        published = parse_metadata_date(value, f"json {key}")
    if published is None and "modified" in fields:
        # Better than nothing for ordering, but a modification date is not a
        # publication date: it is an upper bound, so it is marked as inferred.
        value, key = fields["modified"]
        published = parse_metadata_date(
            value, f"json {key} (modification date; no publication date)", DateMethod.INFERRED
        )
    captured = None
    if "captured" in fields:
        value, key = fields["captured"]
        parsed = parse_metadata_date(value, f"json {key}")
        captured = parsed.value if parsed else None
    return published, captured


def _article_item(locator: str, record: Any, decoded: Decoded) -> Item:
    if not isinstance(record, dict):
        kind = type(record).__name__
        return _fail(locator, MalformedInput(f"expected a JSON object (an article), got {kind}"))
    fields = _extract_fields(record)
    if "text" not in fields:
        looked = ", ".join(_TEXT_KEYS)
        return _fail(locator, NoContent(f"article record has no text (looked for {looked})"))

    def get(target: str) -> str | None:
        return fields[target][0] if target in fields else None

    url = get("url")
    domain = get("domain") or (_host(url) if url else None)
    source = None
    if get("site_name") or domain:
        keys = [fields[t][1] for t in ("site_name", "domain") if t in fields]
        evidence = "json " + (", ".join(keys) if keys else "url host")
        source = SourceInfo(
            name=get("site_name"), domain=domain, kind=SourceKind.UNKNOWN, evidence=evidence
        )
    published, captured = _json_dates(fields)
    return RawItem(
        locator=locator,
        text=fields["text"][0],
        format=InputFormat.ARTICLE,
        encoding=decoded.encoding,
        url=url,
        title=get("title"),
        author=get("author"),
        published=published,
        source=source,
        description=get("description"),
        captured=captured,
        language_hint=get("language"),
        warnings=decoded.warnings,
    )


def _first_line_is_object(text: str) -> bool:
    for line in text.split("\n"):
        if line.strip():
            try:
                return isinstance(json.loads(line), dict)
            except json.JSONDecodeError:
                return False
    return False


def _read_json_family(name: str, data: bytes, base: str) -> Iterator[Item]:
    """JSON (an object or a list of them) or JSONL; the content decides between them,
    and text that only looks like JSON at first glance is read as plain text unless the
    extension insists on JSON."""
    decoded = decode_bytes(data, name=name)
    text = decoded.text
    try:
        whole: Any = json.loads(text)
        whole_error = None
    except json.JSONDecodeError as exc:
        whole, whole_error = None, exc
    lines_ok = _first_line_is_object(text)

    if lines_ok and (whole_error is not None or base.endswith(_JSONL_EXTS)):
        yield from _jsonl_items(name, decoded)
    elif whole_error is None:
        yield from _json_items(name, whole, decoded)
    elif base.endswith((".json", *_JSONL_EXTS)):
        yield _fail(name, MalformedInput(f"invalid JSON: {whole_error}"))
    else:
        yield _read_text(name, data)


def _json_items(name: str, whole: Any, decoded: Decoded) -> Iterator[Item]:
    if isinstance(whole, list):
        if not whole:
            yield _fail(name, NoContent("JSON list holds no records"))
        for index, record in enumerate(whole, 1):
            yield _article_item(f"{name}#{index}", record, decoded)
    else:
        yield _article_item(name, whole, decoded)


def _jsonl_items(name: str, decoded: Decoded) -> Iterator[Item]:
    for lineno, line in enumerate(decoded.text.split("\n"), 1):
        if not line.strip():
            continue
        locator = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _fail(locator, MalformedInput(f"invalid JSON: {exc}"))
            continue
        yield _article_item(locator, record, decoded)


# --- RSS and Atom feeds ----------------------------------------------------------------------

# Namespaces folded to the prefixes feeds conventionally use, so lookups read as in the
# spec ("content:encoded", "dc:creator"); RSS 2.0, RSS 1.0 and Atom elements have none.
_NS_PREFIX = {
    "": "",
    "http://www.w3.org/2005/Atom": "",
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://purl.org/dc/elements/1.1/": "dc:",
    "http://www.w3.org/1999/xhtml": "xhtml:",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_DECL_ENCODING_RE = re.compile(
    r"""^(\s*<\?xml\b[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""", re.IGNORECASE
)
_XML_DECL_ENCODING_BYTES_RE = re.compile(
    rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE
)
_HAS_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_DATE_KEYS = (
    ("pubDate", "feed pubDate"),
    ("published", "feed published"),
    ("dc:date", "feed dc:date"),
    ("updated", "feed updated"),
)


def _key(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        prefix = _NS_PREFIX.get(uri)
        return f"{prefix}{local}" if prefix is not None else tag
    return tag


def _child(elem: Element, key: str) -> Element | None:
    for child in elem:
        if _key(child.tag) == key:
            return child
    return None


def _children(elem: Element, key: str) -> list[Element]:
    return [child for child in elem if _key(child.tag) == key]


def _text_of(elem: Element | None) -> str | None:
    if elem is None:
        return None
    text = "".join(elem.itertext()).strip()
    return text or None


def _child_text(elem: Element, key: str) -> str | None:
    return _text_of(_child(elem, key))


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return _strip_www(host) if host else None


def _atom_link(elem: Element) -> str | None:
    """The alternate (or rel-less) link of an Atom feed or entry."""
    for link in _children(elem, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _rss_author(value: str | None) -> str | None:
    # RSS 2.0 <author> is "email (Name)"; keep the name when there is one.
    if not value:
        return None
    match = re.search(r"\(([^()]+)\)\s*$", value)
    return match.group(1).strip() if match else value


def _strip_namespaces(elem: Element) -> Element:
    for node in elem.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = node.tag.split("}", 1)[1]
    return elem


def _atom_body(elem: Element | None) -> tuple[str | None, bool]:
    """(content, is_html) of an Atom <content> or <summary>."""
    if elem is None or elem.get("src"):
        return None, False  # out-of-line content is not in the feed
    kind = (elem.get("type") or "text").lower()
    if kind == "xhtml":
        parts = [
            tostring(_strip_namespaces(child), encoding="unicode", method="html") for child in elem
        ]
        return ("".join(parts).strip() or None), True
    text = "".join(elem.itertext()).strip() or None
    return text, kind in ("html", "text/html")


def _html_document(title: str | None, fragment: str) -> str:
    """Wrap a feed's HTML fragment so an HTML extractor sees a page with a title."""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title or '')}</title></head>"
        f"<body>{fragment}</body></html>"
    )


@dataclass(frozen=True, slots=True)
class _Channel:
    source: SourceInfo | None
    language: str | None
    link: str | None
    author: str | None  # Atom feed-level author, inherited by entries without one


@dataclass(frozen=True, slots=True)
class _Entry:
    title: str | None
    link: str | None
    author: str | None
    published: PublishedDate | None
    body: str | None
    is_html: bool
    language: str | None


def _channel(elem: Element | None, link: str | None, language: str | None) -> _Channel:
    title = _child_text(elem, "title") if elem is not None else None
    domain = _host(link)
    source = None
    if title or domain:
        source = SourceInfo(
            name=title, domain=domain, kind=SourceKind.UNKNOWN, evidence="feed channel"
        )
    author = None
    if elem is not None and (author_elem := _child(elem, "author")) is not None:
        author = _child_text(author_elem, "name")
    return _Channel(source, language, link, author)


def _entry_date(elem: Element) -> PublishedDate | None:
    for key, evidence in _DATE_KEYS:
        value = _child_text(elem, key)
        parsed = parse_metadata_date(value, evidence) if value else None
        if parsed is not None:
            return parsed
    return None


def _rss_entry(item: Element) -> _Entry:
    encoded = _child_text(item, "content:encoded")
    description = _child_text(item, "description")
    body: str | None
    if encoded:
        body, is_html = encoded, True
    elif description and _HAS_TAG_RE.search(description):
        body, is_html = description, True
    else:
        body, is_html = (html.unescape(description) if description else None), False
    link = _child_text(item, "link")
    guid = _child(item, "guid")
    if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
        link = _text_of(guid)
    return _Entry(
        title=_child_text(item, "title"),
        link=link,
        author=_child_text(item, "dc:creator") or _rss_author(_child_text(item, "author")),
        published=_entry_date(item),
        body=body,
        is_html=is_html,
        language=_child_text(item, "dc:language"),
    )


def _atom_title(elem: Element) -> str | None:
    title = _child(elem, "title")
    text = _text_of(title)
    if text and title is not None and (title.get("type") or "").lower() == "html":
        # An escaped-HTML title ("&lt;b&gt;Storm&lt;/b&gt;"): keep the words only.
        text = " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split()) or None
    return text


def _atom_entry(entry: Element) -> _Entry:
    body, is_html = _atom_body(_child(entry, "content"))
    if not body:
        body, is_html = _atom_body(_child(entry, "summary"))
    author_elem = _child(entry, "author")
    return _Entry(
        title=_atom_title(entry),
        link=_atom_link(entry),
        author=_child_text(author_elem, "name") if author_elem is not None else None,
        published=_entry_date(entry),
        body=body,
        is_html=is_html,
        language=entry.get(_XML_LANG),
    )


def _parse_xml(name: str, data: bytes) -> tuple[Element, Decoded]:
    head = _XML_DECL_ENCODING_BYTES_RE.match(data[:512])
    declared = head.group(1).decode("ascii") if head else None
    decoded = decode_bytes(data, name=name, declared=declared)
    # We hand the parser text we already decoded, so the declaration's encoding is
    # spent; removing it keeps expat from second-guessing the decoded text.
    text = _XML_DECL_ENCODING_RE.sub(r"\1", decoded.text, count=1)
    try:
        root = SafeET.fromstring(text)
    except DefusedXmlException as exc:
        raise UnsafeXML(
            "XML refused: it declares entities or external references "
            f"({type(exc).__name__}); entity expansion is a known attack "
            '("billion laughs") and feeds have no need of it'
        ) from exc
    except ParseError as exc:
        raise MalformedInput(f"malformed XML: {exc}") from exc
    return root, decoded


def _feed_parts(root: Element) -> tuple[_Channel, list[_Entry]]:
    kind = _key(root.tag)
    if kind == "rss":
        channel = _child(root, "channel")
        if channel is None:
            return _channel(None, None, None), []
        link = _child_text(channel, "link")
        language = _child_text(channel, "language") or _child_text(channel, "dc:language")
        items = [_rss_entry(item) for item in _children(channel, "item")]
        return _channel(channel, link, language), items
    if kind == "rdf:RDF":
        channel = _child(root, "channel")
        link = _child_text(channel, "link") if channel is not None else None
        language = _child_text(channel, "dc:language") if channel is not None else None
        items = [_rss_entry(item) for item in _children(root, "item")]
        return _channel(channel, link, language), items
    if kind == "feed":
        entries = [_atom_entry(entry) for entry in _children(root, "entry")]
        return _channel(root, _atom_link(root), root.get(_XML_LANG)), entries
    raise UnsupportedInput(f"XML that is not an RSS or Atom feed (root element <{kind}>)")


def _feed_item(locator: str, entry: _Entry, channel: _Channel, decoded: Decoded) -> Item:
    if not entry.body:
        what = f" {entry.title!r}" if entry.title else ""
        return _fail(locator, NoContent(f"feed item{what} has no text (only a title or a link)"))
    link = entry.link
    if link and channel.link and not _is_web_url(link):
        link = urljoin(channel.link, link)
    if entry.is_html:
        text, fmt = _html_document(entry.title, entry.body), InputFormat.HTML
    else:
        text, fmt = entry.body, InputFormat.ARTICLE
    return RawItem(
        locator=locator,
        text=text,
        format=fmt,
        encoding=decoded.encoding,
        url=link if _is_web_url(link) else None,
        title=entry.title,
        author=entry.author or channel.author,
        published=entry.published,
        source=channel.source,
        language_hint=entry.language or channel.language,
        warnings=decoded.warnings,
    )


def _read_feed(name: str, data: bytes) -> Iterator[Item]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, parsed with defusedxml."""
    root, decoded = _parse_xml(name, data)
    channel, entries = _feed_parts(root)
    if not entries:
        yield _fail(name, NoContent("feed has no items"))
    for index, entry in enumerate(entries, 1):
        yield _feed_item(f"{name}#{index}", entry, channel, decoded)
