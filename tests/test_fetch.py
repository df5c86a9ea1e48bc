"""Tests for ``triangulate.ingest.fetch`` against real HTTP servers on 127.0.0.1.

No mocks: each test starts a ThreadingHTTPServer on a free loopback port. An audit hook
records every ``socket.connect`` made while a test here runs and aborts any that is not
to 127.0.0.1 or ::1, so a bug in the address check cannot make the suite send traffic
anywhere else; the refusal tests also assert that no connection was attempted at all.
"""

from __future__ import annotations

import gzip
import http.server
import ipaddress
import shutil
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from triangulate.errors import BlockedAddress, FetchError
from triangulate.ingest import fetch as fetch_module
from triangulate.ingest.fetch import FetchResult, fetch

# --- the connection guard ----------------------------------------------------------------


class ForbiddenConnect(Exception):
    """Raised from the audit hook, before the connect happens."""


@dataclass
class _Watch:
    active: bool = False
    connects: list[Any] = field(default_factory=list)
    lookups: list[Any] = field(default_factory=list)


_WATCH = _Watch()
_LOOPBACK = {"127.0.0.1", "::1"}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # Audit hooks cannot be removed, so this one stays installed and only acts while a
    # test in this module runs.
    if not _WATCH.active:
        return
    if event == "socket.getaddrinfo":
        _WATCH.lookups.append(args[0])
    elif event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple):
            _WATCH.connects.append(address)
            if address[0] not in _LOOPBACK:
                raise ForbiddenConnect(f"test tried to connect to {address!r}")


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def watch() -> Iterator[_Watch]:
    _WATCH.connects.clear()
    _WATCH.lookups.clear()
    _WATCH.active = True
    try:
        yield _WATCH
    finally:
        _WATCH.active = False


# --- test servers ------------------------------------------------------------------------

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class Server:
    port: int
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]
    stop: threading.Event
    scheme: str = "http"

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def _start_server(tls_context: Any = None) -> tuple[Server, Callable[[], None]]:
    routes: dict[str, Route] = {}
    requests: list[tuple[str, dict[str, str]]] = []
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            requests.append((self.path, dict(self.headers.items())))
            route = routes.get(urlsplit(self.path).path)
            try:
                if route is None:
                    self.send_error(404)
                else:
                    route(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, which is often what the test wants
            self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # clients hanging up mid-response are expected here

    httpd = Quiet(("127.0.0.1", 0), Handler)
    if tls_context is not None:
        httpd.socket = tls_context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    server = Server(httpd.server_address[1], routes, requests, stop)
    if tls_context is not None:
        server.scheme = "https"

    def shut() -> None:
        stop.set()  # wakes handlers that are sleeping on purpose
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)

    return server, shut


@pytest.fixture
def server() -> Iterator[Server]:
    srv, shut = _start_server()
    try:
        yield srv
    finally:
        shut()


@pytest.fixture
def other_server() -> Iterator[Server]:
    srv, shut = _start_server()
    try:
        yield srv
    finally:
        shut()


def respond(
    h: http.server.BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: tuple[tuple[str, str], ...] = (),
) -> None:
    h.send_response(status)
    for name, value in headers:
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(body)


def redirect(status: int, location: str) -> Route:
    return lambda h: respond(h, status, headers=(("Location", location),))


