"""The review server's guards, kept apart from its pages: which Host it answers, where it may
redirect, and how a bad request becomes the page with an error rather than a 500 or JSON.

- DNS rebinding: a page on evil.example whose name is re-pointed at 127.0.0.1 talks to this
  server as a same-origin page, with `Host: evil.example:8765` and a matching Origin, so the
  Origin check alone passes. The Host header is the one thing such a request cannot fake:
  only the address the server bound to (and, on loopback, `localhost` at the same port) is
  answered; anything else gets 400 before a page or a decision is reached.
- Open redirects: every redirect target must be a path on this server ("/records/..."), never
  "//evil.example/..." (a protocol-relative URL) or "https://...".
- Bad form values (a missing field, version=abc, an unknown record or action) give the page
  with the error in words and a 4xx status.
- Sharing: served on an address other than loopback, the page answers only requests that
  carry its token: `?token=` on the first visit (answered with a redirect that sets an HttpOnly,
  SameSite=Strict cookie and drops the token from the address bar), the cookie afterwards, or
  `Authorization: Bearer TOKEN` from scripts. A page on another site cannot read or send the
  cookie, so the token also guards a wildcard bind (0.0.0.0), where every name of the machine
  is answered.
"""
from __future__ import annotations

import ipaddress
import secrets
import socket
import urllib.parse
from collections.abc import Callable, Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import PlainTextResponse, RedirectResponse

from briefex.models.errors import Failure
from briefex.models.validators import EditError, check_edit
from briefex.output.review import ReviewError

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
# Without a bound address (an app made in a test or a notebook) loopback names are answered,
# at any port; "testserver" is the name Starlette's TestClient sends.
DEFAULT_NAMES = LOOPBACK + ("testserver",)
WILDCARD = ("0.0.0.0", "::", "[::]", "")
TOKEN_COOKIE = "briefex_token"


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: addresses only this machine can reach."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A token for a shared page: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def _machine_names() -> set[str]:
    """Every name and address this machine answers to, for a wildcard bind."""
    names = {socket.gethostname(), socket.getfqdn()}
    for name in list(names):
        try:
            _, aliases, addresses = socket.gethostbyname_ex(name)
        except OSError:
            continue
        names |= set(aliases) | set(addresses)
    return {n.lower() for n in names if n} | {"127.0.0.1", "localhost"}


