"""dashboard/asgi.py's compression, driven as ASGI with a small app behind it: the encodings a
browser accepts, the brotli copy made once and kept on disk for the next server, and answers
it must leave alone; and its listening socket's connections, which must not wait to send."""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import pytest

from dashboard.asgi import MIN_SIZE, Compressed, early_imports, send_without_delay

BODY = b"function plot(){return 1}\n" * 400
SHELL = b"<html><head><title>x</title></head><body></body></html>"
TAG = b"<script>early()</script>"


def backend(status: int = 200, body: bytes = BODY, headers: tuple = ()):
    """A small ASGI app: a script at every /static/ path, the page shell elsewhere. Like
    Streamlit on /app/static/, it gzips what it serves when asked to."""

    async def app(scope, receive, send):
        page = not scope["path"].startswith(("/static/", "/app/static/"))
        kind, answer = (b"text/html", SHELL) if page else (b"text/javascript", body)
        if not page and b"gzip" in dict(scope["headers"]).get(b"accept-encoding", b"") and not headers:
            answer, headers_ = gzip.compress(answer, 1), ((b"content-encoding", b"gzip"),)
        else:
            headers_ = headers
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(answer)).encode()),
                                (b"cache-control", b"public, immutable"), *headers_]})
        await send({"type": "http.response.body", "body": answer})

    return app


def get(app, path: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"",
             "headers": [(b"accept-encoding", accept.encode())] if accept else []}
    # A thread of its own: Streamlit's AppTest, earlier in the same session, may leave an
    # event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    headers = {k.decode().lower(): v.decode() for k, v in messages[0]["headers"]}
    return messages[0]["status"], headers, b"".join(m.get("body", b"") for m in messages[1:])


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    encoding = headers.get("content-encoding")
    return {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, lambda b: b)(body)


@pytest.mark.parametrize(("accept", "path", "encoding"), [
    ("gzip, deflate", "/static/js/index.abc.js", "gzip"),
    ("gzip, br;q=0", "/static/js/index.abc.js", "gzip"),
    ("", "/static/js/index.abc.js", None),
    ("identity", "/static/js/index.abc.js", None),
    ("gzip", "/app/static/regions.geojson", "gzip"),
])
def test_an_answer_comes_in_an_encoding_the_browser_accepts(tmp_path, accept, path, encoding):
    status, headers, body = get(Compressed(backend(), tag=TAG, cache=tmp_path), path, accept)
    assert status == 200
    assert headers.get("content-encoding") == encoding
    assert decoded(headers, body) == BODY
    assert int(headers["content-length"]) == len(body)


@pytest.mark.parametrize("path", ["/static/js/index.abc.js", "/app/static/regions.geojson"])
def test_brotli_is_made_once_in_the_background_and_kept_on_disk_for_the_next_server(tmp_path, path):
    first = Compressed(backend(), tag=TAG, cache=tmp_path, quiet=0)
    status, headers, body = get(first, path, "gzip, deflate, br, zstd")
    assert (status, headers["content-encoding"]) == (200, "gzip")  # brotli's best level is still at work
    first.brewer.shutdown(wait=True)
    _, headers, body = get(first, path, "gzip, br")
    assert headers["content-encoding"] == "br"
    assert brotli.decompress(body) == BODY
    assert len(body) < len(gzip.compress(BODY, 9))
    assert "Accept-Encoding" in headers["vary"]
    later = Compressed(backend(), tag=TAG, cache=tmp_path)
    _, headers, body = get(later, path, "br")
    assert headers["content-encoding"] == "br"
    assert brotli.decompress(body) == BODY


def test_brotli_waits_until_no_page_has_been_asked_for_a_while(tmp_path):
    """Its best level takes a core for seconds, which a reader's first visit would share."""
    server = Compressed(backend(), tag=TAG, cache=tmp_path, quiet=0.5)
    get(server, "/static/js/index.abc.js", "br")
    started = time.monotonic()
    get(server, "/static/js/other.def.js", "br")
    server.brewer.shutdown(wait=True)
    assert time.monotonic() - started >= 0.45
    assert len(list(tmp_path.glob("*.br"))) == 1  # the same content under two names: one copy


