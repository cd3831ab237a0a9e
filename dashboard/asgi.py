"""The dashboard as an ASGI app: what `make run`, `refusal-monitor serve` and the container run.

Four things a plain `streamlit run streamlit_app.py` cannot do, each a wait a reader feels:

- Streamlit sends its own 9.5 MB of JavaScript uncompressed (its gzip skips static files).
  Here every HTTP answer is compressed. Streamlit's bundles and our static files are
  compressed once and kept: gzip at once, and brotli (a quarter smaller again: Plotly's chunk
  is 1.42 MB gzipped, 1.06 MB in brotli) by a low-priority thread once the server is quiet,
  because brotli's best level takes seconds per bundle. Until a bundle's brotli copy is ready
  the browser gets gzip; the copies are kept on disk (`settings.bundle_cache()`), so a server
  started later on the same machine has them from its first answer.
- The map waits for Plotly's 4.7 MB chunk, which the page would only start to load once the
  server has sent the first chart, and for the boundaries Plotly fetches once it draws. The
  page shell here starts that import and those fetches as soon as the page boots, so the
  browser loads and parses them while the server runs the script.
- The libraries are imported, the dataset is read, the page runs once and every bundle is
  gzipped before the first reader arrives.
- Each answer is sent at once, not held for the browser's acknowledgement of the last one
  (`send_without_delay`).

    streamlit run dashboard/asgi.py          # or: uvicorn dashboard.asgi:app --port 8501

The websocket is compressed by `server.enableWebsocketCompression` in .streamlit/config.toml
(`refusal-monitor serve` passes it as a flag). Nothing here makes the page ask another host.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import os
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

import brotli
import streamlit as st
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.runtime.pages_manager import PagesManager

from dashboard.geo import GEOJSON_URL, TOPOJSON_URL
from refusal_monitor.settings import bundle_cache

SCRIPT = Path(__file__).resolve().parent / "app.py"
BUNDLES = Path(st.__file__).resolve().parent / "static" / "static" / "js"
MIN_SIZE = 1024
STATIC_HEAD = 8192
BREW_WHEN_QUIET = 3.0
BREW_AT_LATEST = 60.0
_LOG = logging.getLogger(__name__)
KEPT_PATHS = ("/static/", "/app/static/")
# The base map's name as Plotly derives it from the figure's resolution (110) and scope (world).
TOPOJSON_NAME = "world_110m"


def early_imports(bundles: Path = BUNDLES) -> bytes:
    """The tags that start loading Plotly's chunk and the map's boundaries when the page
    boots. The chunk is the URL the page itself imports later, so the browser loads and runs
    it once; it and the chunks it imports that the shell does not preload already are
    preloaded from the first byte of the page, so they arrive with Streamlit's own scripts
    rather than after them (0.2 s of a first visit). The boundaries go where Plotly looks
    before it fetches any (window.PlotlyGeoAssets, the hook of Plotly's offline geo assets),
    under the URLs the figures name; a failed fetch leaves the entry empty and Plotly fetches
    as usual. Empty when this Streamlit has no Plotly chunk (the page then loads everything
    as usual)."""
    chunks = sorted(p.name for p in bundles.glob("PlotlyChart.*.js"))
    if not chunks:
        return b""
    topojson = f"{TOPOJSON_URL}{TOPOJSON_NAME}.json"
    try:
        shell = (bundles.parents[1] / "index.html").read_text(encoding="utf-8", errors="replace")
    except OSError:
        shell = ""
    with (bundles / chunks[0]).open(encoding="utf-8", errors="replace") as file:
        chunk = file.read(STATIC_HEAD)
    preloads = "".join(f'<link rel="modulepreload" href="./static/js/{name}">'
                       for name in (chunks[0], *static_imports(chunk)) if name not in shell)
    return (preloads + f'<script type="module">import("./static/js/{chunks[0]}")</script>'
            "<script>(() => { const assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
            " const keep = (url, put) => fetch(url).then(r => r.ok ? r.json() : null)"
            ".then(d => { if (d) put(d); }, () => {});"
            f' keep("{GEOJSON_URL}", d => {{ if (assets["{GEOJSON_URL}"] === undefined) '
            f'assets["{GEOJSON_URL}"] = d; }});'
            f' keep("{topojson}", d => {{ assets.topojson["{TOPOJSON_NAME}"] ??= d; }}); }})()</script>').encode()


def static_imports(module: str) -> list[str]:
    """The sibling chunks a bundled module imports at its top (where a bundler puts them:
    Plotly's 4.7 MB of code after them need not be read).

    >>> static_imports('import{a as b}from"./index.X1.js";import"./side.Y2.js";const c="./no.js"')
    ['index.X1.js', 'side.Y2.js']
    """
    return re.findall(r'(?:from|import)\s*"\./([\w.\-]+\.js)"', module[:STATIC_HEAD])


def with_early_imports(html: bytes, tag: bytes) -> bytes:
    """The page shell with the tag just before </head>.

    >>> with_early_imports(b"<head><title>x</title></head><body>", b"<script></script>")
    b'<head><title>x</title><script></script></head><body>'
    >>> with_early_imports(b"<p>no head</p>", b"<script></script>")
    b'<p>no head</p>'
    """
    return html.replace(b"</head>", tag + b"</head>", 1) if tag else html


def accepted(header: str) -> set[str]:
    """The encodings an Accept-Encoding header allows (a q of 0 refuses one).

    >>> sorted(accepted("gzip, deflate, br, zstd"))
    ['br', 'deflate', 'gzip', 'zstd']
    >>> sorted(accepted("gzip;q=1.0, br;q=0"))
    ['gzip']
    >>> accepted("")
    set()
    """
    allowed = set()
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            refused = params and float(quality) == 0
        except ValueError:
            refused = False
        if name and not refused:
            allowed.add(name)
    return allowed


class Compressed:
    """Compressed copies of Streamlit's bundles (/static/) and our static files (/app/static/),
    each made once and kept, keyed by a hash of its content. The page shell gets the early
    imports. Anything else passes to `app` unchanged (there, GZipMiddleware)."""

    def __init__(self, app: ASGIApp, tag: bytes | None = None, cache: Path | None = None,
                 quiet: float = BREW_WHEN_QUIET, at_latest: float = BREW_AT_LATEST) -> None:
        self.app = app
        self.quiet, self.at_latest = quiet, at_latest
        self.last_request = time.monotonic()
        self.tag = early_imports() if tag is None else tag
        self.cache = bundle_cache() if cache is None else cache
        self.kept: dict[tuple[str, str], bytes] = {}
        self.brewing: set[str] = set()
        self.brewer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brotli", initializer=_low_priority)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        self.last_request = time.monotonic()
        path = scope["path"]
        allowed = accepted(Headers(scope=scope).get("accept-encoding", ""))
        if path.startswith(KEPT_PATHS) and allowed & {"br", "gzip"}:
            await self._kept(scope, receive, send, allowed)
        elif not path.startswith(("/static/", "/_stcore/", "/media/", "/app/", "/component")):
            await self._shell(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
        """The wrapped app's whole answer: its start message and its body."""
        start: Message = {}
        body = bytearray()

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, keep)
        return start, bytes(body)

    async def _kept(self, scope: Scope, receive: Receive, send: Send, allowed: set[str]) -> None:
        # Asked with no Accept-Encoding: Streamlit's own gzip (on /app/static/) would
        # otherwise answer first, at a lower level and without brotli.
        plain = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]}
        start, body = await self._answer(plain, receive)
        headers = MutableHeaders(raw=list(start.get("headers", [])))
        if start.get("status") != 200 or len(body) < MIN_SIZE or "content-encoding" in headers:
            await _send(send, start, body)
            return
        loop = asyncio.get_running_loop()
        digest = hashlib.sha256(body).hexdigest()[:32]
        packed, encoding = None, "gzip"
        if "br" in allowed:
            packed = self.kept.get((digest, "br")) or await loop.run_in_executor(None, self._from_disk, digest)
            encoding = "br" if packed else "gzip"
            if packed is None and digest not in self.brewing:
                self.brewing.add(digest)
                self.brewer.submit(self._brew, digest, body)
        if packed is None and "gzip" not in allowed:
            await _send(send, start, body)
            return
        if packed is None:
            packed = self.kept.get((digest, "gzip")) or await loop.run_in_executor(None, _gzip, body)
            self.kept[(digest, "gzip")] = packed
        headers["content-encoding"] = encoding
        headers["content-length"] = str(len(packed))
        headers.add_vary_header("Accept-Encoding")
        await _send(send, {**start, "headers": headers.raw}, packed)

    def _from_disk(self, digest: str) -> bytes | None:
        try:
            packed = (self.cache / f"{digest}.br").read_bytes()
        except OSError:
            return None
        self.kept[(digest, "br")] = packed
        return packed

    def _brew(self, digest: str, body: bytes) -> None:
        """brotli's best level, kept in memory and, when the cache folder is writable, on disk.
        It waits until no page has been asked for `quiet` seconds, or `at_latest` seconds (a
        minute) on a server never quiet: the best level takes a core for seconds (8 s for Plotly's chunk),
        which a new server's first reader, loading and drawing the page, would otherwise share
        (their first paint took 3.5 s, not 2.4 s)."""
        latest = time.monotonic() + self.at_latest
        while (wait := self.quiet - (time.monotonic() - self.last_request)) > 0 and time.monotonic() < latest:
            time.sleep(min(wait, max(latest - time.monotonic(), 0)))
        packed = brotli.compress(body, quality=11)
        self.kept[(digest, "br")] = packed
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            part = self.cache / f"{digest}.br.{os.getpid()}.part"
            part.write_bytes(packed)
            part.replace(self.cache / f"{digest}.br")
        except OSError:
            pass  # a read-only home: this server still keeps the copy in memory

    async def _shell(self, scope: Scope, receive: Receive, send: Send) -> None:
        start, body = await self._answer(scope, receive)
        headers = MutableHeaders(raw=list(start.get("headers", [])))
        if start.get("status") == 200 and headers.get("content-type", "").startswith("text/html") \
                and "content-encoding" not in headers:
            body = with_early_imports(body, self.tag)
            headers["content-length"] = str(len(body))
            start = {**start, "headers": headers.raw}
        await _send(send, start, body)