def allowed_hosts(bound: Iterable[str]) -> set[str]:
    """Host header values to answer for the addresses (host:port) the server bound to: the
    address itself (a LAN address or name given to --host too), `localhost` beside loopback, and
    every name of the machine for a wildcard bind (0.0.0.0)."""
    allowed = set()
    for address in bound:
        host, _, port = address.rpartition(":")
        host = host.lower()
        allowed.add(address.lower())
        if ":" in host.strip("[]"):                      # IPv6: the Host header brackets it
            allowed.add(f"[{host.strip('[]')}]:{port}")
        if is_loopback(host):
            allowed |= {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
        if host in WILDCARD:
            allowed |= {f"{name}:{port}" for name in _machine_names()}
    return allowed


def host_allowed(header: str, allowed: set[str] | None) -> bool:
    header = header.strip().lower()
    if allowed is not None:
        return header in allowed
    name = header.rsplit(":", 1)[0] if not header.endswith("]") else header
    return name in DEFAULT_NAMES


def local_path(target: str | None, fallback: str = "/") -> str:
    """`target` when it is a path on this server, else `fallback`: no scheme, no host, no
    protocol-relative "//host" or "/\\host" (browsers read a backslash as a slash)."""
    target = (target or "").strip()
    if (not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target
            or any(ord(c) < 32 for c in target)):
        return fallback
    parts = urllib.parse.urlsplit(target)
    return target if not parts.scheme and not parts.netloc else fallback


def form_int(form, name: str, what: str) -> int:
    """A whole number from a form, or a ReviewError saying which field and what it should be."""
    raw = str(form.get(name, "")).strip()
    try:
        return int(raw)
    except ValueError:
        raise ReviewError("E306", field=name, reason=f"{what} (got {raw!r})" if raw else what) from None


def check_changes(kind: str, changes: dict, editable: dict) -> None:
    """Unknown fields and impossible dates, refused as a ReviewError (shown inline)."""
    try:
        check_edit(kind, changes, editable)
    except EditError as exc:
        raise ReviewError(exc.code, **exc.details) from None


def bind(host: str, port: int) -> socket.socket:
    """The listening socket for `briefex review`, bound before the URL is printed, so a taken
    port is one clear error rather than a printed address that does not work."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        why = "the port is in use; choose another with --port" if exc.errno == 98 else exc.strerror
        raise Failure(f"cannot serve the review page on {host}:{port}", why) from None
    sock.listen(128)
    return sock


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        field = str(error.get("loc", ["", "value"])[-1])
        parts.append(f"{field}: {'a value is needed' if error.get('type') == 'missing' else error.get('msg')}")
    return "bad form value: " + "; ".join(parts)


def _presented(request: Request) -> tuple[str, str]:
    """(the token a request carries, where: "bearer", "cookie", "query" or "")."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), "bearer"
    if request.cookies.get(TOKEN_COOKIE):
        return request.cookies[TOKEN_COOKIE], "cookie"
    if request.query_params.get("token"):
        return request.query_params["token"], "query"
    return "", ""


def _without_token(request: Request) -> str:
    """The request's own path and query, the token taken out (what the address bar keeps)."""
    query = urllib.parse.urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
    return local_path(request.url.path + (f"?{query}" if query else ""))


def check_token(request: Request, token: str | None):
    """None when the request may pass; else the response that refuses it (401), or, for a valid
    `?token=` on a page visit, the redirect that sets the cookie."""
    if not token:
        return None
    given, where = _presented(request)
    if not given or not secrets.compare_digest(given.encode(), token.encode()):
        if where == "cookie" and request.query_params.get("token"):   # an old cookie, a new link
            given, where = request.query_params["token"], "query"
            if secrets.compare_digest(given.encode(), token.encode()):
                return _token_cookie(request, token)
        return PlainTextResponse("this review page needs its token: open the address `briefex review` "
                                 "printed (with ?token=...), or send Authorization: Bearer TOKEN",
                                 status_code=401, headers={"WWW-Authenticate": "Bearer"})
    if where == "query" and request.method in ("GET", "HEAD"):
        return _token_cookie(request, token)
    return None


def _token_cookie(request: Request, token: str) -> RedirectResponse:
    response = RedirectResponse(_without_token(request), status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


def install(app: FastAPI, render: Callable, hosts: Iterable[str] | None = None, token: str | None = None) -> None:
    """Add the guards to an app made by create_app. `render(request, template, status_code,
    **context)` draws its pages; `hosts`: the host:port addresses the server bound to; `token`:
    the secret every request must carry (None: no token, for loopback)."""
    allowed = allowed_hosts(hosts) if hosts else None

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if not host_allowed(request.headers.get("host", ""), allowed):
            return PlainTextResponse("unknown host: this server answers only at the address it "
                                     "was started on", status_code=400)
        refused = check_token(request, token)
        if refused is not None:
            return refused
        response = await call_next(request)
        location = response.headers.get("location")
        if 300 <= response.status_code < 400 and location is not None and local_path(location, "") != location:
            response.headers["location"] = "/"
        return response

    def page(request: Request, message: str, status_code: int):
        return render(request, "message.html", status_code=status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def bad_form(request: Request, exc: RequestValidationError):
        return page(request, _validation_message(exc), 422)

    @app.exception_handler(ReviewError)
    async def review_error(request: Request, exc: ReviewError):
        return page(request, exc.cause, {"E302": 404, "E301": 409}.get(exc.code, 422))

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError):
        return page(request, f"bad form value: {exc}", 400)

    @app.exception_handler(KeyError)
    async def unknown_value(request: Request, exc: KeyError):
        return page(request, f"unknown value: {exc}", 400)
