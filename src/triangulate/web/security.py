"""What keeps the workspace safe to open: a Content-Security-Policy on every response,
cross-site requests refused, a per-session CSRF token in forms, a Host check against DNS
rebinding on loopback, and a token for state-changing requests when bound to a network.

Documents are hostile input: their titles, text, authors and URLs reach pages only through
Jinja2's autoescape, JSON embedded in a page goes through ``json_for_script``, and links
to a document's URL are made only for http(s) URLs (``safe_url``).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# No inline script or style anywhere: scripts and styles come from /static only, SVG is
# coloured by classes and presentation attributes. Forms may post only to this server;
# no page may be framed (clickjacking of the correction buttons).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not "no-referrer": under it browsers send "Origin: null" with the page's own form
    # posts, which the cross-site check must refuse. "same-origin" tells other sites nothing.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSRF_COOKIE = "triangulate_csrf"
CSRF_FIELD = "csrf"
TOKEN_COOKIE = "triangulate_token"
TOKEN_HEADER = "x-triangulate-token"
# Sec-Fetch-Site values a browser sends for requests this server's own pages make
# ("none": the user typed the address or used a bookmark).
SAME_SITE_FETCH = frozenset({"same-origin", "none"})
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: only this machine can connect."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets; a missing one never matches."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


@dataclass(frozen=True, slots=True)
class Guard:
    """The server's security settings, fixed when the app is made."""

    bind_host: str
    token: str | None  # required for state-changing requests when set

    @property
    def loopback(self) -> bool:
        return is_loopback(self.bind_host)

    def host_allowed(self, host_header: str | None) -> bool:
        """On loopback, only loopback names may address the server: a web page whose
        domain was re-bound to 127.0.0.1 sends its own name and is refused."""
        if not self.loopback:
            return True
        if not host_header:
            return False
        host = urlsplit(f"//{host_header}").hostname or ""
        return is_loopback(host)

    def cross_site_reason(
        self, origin: str | None, fetch_site: str | None, host_header: str | None, scheme: str
    ) -> str | None:
        """Why a state-changing request looks cross-site, or None when it does not."""
        if fetch_site is not None and fetch_site.lower() not in SAME_SITE_FETCH:
            return f"cross-site request refused (Sec-Fetch-Site: {fetch_site})"
        if origin is not None:
            if origin == "null" or not host_header:
                return f"cross-site request refused (Origin: {origin})"
            if origin.rstrip("/").lower() != f"{scheme}://{host_header}".lower():
                return f"cross-site request refused (Origin {origin} is not this server)"
        return None

    def token_ok(self, header: str | None, bearer: str | None, cookie: str | None) -> bool:
        if self.token is None:
            return True
        return any(same(v, self.token) for v in (header, bearer, cookie))


def bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script type="application/json"> element: no sequence
    in it can close the element or open a comment, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def safe_url(url: str | None) -> str | None:
    """The URL when it is an http(s) address a link may point at; None otherwise
    (javascript:, data:, vbscript: and anything unparsable stay plain text)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()