def free_port() -> int:
    """A loopback port with nothing listening on it (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


# --- plain fetches -----------------------------------------------------------------------

PAGE = "<html><body><p>Новости дня</p></body></html>".encode("windows-1251")


def test_plain_fetch(server: Server) -> None:
    server.routes["/page"] = lambda h: respond(
        h, body=PAGE, headers=(("Content-Type", "text/html; charset=windows-1251"),)
    )
    url = server.url("/page?id=7")
    result = fetch(url, allow_private=True, timeout=2)
    assert isinstance(result, FetchResult)
    assert result.status == 200
    assert result.body == PAGE
    assert result.content_type == "text/html"
    assert result.charset == "windows-1251"
    assert result.url == url
    assert result.requested_url == url
    assert result.redirects == ()
    path, headers = server.requests[0]
    assert path == "/page?id=7"
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert headers["User-Agent"] == "triangulate/0.1 (+news triangulation)"


def test_content_type_variants(server: Server) -> None:
    server.routes["/quoted"] = lambda h: respond(
        h, body=b"{}", headers=(("Content-Type", 'Application/JSON; Charset="UTF-8"'),)
    )
    server.routes["/none"] = lambda h: respond(h, body=b"x")
    quoted = fetch(server.url("/quoted"), allow_private=True, timeout=2)
    assert (quoted.content_type, quoted.charset) == ("application/json", "utf-8")
    bare = fetch(server.url("/none"), allow_private=True, timeout=2)
    assert (bare.content_type, bare.charset) == (None, None)


def test_host_header_keeps_the_name_while_connecting_to_the_vetted_ip(
    server: Server, watch: _Watch
) -> None:
    server.routes["/"] = lambda h: respond(h, body=b"ok")
    result = fetch(server.url("/", host="localhost"), allow_private=True, timeout=2)
    assert result.body == b"ok"
    assert server.requests[0][1]["Host"] == f"localhost:{server.port}"
    assert {address[0] for address in watch.connects} <= _LOOPBACK
    assert watch.lookups == ["localhost"]  # resolved once, never again


def test_non_ascii_path_is_percent_encoded(server: Server) -> None:
    server.routes["/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"] = lambda h: respond(h, body=b"ok")
    result = fetch(server.url("/новости?q=a b"), allow_private=True, timeout=2)
    assert result.body == b"ok"
    assert server.paths() == ["/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8?q=a%20b"]


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, no wrapper
    ],
)
def test_compressed_body_is_decoded(
    server: Server, encoding: str, compress: Callable[[bytes], bytes]
) -> None:
    text = b"word " * 5000
    server.routes["/z"] = lambda h: respond(
        h, body=compress(text), headers=(("Content-Encoding", encoding),)
    )
    result = fetch(server.url("/z"), allow_private=True, timeout=2)
    assert result.body == text
    assert "gzip" in server.requests[0][1]["Accept-Encoding"]


# --- address refusals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.0.0.1:8080/admin", "loopback"),
        ("http://localhost/", "loopback"),
        ("http://LOCALHOST./", "loopback"),
        ("http://api.localhost/", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://192.168.0.1/", "private"),
        ("https://172.16.0.1/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://100.64.0.1/", "not publicly routable"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fc00::1]/", "private"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped form of 127.0.0.1, loopback"),
        ("http://[64:ff9b::a01:203]/", "NAT64 form of 10.1.2.3, private"),
        ("http://[2002:7f00:1::]/", "6to4 form of 127.0.0.1, loopback"),
    ],
)
def test_private_addresses_are_refused_before_connecting(url: str, why: str, watch: _Watch) -> None:
    with pytest.raises(BlockedAddress) as info:
        fetch(url, timeout=2)
    message = str(info.value)
    assert message.startswith("refused: ")
    assert f"({why})" in message
    assert message.endswith("pass --allow-private to allow")
    assert info.value.input_name == url
    assert info.value.code == "blocked-address"
    assert watch.connects == []


def test_live_loopback_server_is_not_contacted(server: Server, watch: _Watch) -> None:
    server.routes["/"] = lambda h: respond(h, body=b"secret")
    with pytest.raises(BlockedAddress, match=r"127\.0\.0\.1 is not a public address"):
        fetch(server.url("/"), timeout=2)
    assert server.requests == []
    assert watch.connects == []


def test_localhost_is_refused_by_name_without_resolving(watch: _Watch) -> None:
    with pytest.raises(BlockedAddress, match="localhost is this machine"):
        fetch("http://localhost:9/", timeout=2)
    assert watch.lookups == []


def test_any_bad_address_among_good_ones_refuses_the_name() -> None:
    target = fetch_module._Target.parse("http://news.example/")
    public = fetch_module._Address(socket.AF_INET, socket.SOCK_STREAM, 6, ("93.184.215.14", 80))
    loop = fetch_module._Address(socket.AF_INET, socket.SOCK_STREAM, 6, ("127.0.0.1", 80))
    fetch_module._vet(target, [public])  # a public address passes
    with pytest.raises(BlockedAddress) as info:
        fetch_module._vet(target, [public, loop])
    assert str(info.value) == (
        "refused: news.example resolves to 127.0.0.1 (loopback); pass --allow-private to allow"
    )


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_pass(address: str) -> None:
    assert fetch_module._why_not_public(ipaddress.ip_address(address)) is None


# --- redirects ---------------------------------------------------------------------------


def test_redirect_chain_is_followed_and_recorded(server: Server) -> None:
    server.routes["/r301"] = redirect(301, "/r302")  # relative
    server.routes["/r302"] = redirect(302, "r303")  # relative to the directory
    server.routes["/r303"] = redirect(303, server.url("/r307"))  # absolute
    server.routes["/r307"] = redirect(307, f"//127.0.0.1:{server.port}/r308")  # scheme-relative
    server.routes["/r308"] = redirect(308, "/final?x=1")
    server.routes["/final"] = lambda h: respond(h, body=b"done")
    start = server.url("/r301")
    result = fetch(start, allow_private=True, timeout=2)  # exactly max_redirects=5 hops
    assert result.body == b"done"
    assert result.url == server.url("/final?x=1")
    assert result.requested_url == start
    assert result.redirects == tuple(
        server.url(p) for p in ("/r301", "/r302", "/r303", "/r307", "/r308")
    )
    assert server.paths() == ["/r301", "/r302", "/r303", "/r307", "/r308", "/final?x=1"]


def test_too_many_redirects(server: Server) -> None:
    for i in range(10):
        server.routes[f"/hop{i}"] = redirect(302, f"/hop{i + 1}")
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)") as info:
        fetch(server.url("/hop0"), allow_private=True, max_redirects=3, timeout=2)
    assert "loop" not in str(info.value)
    assert server.paths() == ["/hop0", "/hop1", "/hop2", "/hop3"]


def test_no_redirects_allowed(server: Server) -> None:
    server.routes["/a"] = redirect(301, "/b")
    with pytest.raises(FetchError, match=r"more than 0"):
        fetch(server.url("/a"), allow_private=True, max_redirects=0, timeout=2)


def test_redirect_loop(server: Server) -> None:
    server.routes["/ping"] = redirect(302, "/pong")
    server.routes["/pong"] = redirect(302, "/ping")
    with pytest.raises(FetchError, match=r"more than 5\).*loop") as info:
        fetch(server.url("/ping"), allow_private=True, timeout=2)
    assert info.value.input_name == server.url("/ping")
    assert len(server.requests) == 6


def test_redirect_to_private_address_is_refused(
    server: Server, other_server: Server, watch: _Watch
) -> None:
    # Through fetch() a test cannot start from a public address, so the first hop (to
    # this loopback test server) is let through by hand; every later hop gets the
    # real policy, and other_server, the redirect's target, must never be contacted.
    other_server.routes["/internal"] = lambda h: respond(h, body=b"secret")
    server.routes["/go"] = redirect(302, other_server.url("/internal"))
    first = server.url("/go")

    def vet(target: Any, addresses: Any) -> None:
        if target.port != server.port:
            fetch_module._vet(target, addresses)

    with pytest.raises(BlockedAddress) as info:
        fetch_module._fetch(
            first,
            timeout=2,
            max_bytes=1000,
            max_redirects=5,
            user_agent="test",
            vet=vet,
        )
    assert str(info.value).startswith(f"redirected to {other_server.url('/internal')}: refused")
    assert "(loopback)" in str(info.value)
    assert other_server.requests == []
    assert {address[1] for address in watch.connects} == {server.port}


def test_redirect_to_file_scheme_is_refused(server: Server) -> None:
    server.routes["/go"] = redirect(302, "file:///etc/passwd")
    with pytest.raises(FetchError, match=r"redirected to file:///etc/passwd: unsupported URL"):
        fetch(server.url("/go"), allow_private=True, timeout=2)


def test_redirect_to_invalid_url(server: Server) -> None:
    server.routes["/go"] = redirect(302, "http://[oops/")
    with pytest.raises(FetchError, match=r"redirects to an invalid URL 'http://\[oops/'"):
        fetch(server.url("/go"), allow_private=True, timeout=2)


def test_redirect_without_location_is_an_error(server: Server) -> None:
    server.routes["/odd"] = lambda h: respond(h, 302)
    with pytest.raises(FetchError, match=r"HTTP 302 Found \(redirect without a Location"):
        fetch(server.url("/odd"), allow_private=True, timeout=2)


# --- size cap ----------------------------------------------------------------------------


def test_declared_length_over_cap_is_refused_before_reading(server: Server) -> None:
    def huge(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(10**12))
        h.end_headers()
        h.wfile.flush()
        server.stop.wait(5)  # never sends the body: reading it would hang

    server.routes["/huge"] = huge
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"is 1000000000000 bytes, more than the limit of 1000"):
        fetch(server.url("/huge"), allow_private=True, max_bytes=1000, timeout=2)
    assert time.monotonic() - started < 1


def test_body_exactly_at_cap_is_accepted(server: Server) -> None:
    server.routes["/fit"] = lambda h: respond(h, body=b"x" * 1000)
    assert (
        len(fetch(server.url("/fit"), allow_private=True, max_bytes=1000, timeout=2).body) == 1000
    )


def _endless(chunked: bool, stop: threading.Event) -> Route:
    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        if chunked:
            h.send_header("Transfer-Encoding", "chunked")
        h.send_header("Connection", "close")
        h.end_headers()
        block = b"a" * 16384
        for _ in range(2000):  # 32 MiB at most, if the client never stops reading
            if stop.is_set():
                return
            h.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)

    return route


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "connection-close"])
def test_streamed_body_over_cap_is_cut_off(server: Server, chunked: bool) -> None:
    server.routes["/stream"] = _endless(chunked, server.stop)
    with pytest.raises(FetchError, match=r"larger than the limit of 100000 bytes"):
        fetch(server.url("/stream"), allow_private=True, max_bytes=100_000, timeout=2)


def test_decompression_bomb_is_cut_off(server: Server) -> None:
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))  # about 20 KiB on the wire
    server.routes["/bomb"] = lambda h: respond(
        h, body=bomb, headers=(("Content-Encoding", "gzip"),)
    )
    with pytest.raises(FetchError, match=r"larger than the limit of 1048576 bytes"):
        fetch(server.url("/bomb"), allow_private=True, max_bytes=1024 * 1024, timeout=2)


def test_body_shorter_than_declared(server: Server) -> None:
    def short(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(b"only ten b")

    server.routes["/short"] = short
    with pytest.raises(
        FetchError, match=r"closed the connection early: body cut short after 10 of 1000 bytes"
    ):
        fetch(server.url("/short"), allow_private=True, timeout=2)


# --- timeouts ----------------------------------------------------------------------------


def test_server_slower_than_timeout(server: Server) -> None:
    def slow(h: http.server.BaseHTTPRequestHandler) -> None:
        server.stop.wait(5)  # far longer than the timeout; ends at teardown
        respond(h, body=b"late")

    server.routes["/slow"] = slow
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s waiting for 127\.0\.0\.1"):
        fetch(server.url("/slow"), allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 1.5


def _drip(stop: threading.Event, where: str) -> Route:
    payload = gzip.compress(b"word " * 1000) if where == "gzip-body" else b"x" * 100

    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        if where == "headers":
            h.wfile.write(b"HTTP/1.1 200 OK\r\n")  # status line now, headers later
        else:
            h.send_response(200)
            if where == "gzip-body":
                h.send_header("Content-Encoding", "gzip")
            h.send_header("Connection", "close")
            h.end_headers()
        h.wfile.flush()
        for i in range(50):  # one piece every 0.2 s: each read is within the timeout
            if stop.wait(0.2):
                return
            h.wfile.write(b"X-Drip-%d: 1\r\n" % i if where == "headers" else payload[i : i + 1])
            h.wfile.flush()

    return route


@pytest.mark.parametrize("where", ["body", "gzip-body", "headers"])
def test_slow_drip_hits_the_overall_deadline(server: Server, where: str) -> None:
    server.routes["/drip"] = _drip(server.stop, where)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out: 127\.0\.0\.1 did not send a complete"):
        fetch(server.url("/drip"), allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 1.6  # deadline is 2 * 0.5 s


# --- network failures --------------------------------------------------------------------


def test_connection_refused() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with pytest.raises(FetchError) as info:
        fetch(url, allow_private=True, timeout=2)
    assert str(info.value) == f"connection refused by 127.0.0.1:{port}"
    assert info.value.input_name == url
    assert not isinstance(info.value, BlockedAddress)


def test_unresolvable_host() -> None:
    url = "http://nonexistent.invalid/"
    try:
        with pytest.raises(FetchError) as info:
            fetch(url, timeout=2)
    except ForbiddenConnect:
        pytest.skip("this machine's resolver answers for .invalid names")
    # Either the resolver says no, or it cannot be reached in time: both are FetchError.
    assert "nonexistent.invalid" in str(info.value)
    assert str(info.value).startswith(("cannot resolve host", "timed out resolving host"))
    assert not isinstance(info.value, BlockedAddress)
    assert info.value.input_name == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("ftp://ftp.example.com/pub/", "unsupported URL scheme 'ftp'"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript'"),
        ("www.example.com/news", "not a URL"),
        ("http:///no-host", "URL has no host"),
        ("http://127.0.0.1:99999/", "invalid port"),
        ("http://[::1/", "not a valid URL"),
    ],
)
def test_bad_urls_are_rejected_before_any_network_use(
    url: str, message: str, watch: _Watch
) -> None:
    with pytest.raises(FetchError, match=message) as info:
        fetch(url, allow_private=True, timeout=2)
    assert info.value.input_name == url
    assert watch.lookups == []
    assert watch.connects == []


@pytest.mark.parametrize(("status", "text"), [(404, "HTTP 404 Not Found"), (503, "HTTP 503")])
def test_http_error_status(server: Server, status: int, text: str) -> None:
    server.routes["/e"] = lambda h: respond(h, status, body=b"nope")
    url = server.url("/e")
    with pytest.raises(FetchError) as info:
        fetch(url, allow_private=True, timeout=2)
    assert str(info.value).startswith(text)
    assert info.value.code == "fetch"
    assert info.value.one_line() == f"{url}: {info.value.message} [fetch]"


def test_missing_route_is_404(server: Server) -> None:
    with pytest.raises(FetchError, match=r"^HTTP 404 Not Found$"):
        fetch(server.url("/nothing-here"), allow_private=True, timeout=2)


@pytest.mark.parametrize("kwargs", [{"timeout": 0}, {"max_bytes": -1}, {"max_redirects": -1}])
def test_bad_arguments_are_programming_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        fetch("http://example.com/", **kwargs)


# --- https -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl command not available to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[Server]:
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    srv, shut = _start_server(context)
    try:
        yield srv
    finally:
        shut()


def test_https_with_untrusted_certificate_is_refused(tls_server: Server) -> None:
    tls_server.routes["/"] = lambda h: respond(h, body=b"tls")
    with pytest.raises(FetchError, match=r"TLS certificate of 127\.0\.0\.1 could not be verified"):
        fetch(tls_server.url("/"), allow_private=True, timeout=2)


def test_https_with_trusted_certificate(
    tls_server: Server, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trust the test certificate the way a user would trust a private CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    tls_server.routes["/"] = lambda h: respond(
        h, body=b"tls", headers=(("Content-Type", "text/plain; charset=utf-8"),)
    )
    for host in ("127.0.0.1", "localhost"):
        result = fetch(tls_server.url("/", host=host), allow_private=True, timeout=2)
        assert (result.body, result.charset) == (b"tls", "utf-8")
    assert [h["Host"] for _, h in tls_server.requests] == [
        f"127.0.0.1:{tls_server.port}",
        f"localhost:{tls_server.port}",
    ]
