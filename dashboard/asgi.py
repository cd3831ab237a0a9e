"""The dashboard as an ASGI app: what `make run`, `refusal-monitor serve` and the container run.

Three things a plain `streamlit run streamlit_app.py` cannot do, each a wait a reader feels:

- Streamlit sends its own 9.5 MB of JavaScript uncompressed (its gzip skips static files).
  Here every HTTP answer is compressed. Streamlit's bundles and our static files are
  compressed once and kept: gzip at once, and brotli (a quarter smaller again: Plotly's chunk
  is 1.42 MB gzipped, 1.06 MB in brotli) by a low-priority thread, because brotli's best
  level takes seconds per bundle. Until a bundle's brotli copy is ready the browser gets
  gzip; the copies are kept on disk (`settings.bundle_cache()`), so a server started later
  on the same machine has them from its first answer.
- The map waits for Plotly's 4.7 MB chunk, which the page would only start to load once the
  server has sent the first chart, and for the boundaries Plotly fetches once it draws. The
  page shell here starts that import and those fetches as soon as the page boots, so the
  browser loads and parses them while the server runs the script.
- The libraries are imported and the dataset is read before the first reader arrives.

    streamlit run dashboard/asgi.py          # or: uvicorn dashboard.asgi:app --port 8501

The websocket is compressed by `server.enableWebsocketCompression` in .streamlit/config.toml
(`refusal-monitor serve` passes it as a flag). Nothing here makes the page ask another host.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import os
import threading
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
KEPT_PATHS = ("/static/", "/app/static/")
# The base map's name as Plotly derives it from the figure's resolution (110) and scope (world).
TOPOJSON_NAME = "world_110m"


def early_imports(bundles: Path = BUNDLES) -> bytes:
    """The tags that start loading Plotly's chunk and the map's boundaries when the page
    boots. The chunk is the URL the page itself imports later, so the browser loads and runs
    it once. The boundaries go where Plotly looks before it fetches any (window.PlotlyGeoAssets,
    the hook of Plotly's offline geo assets), under the URLs the figures name; a failed
    fetch leaves the entry empty and Plotly fetches as usual. Empty when this Streamlit has
    no Plotly chunk (the page then loads everything as usual)."""
    chunks = sorted(p.name for p in bundles.glob("PlotlyChart.*.js"))
    if not chunks:
        return b""
    topojson = f"{TOPOJSON_URL}{TOPOJSON_NAME}.json"
    return (f'<script type="module">import("./static/js/{chunks[0]}")</script>'
            "<script>(() => { const assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
            " const keep = (url, put) => fetch(url).then(r => r.ok ? r.json() : null)"
            ".then(d => { if (d) put(d); }, () => {});"
            f' keep("{GEOJSON_URL}", d => {{ if (assets["{GEOJSON_URL}"] === undefined) '
            f'assets["{GEOJSON_URL}"] = d; }});'
            f' keep("{topojson}", d => {{ assets.topojson["{TOPOJSON_NAME}"] ??= d; }}); }})()</script>').encode()


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

    def __init__(self, app: ASGIApp, tag: bytes | None = None, cache: Path | None = None) -> None:
        self.app = app
        self.tag = early_imports() if tag is None else tag
        self.cache = bundle_cache() if cache is None else cache
        self.kept: dict[tuple[str, str], bytes] = {}
        self.brewing: set[str] = set()
        self.brewer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brotli", initializer=_low_priority)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
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
        """brotli's best level, kept in memory and, when the cache folder is writable, on disk."""
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


@asynccontextmanager
async def _lifespan(_app):
    await asyncio.get_running_loop().run_in_executor(None, _warm)
    yield


# dashboard/app.py sits next to dashboard/pages/, which Streamlit would otherwise take for an
# old-style pages folder and run the first session's first page without app.py's navigation
# (no language switch; the next click then fails). The pages are st.navigation's alone.
PagesManager.uses_pages_directory = False
app = st.App(SCRIPT, lifespan=_lifespan,
             middleware=[Middleware(GZipMiddleware, minimum_size=MIN_SIZE, compresslevel=6), Middleware(Compressed)])
