"""Fetch one http(s) URL for ingestion, safely.

A list of URLs handed to the tool is untrusted input, so fetching it must not become a
way to reach services on the user's own machine or network (server-side request
forgery), nor to hang the run or fill memory. Hence:

* only ``http`` and ``https``;
* every hop's host is resolved once, every address it resolves to is vetted (loopback,
  private, link-local, multicast, reserved, unspecified, and the IPv4-mapped, NAT64 and
  6to4 disguises of those are refused unless ``allow_private``), and the connection is
  then made to a vetted address itself, so a second DNS answer cannot swap in another
  address between the check and the connect (DNS rebinding);
* a per-operation socket timeout plus an overall deadline (twice the timeout) that a
  watchdog enforces by shutting the socket down, so a server that drips one byte at a
  time cannot hold a fetch open;
* a size cap checked against ``Content-Length`` before reading and against the bytes
  actually received (and, for gzip/deflate, the bytes after decoding) while reading;
* redirects followed by hand, each target vetted like the first URL.

Every failure is a :class:`~triangulate.errors.FetchError` (or its subclass
:class:`~triangulate.errors.BlockedAddress`) whose ``input_name`` is the requested URL.
Proxy settings in the environment are deliberately not used: a proxy would do its own
resolution and defeat the address check.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import quote, urljoin, urlsplit

from ..errors import BlockedAddress, FetchError

__all__ = ["FetchResult", "fetch"]

DEFAULT_USER_AGENT = "triangulate/0.1 (+news triangulation)"

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CHUNK = 64 * 1024
# Characters left as they are when a request target is made ASCII: everything a URL may
# legitimately contain (so existing %-escapes and reserved delimiters keep their
# meaning); only spaces, controls and non-ASCII letters get %-encoded.
_SAFE_IN_TARGET = "!#$%&'()*+,/:;=?@[]~"
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

_IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # final URL after redirects
    requested_url: str
    status: int
    content_type: str | None  # media type only, lower-cased, e.g. "text/html"
    charset: str | None  # from the Content-Type header; a claim, not a fact
    body: bytes  # decoded from gzip/deflate when the server compressed it
    redirects: tuple[str, ...]  # URLs that answered with a redirect, in order


def fetch(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = 10 * 1024 * 1024,
    max_redirects: int = 5,
    allow_private: bool = False,
    user_agent: str = DEFAULT_USER_AGENT,
) -> FetchResult:
    """GET ``url`` and return its body, following up to ``max_redirects`` redirects.

    ``timeout`` bounds connecting and each read; the whole fetch, redirects included,
    must also finish within ``2 * timeout``. Raises :class:`FetchError` for anything
    but a 2xx answer, and :class:`BlockedAddress` when a hop's host resolves to a
    non-public address and ``allow_private`` is false.
    """
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout!r}")
    if max_bytes < 0:
        raise ValueError(f"max_bytes must not be negative, got {max_bytes!r}")
    if max_redirects < 0:
        raise ValueError(f"max_redirects must not be negative, got {max_redirects!r}")
    try:
        return _fetch(
            url,
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            user_agent=user_agent,
            vet=None if allow_private else _vet,
        )
    except FetchError as exc:
        # Errors are raised deep down without knowing which input they belong to; name
        # it once here so the CLI's one-line message says which URL failed.
        if exc.input_name is None:
            exc.input_name = url
        raise


# --- the redirect loop ------------------------------------------------------------------


def _fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    user_agent: str,
    vet: _Vetter | None,
) -> FetchResult:
    """The redirect loop. ``vet`` is the address policy, kept a parameter so tests can
    let the first hop reach a loopback test server and still see later hops vetted."""
    deadline = time.monotonic() + 2 * timeout
    redirects: list[str] = []
    current = url
    while True:
        try:
            target = _Target.parse(current)
            if vet is not None:
                vet(target, None)  # names such as "localhost" are refused unresolved
            addresses = _resolve(target, timeout=timeout, deadline=deadline)
            if vet is not None:
                vet(target, addresses)
        except FetchError as exc:
            if not redirects:
                raise
            # Say that the refusal concerns where the URL led, not the URL itself.
            raise type(exc)(f"redirected to {current}: {exc.message}") from exc
        reply = _exchange(
            target,
            addresses,
            timeout=timeout,
            deadline=deadline,
            max_bytes=max_bytes,
            user_agent=user_agent,
        )
        if reply.location is not None:
            try:
                next_url = urljoin(current, reply.location)
            except ValueError as exc:  # e.g. an unbalanced "[" in the Location host
                raise FetchError(
                    f"{current} redirects to an invalid URL {reply.location!r}"
                ) from exc
            if len(redirects) >= max_redirects:
                loops = next_url in redirects or next_url == current
                raise FetchError(
                    f"too many redirects (more than {max_redirects})"
                    + ("; the redirects go round in a loop" if loops else "")
                    + f"; the last one pointed to {next_url}"
                )
            redirects.append(current)
            current = next_url
            continue
        if not 200 <= reply.status < 300:
            raise FetchError(_status_text(reply))
        return FetchResult(
            url=current,
            requested_url=url,
            status=reply.status,
            content_type=reply.content_type,
            charset=reply.charset,
            body=reply.body,
            redirects=tuple(redirects),
        )


def _status_text(reply: _Reply) -> str:
    text = f"HTTP {reply.status} {reply.reason}".rstrip()
    if reply.status in _REDIRECT_STATUSES:
        text += " (redirect without a Location header)"
    return text


# --- parsing the URL --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA) form, without brackets for IPv6
    port: int
    request_target: str  # path and query, ASCII

    @classmethod
    def parse(cls, url: str) -> _Target:
        try:
            parts = urlsplit(url.strip())
        except ValueError as exc:  # e.g. an unbalanced "[" in the host
            raise FetchError(f"not a valid URL: {exc}") from exc
        scheme = parts.scheme.lower()
        if not scheme:
            raise FetchError("not a URL: only http:// and https:// URLs can be fetched")
        if scheme not in _DEFAULT_PORTS:
            raise FetchError(
                f"unsupported URL scheme {scheme!r}: only http and https URLs can be fetched"
            )
        host = parts.hostname
        if not host:
            raise FetchError("URL has no host")
        try:
            port = parts.port
        except ValueError as exc:
            raise FetchError(f"URL has an invalid port: {exc}") from exc
        if not host.isascii():
            # Host header, TLS server name and resolver all want the ASCII form.
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError as exc:
                raise FetchError(f"invalid host name {host!r}") from exc
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return cls(
            scheme=scheme,
            host=host,
            port=port if port is not None else _DEFAULT_PORTS[scheme],
            request_target=quote(path, safe=_SAFE_IN_TARGET),
        )


# --- resolving and vetting addresses ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Address:
    family: int
    type: int
    proto: int
    sockaddr: tuple[Any, ...]  # as getaddrinfo gives it, IPv6 scope id included

    @property
    def ip(self) -> str:
        return str(self.sockaddr[0])

    def show(self) -> str:
        ip = self.ip
        return f"[{ip}]:{self.sockaddr[1]}" if ":" in ip else f"{ip}:{self.sockaddr[1]}"


def _resolve(target: _Target, *, timeout: float, deadline: float) -> list[_Address]:
    # getaddrinfo has no timeout of its own and can block for long on a broken
    # resolver, so it runs in a daemon thread that is simply abandoned if it is late.
    wait = min(timeout, deadline - time.monotonic())
    found: list[Any] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            found.extend(socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed back to the caller's thread below
            failed.append(exc)

    worker = threading.Thread(target=work, name="triangulate-resolve", daemon=True)
    worker.start()
    worker.join(max(wait, 0.0))
    if worker.is_alive():
        raise FetchError(f"timed out resolving host {target.host!r} after {max(wait, 0):g} s")
    if failed:
        exc = failed[0]
        if isinstance(exc, UnicodeError):  # e.g. a label longer than 63 characters
            raise FetchError(f"invalid host name {target.host!r}") from exc
        if isinstance(exc, OSError):  # socket.gaierror mostly: "Name or service not known"
            raise FetchError(
                f"cannot resolve host {target.host!r} ({exc.strerror or exc})"
            ) from exc
        raise exc
    addresses: list[_Address] = []
    for family, type_, proto, _canon, sockaddr in found:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = _Address(int(family), int(type_), int(proto), tuple(sockaddr))
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"cannot resolve host {target.host!r} (no IP addresses)")
    return addresses


_Vetter: TypeAlias = Callable[[_Target, list[_Address] | None], None]


def _vet(target: _Target, addresses: list[_Address] | None) -> None:
    """Refuse the hop if its host is a local name (``addresses`` None: before
    resolving) or if ANY of its addresses is not public: an attacker controlling DNS
    could otherwise mix a private address in with public ones and hope it is picked."""
    advice = "pass --allow-private to allow"
    if addresses is None:
        if _is_local_name(target.host):
            # RFC 6761: these names are this machine whatever the resolver says.
            raise BlockedAddress(f"refused: {target.host} is this machine (loopback); {advice}")
        return
    for address in addresses:
        ip = ipaddress.ip_address(address.ip.partition("%")[0])
        why = _why_not_public(ip)
        if why is None:
            continue
        if _is_literal(target.host):
            raise BlockedAddress(
                f"refused: {target.host} is not a public address ({why}); {advice}"
            )
        raise BlockedAddress(f"refused: {target.host} resolves to {ip} ({why}); {advice}")


def _is_local_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        return False
    return True


def _why_not_public(ip: _IPAddress) -> str | None:
    """The reason ``ip`` must not be connected to, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        # Forms that carry an IPv4 address and reach it: judge the IPv4 address (a public
        # IPv4 address behind NAT64 is fine; 127.0.0.1 behind any of them is not).
        embedded = ip.ipv4_mapped
        kind = "IPv4-mapped"
        if embedded is None and ip in _NAT64:
            embedded, kind = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
        if embedded is not None:
            why = _why_not_public(embedded)
            return None if why is None else f"{kind} form of {embedded}, {why}"
        if ip.sixtofour is not None:
            why = _why_not_public(ip.sixtofour)
            if why is not None:
                return f"6to4 form of {ip.sixtofour}, {why}"
        if ip.is_site_local:
            return "site-local"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        # Catches what the flags above miss, e.g. 100.64.0.0/10 (carrier-grade NAT).
        ("not publicly routable", not ip.is_global),
    )
    for why, hit in checks:
        if hit:
            return why
    return None


