"""Fetching an article over http(s) with an overall deadline, http(s) at every hop.

A socket timeout alone restarts with every byte, so a server that drips one byte a second
can hold a run for as long as it likes. Here a timer shuts the sockets of every hop when
the deadline for the URL passes, whatever phase the request is in (headers, body,
redirects). A redirect is followed only to another http(s) address. Every failure is a
FetchError whose message is one line naming the URL and what went wrong.
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request

WEB_SCHEMES = ("http", "https")
READ_SIZE = 64 * 1024


class FetchError(Exception):
    """A URL that gave no page; the message is one line naming the URL."""


class Deadline:
    """A time limit on everything done for one URL: when it passes, every socket opened
    for the URL is shut, which ends any read blocked on it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an http(s) address (urllib alone follows ftp:// too)."""

    def http_error_302(self, req, fp, code, msg, headers):
        target = urllib.parse.urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if urllib.parse.urlsplit(target).scheme.lower() not in WEB_SCHEMES:
            fp.close()
            raise FetchError(f"{req.full_url}: redirected to {target}, which is not an http(s) address; not followed")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(deadline: Deadline) -> urllib.request.OpenerDirector:
    """An opener whose connections put their sockets under the deadline as they connect."""

    class Plain(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class Secure(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class PlainHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Plain, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(Secure, req, context=self._context)

    return urllib.request.build_opener(PlainHandler, SecureHandler, _WebOnlyRedirects)


def fetch(url: str, user_agent: str, max_bytes: int, timeout: float = 20.0, deadline: float = 60.0) -> bytes:
    """The body of an http(s) URL: at most `max_bytes`, each network wait at most `timeout`
    seconds, the whole (connection, redirects, headers, body) at most `deadline` seconds."""
    if urllib.parse.urlsplit(url).scheme.lower() not in WEB_SCHEMES:
        raise FetchError(f"{url}: only http(s) addresses are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    with Deadline(deadline) as limit:
        try:
            body = _read(_opener(limit), request, min(timeout, deadline), max_bytes)
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if limit.expired:
                raise FetchError(f"{url}: gave up after {deadline:g} s, the time allowed for one URL "
                                 "(the server sends too slowly)") from exc
            raise FetchError(_failure(url, exc, timeout)) from exc
    if limit.expired:
        raise FetchError(f"{url}: gave up after {deadline:g} s, the time allowed for one URL "
                         "(the server sends too slowly)")
    return body


def _read(opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float,
          max_bytes: int) -> bytes:
    chunks, size = [], 0
    with opener.open(request, timeout=timeout) as response:
        while chunk := response.read1(READ_SIZE):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{request.full_url}: the page is larger than {max_bytes / 1e6:.0f} MB")
            chunks.append(chunk)
    return b"".join(chunks)


def _failure(url: str, exc: Exception, timeout: float) -> str:
    """One line for a failed fetch."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"{url}: the server answered {exc.code} {exc.reason}"
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"{url}: no answer within {timeout:g} s"
    if isinstance(exc, http.client.HTTPException) and not isinstance(exc, OSError):
        return f"{url}: the server's answer is broken ({type(exc).__name__})"
    if isinstance(exc, ValueError):
        return f"{url}: is not a valid address ({exc})"
    return f"{url}: cannot be reached ({reason})"
