"""The dashboard as an ASGI app that gzips everything it sends over HTTP.

Streamlit leaves its own 9.5 MB of JavaScript uncompressed (its gzip middleware skips
static files). Served through this file, the browser gets it gzipped, about a quarter of
the bytes, with no proxy in front:

    streamlit run dashboard/asgi.py          # or: uvicorn dashboard.asgi:app --port 8501

The websocket is compressed by `server.enableWebsocketCompression` in .streamlit/config.toml.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

SCRIPT = Path(__file__).resolve().parents[1] / "streamlit_app.py"

app = st.App(SCRIPT, middleware=[Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)])