def _low_priority() -> None:
    """The brotli thread yields the CPU to the server's own work (Linux: a thread's nice)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):
        pass


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=9, mtime=0)


async def _send(send: Send, start: Message, body: bytes) -> None:
    await send(start)
    await send({"type": "http.response.body", "body": body})


def _warm() -> None:
    """Import the pages' libraries and read the dataset before the first reader arrives:
    the first page otherwise waits for plotly's import and the dataset's validation."""
    import dashboard.exports  # noqa: F401
    from dashboard.figures import region_map
    from dashboard.loader import DatasetError, load_frames

    region_map({}).to_json()
    try:
        load_frames()
    except DatasetError:
        pass  # the page says what is wrong with the data


class _Quiet:
    """The warm-up session's client: it keeps nothing and only notes when the run ends."""

    client_context = None

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.finished = asyncio.Event()
        self._loop = loop

    def write_forward_msg(self, msg) -> None:
        if msg.WhichOneof("type") == "script_finished":
            self._loop.call_soon_threadsafe(self.finished.set)


async def _first_run(timeout: float = 60) -> None:
    """Run the page once in a session nobody sees, then close it. A server's first run of
    the script pays once for what no import warms: compiling the pages, and the modules
    Streamlit imports on an element's first use (its emoji table alone is 0.2 s). Without
    this the first reader waits for all of it. A warm-up must never stop the server: if
    Streamlit's runtime refuses, the first reader pays as before."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.runtime import Runtime

    try:
        runtime = Runtime.instance()
        client = _Quiet(asyncio.get_running_loop())
        session = runtime.connect_session(client=client, user_info={})
    except Exception as exc:  # noqa: BLE001 - any refusal only means no warm-up
        _LOG.warning("the page was not run before the first reader: %s", exc)
        return
    try:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""
        runtime.handle_backmsg(session, rerun)
        await asyncio.wait_for(client.finished.wait(), timeout)
    except TimeoutError:
        pass  # a slow first run still warmed what it reached
    finally:
        runtime.close_session(session)


async def _fetch(app: ASGIApp, path: str) -> None:
    """GET one path from the app itself, as a browser that takes gzip would, and drop the
    answer. Not brotli: its best level takes seconds per bundle, so only the bundles readers
    ask for are brewed, and a server stopping has no long queue to finish."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"127.0.0.1"), (b"accept-encoding", b"gzip")],
             "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 80)}

    sent = asyncio.Event()

    async def receive() -> Message:
        """The empty body once; then nothing, as from a client that waits for the answer."""
        if not sent.is_set():
            sent.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def drop(_message: Message) -> None:
        return None

    await app(scope, receive, drop)


