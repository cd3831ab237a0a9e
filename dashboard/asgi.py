"""The dashboard as an ASGI app that gzips everything it sends over HTTP.

Streamlit leaves its own 9.5 MB of JavaScript uncompressed (its gzip middleware skips
static files). Served through this file, the browser gets it gzipped, about a quarter of
the bytes, with no proxy in front:

    streamlit run dashboard/asgi.py          # or: uvicorn dashboard.asgi:app --port 8501

The websocket is compressed by `server.enableWebsocketCompression` in .streamlit/config.toml.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

SCRIPT = Path(__file__).resolve().parents[1] / "streamlit_app.py"



def _warm() -> None:
    """Import the pages' libraries and read the dataset before the first reader arrives:
    the first page otherwise waits for plotly's import and the dataset's validation."""
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


app = st.App(SCRIPT, lifespan=_lifespan,
             middleware=[Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)])
