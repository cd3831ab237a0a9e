"""dashboard/asgi.py's start-up: the bundles are gzipped and kept before the first reader asks.

The wrapped app stands in for Streamlit's static files: an ASGI app that answers each path
with its bytes and the immutable cache header Streamlit gives its hashed bundles."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import pytest

from dashboard.asgi import MIN_SIZE, Compressed, _compress_bundles, _fetch


def static_files(root: Path):
    """An ASGI app serving root's files under /static/, as Streamlit serves its bundles."""

    async def app(scope, receive, send):
        await receive()
        path = root / scope["path"].removeprefix("/static/")
        found = path.is_file()
        await send({"type": "http.response.start", "status": 200 if found else 404,
                    "headers": [(b"content-type", b"text/javascript"),
                                (b"cache-control", b"public, max-age=31536000, immutable")]})
        await send({"type": "http.response.body", "body": path.read_bytes() if found else b""})

    return app


def write(path: Path, size: int) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = (b"console.log('bundle');\n" * (size // 23 + 1))[:size]
    path.write_bytes(body)
    return body


def gzipped(compressed: Compressed) -> list[bytes]:
    """The bodies Compressed keeps gzipped (its copies are keyed by a hash of the content)."""
    return [gzip.decompress(packed) for (_, encoding), packed in compressed.kept.items() if encoding == "gzip"]


def test_a_fetch_leaves_the_gzipped_bundle_kept(tmp_path):
    body = write(tmp_path / "js" / "index.abc.js", 5000)
    compressed = Compressed(static_files(tmp_path), tag=b"", cache=tmp_path / "cache")
    asyncio.run(_fetch(compressed, "/static/js/index.abc.js"))
    assert gzipped(compressed) == [body]


@pytest.mark.parametrize(("name", "size", "kept"), [
    ("js/index.abc.js", 5000, True),
    ("css/index.def.css", 3000, True),
    ("media/SourceSans.ghi.woff2", 3000, True),
    ("js/tiny.js", MIN_SIZE - 1, False),  # too small to be worth compressing
    ("js/index.abc.js.map", 5000, False),  # not a script, a style or a font
    ("media/logo.png", 5000, False),
])
def test_start_up_compresses_every_script_style_and_font_bundle(tmp_path, name, size, kept):
    body = write(tmp_path / name, size)
    compressed = Compressed(static_files(tmp_path), tag=b"", cache=tmp_path / "cache")
    asyncio.run(_compress_bundles(compressed, tmp_path / "js"))
    assert (body in gzipped(compressed)) is kept