def test_brotli_is_made_all_the_same_on_a_server_that_is_never_quiet(tmp_path):
    server = Compressed(backend(), tag=TAG, cache=tmp_path, quiet=60, at_latest=0.3)
    started = time.monotonic()
    while time.monotonic() - started < 1 and not list(tmp_path.glob("*.br")):
        get(server, "/static/js/index.abc.js", "br")
        time.sleep(0.05)
    assert len(list(tmp_path.glob("*.br"))) == 1, "still waiting for a quiet moment after at_latest"
    server.brewer.shutdown(wait=True)


def test_a_changed_file_is_never_answered_from_an_old_copy(tmp_path):
    """Copies are keyed by content, not by path: our static files keep their names."""
    old = Compressed(backend(), tag=TAG, cache=tmp_path, quiet=0)
    get(old, "/app/static/regions.geojson", "br")
    old.brewer.shutdown(wait=True)
    changed = BODY.replace(b"return 1", b"return 2")
    _, headers, body = get(Compressed(backend(body=changed), tag=TAG, cache=tmp_path),
                           "/app/static/regions.geojson", "br, gzip")
    assert decoded(headers, body) == changed


def test_an_unwritable_cache_still_serves_brotli_from_memory(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    app = Compressed(backend(), tag=TAG, cache=blocked / "bundles", quiet=0)
    get(app, "/static/js/index.abc.js", "br")
    app.brewer.shutdown(wait=True)
    _, headers, body = get(app, "/static/js/index.abc.js", "br")
    assert headers["content-encoding"] == "br"
    assert brotli.decompress(body) == BODY


@pytest.mark.parametrize(("status", "body", "headers"), [
    (404, BODY, ()),
    (200, BODY[:MIN_SIZE - 1], ()),
    (200, gzip.compress(BODY), ((b"content-encoding", b"gzip"),)),
])
def test_errors_small_and_already_encoded_answers_pass_unchanged(tmp_path, status, body, headers):
    got_status, got_headers, got_body = get(Compressed(backend(status, body, headers), tag=TAG, cache=tmp_path),
                                            "/static/js/index.abc.js", "br, gzip")
    expected = dict(headers).get(b"content-encoding")
    assert (got_status, got_body) == (status, body)
    assert got_headers.get("content-encoding") == (expected.decode() if expected else None)


def test_the_page_shell_gets_the_early_imports(tmp_path):
    _, headers, body = get(Compressed(backend(), tag=TAG, cache=tmp_path), "/", "gzip")
    assert body == SHELL.replace(b"</head>", TAG + b"</head>")
    assert int(headers["content-length"]) == len(body)


def test_the_early_imports_preload_plotlys_chunk_and_what_it_imports_that_the_shell_does_not(tmp_path):
    js = tmp_path / "static" / "static" / "js"
    js.mkdir(parents=True)
    (tmp_path / "static" / "index.html").write_text('<link rel="modulepreload" href="./static/js/index.A1.js">')
    (js / "PlotlyChart.P1.js").write_text('import{a}from"./index.A1.js";import{b}from"./wrap.W1.js";' + "x" * 9000)
    tag = early_imports(js).decode()
    assert '<link rel="modulepreload" href="./static/js/PlotlyChart.P1.js">' in tag
    assert '<link rel="modulepreload" href="./static/js/wrap.W1.js">' in tag
    assert "index.A1.js" not in tag
    assert 'import("./static/js/PlotlyChart.P1.js")' in tag
    assert early_imports(tmp_path) == b""


def _descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc here: the server finds no socket to change")
def test_connections_to_a_socket_bound_as_streamlit_binds_send_each_write_at_once():
    """Streamlit's listening socket has protocol 0, which asyncio leaves with Nagle's
    algorithm on: a kept-alive connection then waits ~40 ms for each answer's body."""
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    before = _descriptors()
    client = None
    try:
        assert send_without_delay() >= 1
        assert _descriptors() == before, "a descriptor copied to look at was left open"
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert not client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), "only listening sockets are changed"
    finally:
        if client:
            client.close()
        listener.close()
