"""Every path and environment variable the project reads, in one place.

| setting | environment variable | default |
|---|---|---|
| `data_dir()`: the dataset served and curated | `REFUSAL_MONITOR_DATA` | `shipped_data_dir()` |
| `shipped_data_dir()`: codebook, gazetteer, boundaries | | `data/` of a checkout, else the wheel's copy |
| `geocoder_url()` | `REFUSAL_MONITOR_GEOCODER` | the public Nominatim |
| `geocode_cache()` | `XDG_CACHE_HOME` | `~/.cache/refusal-monitor/geocode.json` |
| `bundle_cache()`: brotli copies of the page's scripts | `XDG_CACHE_HOME` | `~/.cache/refusal-monitor/bundles/` |
| `progress_forced()` | `REFUSAL_MONITOR_PROGRESS` | progress bars only on a terminal |

A checkout is found by its `pyproject.toml` beside `data/`; an installed wheel carries
`data/` as the package `refusal_monitor.data`, so the same code finds its files either way.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
APP_SCRIPT = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
# What `refusal-monitor serve`, `make run` and the container run: the app behind gzip, with
# Plotly's chunk loaded while the server works (dashboard/asgi.py, docs/HOSTING.md).
SERVE_ENTRY = APP_SCRIPT.parent / "asgi.py"
# The Streamlit options of the checkout's .streamlit/config.toml (where each is explained; a
# test keeps the two equal), which `refusal-monitor serve` passes as flags: an installed
# wheel runs from a folder that has no such file.
STREAMLIT_OPTIONS = {
    "browser.gatherUsageStats": False,
    "server.enableStaticServing": True,
    "server.headless": True,
    "server.enableWebsocketCompression": True,
    "server.fileWatcherType": "none",
    "runner.postScriptGC": False,
    "runner.magicEnabled": False,
    "client.toolbarMode": "minimal",
    "client.disableDataExport": True,
    "theme.font": "sans serif",
    "theme.primaryColor": "#0072B2",
}


def streamlit_flags() -> list[str]:
    """STREAMLIT_OPTIONS as `streamlit run` flags.

    >>> streamlit_flags()[:4]
    ['--browser.gatherUsageStats', 'false', '--server.enableStaticServing', 'true']
    """
    return [part for name, value in STREAMLIT_OPTIONS.items()
            for part in (f"--{name}", str(value).lower() if isinstance(value, bool) else str(value))]


def shipped_data_dir() -> Path:
    """The data that ships with the code: the checkout's data/, or the wheel's copy."""
    if (CHECKOUT / "pyproject.toml").exists() and (CHECKOUT / "data" / "codebook.csv").exists():
        return CHECKOUT / "data"
    return Path(str(files("refusal_monitor") / "data"))


def data_dir() -> Path:
    """The dataset folder: $REFUSAL_MONITOR_DATA, else the shipped data."""
    override = os.environ.get("REFUSAL_MONITOR_DATA")
    return Path(override) if override else shipped_data_dir()


def regions_dir() -> Path:
    return shipped_data_dir() / "regions"


def geocoder_url() -> str | None:
    return os.environ.get("REFUSAL_MONITOR_GEOCODER") or None


def geocode_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "refusal-monitor" / "geocode.json"


def bundle_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "refusal-monitor" / "bundles"


def progress_forced() -> bool:
    return bool(os.environ.get("REFUSAL_MONITOR_PROGRESS"))