async def _compress_bundles(app: ASGIApp, bundles: Path = BUNDLES) -> None:
    """Ask the app for each of Streamlit's bundles (scripts, styles, fonts) once, so
    Compressed has them gzipped before the first reader asks (about 9 MB kept for 25 MB,
    0.6 s of one core): the first visit otherwise waits while its 10 MB are compressed."""
    files = [f for folder in ("js", "css", "media") for f in sorted((bundles.parent / folder).glob("*"))
             if f.suffix in (".js", ".css", ".woff2") and f.stat().st_size >= MIN_SIZE]
    await asyncio.gather(*(_fetch(app, f"/static/{f.parent.name}/{f.name}") for f in files))


async def _warm_page() -> None:
    await asyncio.get_running_loop().run_in_executor(None, _warm)
    await _first_run()


def send_without_delay() -> int:
    """Switch off Nagle's algorithm on the server's listening TCP sockets (Linux passes the
    setting to every connection they accept); returns how many were found.

    Streamlit binds its socket with protocol 0 before it imports this app, so asyncio, which
    sets TCP_NODELAY only on sockets of protocol TCP, leaves Nagle on. Every answer goes out as
    two writes (headers, then body), and on a kept-alive connection the body then waits for
    the browser's delayed acknowledgement: about 40 ms per file and per burst of websocket
    messages, 0.6 s of a first visit's 70 scripts. Called at start-up, after the bind and
    before the server accepts (a connection already waiting keeps Nagle); on a system
    without /proc it finds nothing and changes nothing."""
    try:
        descriptors = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return 0
    found = 0
    for fd in descriptors:
        try:
            copy = os.dup(fd)
        except OSError:
            continue  # the descriptor of the listing itself, closed since
        try:
            sock = socket.socket(fileno=copy)
        except OSError:
            os.close(copy)
            continue
        with sock:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM \
                    and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                found += 1
    return found


@asynccontextmanager
async def _lifespan(app):
    send_without_delay()
    await asyncio.gather(_warm_page(), _compress_bundles(app))
    yield


# dashboard/app.py sits next to dashboard/pages/, which Streamlit would otherwise take for an
# old-style pages folder and run the first session's first page without app.py's navigation
# (no language switch; the next click then fails). The pages are st.navigation's alone.
PagesManager.uses_pages_directory = False
app = st.App(SCRIPT, lifespan=_lifespan,
             middleware=[Middleware(GZipMiddleware, minimum_size=MIN_SIZE, compresslevel=6), Middleware(Compressed)])