# --- one request and its response -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    reason: str
    location: str | None  # set only for a redirect that says where to
    content_type: str | None
    charset: str | None
    body: bytes


class _Watchdog:
    """Enforces the overall deadline: when it passes, the socket is shut down, which
    makes whatever read is blocked on it return at once."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.expired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._stopped = False
        self._timer = threading.Timer(max(deadline - time.monotonic(), 0.0), self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._stopped = True
            self._sock = None

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                raise TimeoutError("overall deadline passed")
            self._sock = sock

    def _expire(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self.expired = True
            if self._sock is not None:
                # OSError: already closed, so nothing is left to interrupt.
                with contextlib.suppress(OSError):
                    # The plain-socket method, so that on a TLS socket it acts on the
                    # descriptor without tearing down the TLS object under the reader.
                    socket.socket.shutdown(self._sock, socket.SHUT_RDWR)


def _open_socket(
    target: _Target, addresses: list[_Address], timeout: float, watchdog: _Watchdog
) -> socket.socket:
    """Connect to the first vetted address that answers; never resolve again."""
    error: FetchError | None = None
    for address in addresses:
        remaining = watchdog.remaining()
        if remaining <= 0:
            raise TimeoutError("overall deadline passed")
        sock = socket.socket(address.family, address.type, address.proto)
        try:
            watchdog.attach(sock)
            sock.settimeout(min(timeout, remaining))
            sock.connect(address.sockaddr)
            sock.settimeout(timeout)
            return sock
        except ConnectionRefusedError as exc:
            sock.close()
            error = FetchError(f"connection refused by {address.show()}")
            error.__cause__ = exc
        except TimeoutError as exc:
            sock.close()
            if watchdog.expired:
                raise
            error = FetchError(
                f"timed out connecting to {target.host} at {address.show()} "
                f"after {min(timeout, remaining):g} s"
            )
            error.__cause__ = exc
        except OSError as exc:
            sock.close()
            if watchdog.expired:
                raise
            error = FetchError(
                f"cannot connect to {target.host} at {address.show()} ({exc.strerror or exc})"
            )
            error.__cause__ = exc
    if error is None:  # _resolve never returns an empty list; kept for safety
        raise FetchError(f"no address to connect to for {target.host}")
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(
        self, target: _Target, addresses: list[_Address], timeout: float, watchdog: _Watchdog
    ) -> None:
        # host stays the name from the URL so the Host header carries it.
        super().__init__(target.host, target.port, timeout=timeout)
        self._target = target
        self._addresses = addresses
        self._per_op_timeout = timeout
        self._watchdog = watchdog

    def connect(self) -> None:
        self.sock = _open_socket(
            self._target, self._addresses, self._per_op_timeout, self._watchdog
        )


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self, target: _Target, addresses: list[_Address], timeout: float, watchdog: _Watchdog
    ) -> None:
        # A fresh default context per connection: it verifies certificates and host
        # names, and picks up SSL_CERT_FILE / SSL_CERT_DIR as they are now.
        self._tls_context = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls_context)
        self._target = target
        self._addresses = addresses
        self._per_op_timeout = timeout
        self._watchdog = watchdog

    def connect(self) -> None:
        sock = _open_socket(self._target, self._addresses, self._per_op_timeout, self._watchdog)
        try:
            # Handshake separately so the watchdog holds the TLS socket (wrapping
            # detaches the plain one) while a slow server drips the handshake.
            tls = self._tls_context.wrap_socket(
                sock, server_hostname=self._target.host, do_handshake_on_connect=False
            )
        except BaseException:
            sock.close()
            raise
        try:
            self._watchdog.attach(tls)
            tls.do_handshake()
        except BaseException:
            tls.close()
            raise
        self.sock = tls


def _exchange(
    target: _Target,
    addresses: list[_Address],
    *,
    timeout: float,
    deadline: float,
    max_bytes: int,
    user_agent: str,
) -> _Reply:
    watchdog = _Watchdog(deadline)
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = _PinnedHTTPSConnection(target, addresses, timeout, watchdog)
    else:
        conn = _PinnedHTTPConnection(target, addresses, timeout, watchdog)
    response: http.client.HTTPResponse | None = None
    watchdog.start()
    try:
        conn.request(
            "GET",
            target.request_target,
            headers={
                "User-Agent": user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": "gzip, deflate",
                # One request per connection: the socket is closed when done, and a
                # body without Content-Length simply ends at close.
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        reason = response.reason or ""
        content_type, charset = _parse_content_type(response.getheader("Content-Type"))
        location = response.getheader("Location")
        if response.status in _REDIRECT_STATUSES and location and location.strip():
            # Redirect bodies are not wanted; nothing more is read.
            return _Reply(response.status, reason, _fix_header(location.strip()), None, None, b"")
        body = b""
        declared = response.length  # parsed Content-Length; None when absent or chunked
        body_read = 200 <= response.status < 300  # error pages are not read at all
        if body_read:
            body = _read_body(response, max_bytes)
        watchdog.stop()
        if watchdog.expired:
            # The shutdown may have looked like a normal end of a close-delimited body.
            raise TimeoutError("overall deadline passed")
        if body_read and declared is not None and response.length:
            # http.client returns what arrived when the peer closes before
            # Content-Length is reached, without complaint; a cut article is not data.
            raise FetchError(
                f"{target.host} closed the connection early: body cut short after "
                f"{declared - response.length} of {declared} bytes"
            )
        return _Reply(response.status, reason, None, content_type, charset, body)
    except FetchError as exc:
        if watchdog.expired:
            # Whatever went wrong after the deadline (a gzip stream cut short, say) is
            # a consequence of the shutdown; report the cause.
            raise _network_error(exc, target, watchdog, timeout) from exc
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _network_error(exc, target, watchdog, timeout) from exc
    finally:
        watchdog.stop()
        if response is not None:
            response.close()
        conn.close()


def _network_error(
    exc: BaseException, target: _Target, watchdog: _Watchdog, timeout: float
) -> FetchError:
    host = target.host
    if watchdog.expired:
        return FetchError(
            f"timed out: {host} did not send a complete response within {2 * timeout:g} s"
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return FetchError(
            f"TLS certificate of {host} could not be verified ({exc.verify_message or exc})"
        )
    if isinstance(exc, ssl.SSLError):
        return FetchError(f"TLS error with {host} ({exc.reason or exc})")
    if isinstance(exc, TimeoutError):
        return FetchError(f"timed out after {timeout:g} s waiting for {host}")
    if isinstance(exc, http.client.IncompleteRead):
        return FetchError(
            f"{host} closed the connection early: body cut short after {len(exc.partial)} bytes"
        )
    if isinstance(exc, http.client.RemoteDisconnected):
        return FetchError(f"{host} closed the connection without sending a response")
    if isinstance(exc, ConnectionResetError):
        return FetchError(f"connection reset by {host}")
    if isinstance(exc, http.client.InvalidURL):
        return FetchError(f"not a valid URL ({exc})")
    if isinstance(exc, http.client.HTTPException):
        detail = str(exc) or type(exc).__name__
        return FetchError(f"invalid HTTP response from {host} ({detail})")
    if isinstance(exc, OSError):
        return FetchError(f"network error with {host} ({exc.strerror or exc})")
    return FetchError(f"cannot fetch from {host} ({exc})")


def _fix_header(value: str) -> str:
    # http.client decodes header bytes as Latin-1; a Location sent as raw UTF-8
    # (common for Cyrillic paths) reads correctly only after undoing that.
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    message = http.client.HTTPMessage()
    message["Content-Type"] = value
    media = value.split(";", 1)[0].strip().lower()
    charset = message.get_content_charset()
    charset = charset.strip().strip("'\"") if charset else None
    return (media if "/" in media else None), (charset or None)


# --- reading the body -------------------------------------------------------------------


class _BodyTooLarge(Exception):
    pass


class _Decoder:
    """Undoes gzip/deflate incrementally, never producing more than it is allowed to
    (a few kilobytes of gzip can expand to gigabytes)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._raw_deflate_tried = False
        self._started = False
        self._zlib = self._new()

    def _new(self) -> Any:
        if self.encoding == "identity":
            return None
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS)  # deflate: zlib-wrapped, per the RFC

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; raise _BodyTooLarge if that gives more than ``room`` bytes."""
        if self._zlib is None:
            if len(data) > room:
                raise _BodyTooLarge
            return data
        out = bytearray()
        while data:
            try:
                piece = self._zlib.decompress(data, room - len(out) + 1)
            except zlib.error:
                if self.encoding == "deflate" and not self._started:
                    # Some servers send raw deflate without the zlib wrapper.
                    self._started = True
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            self._started = True
            out += piece
            if len(out) > room:
                raise _BodyTooLarge
            data = b""
            if self.encoding != "deflate" and self._zlib.eof and self._zlib.unused_data:
                # Concatenated gzip members are one body.
                data = self._zlib.unused_data
                self._zlib = self._new()
        return bytes(out)

    def finish(self, room: int) -> bytes:
        if self._zlib is None:
            return b""
        tail: bytes = self._zlib.flush()
        if len(tail) > room:
            raise _BodyTooLarge
        if not self._zlib.eof and self._started:
            raise zlib.error("compressed body is truncated")
        return tail


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    too_large = (
        f"response body is larger than the limit of {max_bytes} bytes; "
        "raise --fetch-max-mb to allow"
    )
    declared = response.length  # parsed Content-Length; None when absent or chunked
    if declared is not None and declared > max_bytes:
        raise FetchError(
            f"response body is {declared} bytes, more than the limit of {max_bytes} bytes; "
            "raise --fetch-max-mb to allow"
        )
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported Content-Encoding {encoding!r}")
    decoder = _Decoder(encoding)
    parts: list[bytes] = []
    received = 0
    kept = 0
    try:
        while True:
            chunk = response.read(_CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:
                raise _BodyTooLarge
            data = decoder.feed(chunk, max_bytes - kept)
            kept += len(data)
            parts.append(data)
        tail = decoder.finish(max_bytes - kept)
    except _BodyTooLarge:
        raise FetchError(too_large) from None
    except zlib.error as exc:
        raise FetchError(f"cannot decode {encoding} response body ({exc})") from exc
    parts.append(tail)
    return b"".join(parts)
