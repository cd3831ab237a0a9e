"""Dashboard timings and bytes as a reader's browser sees them: Debian's chromium driven by
Playwright against a fresh `streamlit run` on 127.0.0.1.

Prints, with the targets from issue #14 (shipped data unless --data is given):
  - cold first paint: a new server's first page open → the map's regions drawn, the median
    over --servers new servers (≤ 2.5 s);
  - warm reload: the same page reloaded, until the map is drawn (≤ 1.0 s), and when the page
    settles (its last long task ends);
  - filter change and map click: the action → the last websocket message of the rerun it
    starts, plus one animation frame (≤ 0.4 s each; median of --repeat);
  - first visit on the wire: HTTP bytes as transferred (encodedDataLength, so after any
    compression) and websocket payload bytes (before permessage-deflate, which chromium's
    DevTools cannot see), target ≤ 3 MB;
  - requests to any host but 127.0.0.1 (must be 0).

    python benchmarks/browser.py [--data FOLDER | --synthetic 100000] [--repeat 5] [--servers 3] [--gzip]
    python benchmarks/browser.py --floor [--repeat 5]   # what Streamlit itself costs

--floor serves a page of one st.write through dashboard/asgi.py (so with Plotly's early
import and the same compression) and prints its first paint, warm reload and first-visit
bytes: the part of each figure that is Streamlit's, not the dashboard's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]


def start_server(data: Path | None, entry: str = "streamlit_app.py") -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **({"REFUSAL_MONITOR_DATA": str(data)} if data else {})}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", entry, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("streamlit did not start within 60 s")


def foreign(urls: list[str]) -> list[str]:
    """The URLs that ask another host than the app's own.

    >>> foreign(["http://127.0.0.1:8501/x.js", "data:,", "https://fonts.gstatic.com/a.woff2"])
    ['https://fonts.gstatic.com/a.woff2']
    """
    return [u for u in urls if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith(("data:", "blob:"))]


class Wire:
    """Bytes and websocket frame times of one page, from chromium's DevTools protocol."""

    def __init__(self, page):
        self.http = 0
        self.ws = 0
        self.map_bytes = 0
        self._urls: dict[str, str] = {}
        self.frames: list[float] = []
        self.foreign: list[str] = []
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", lambda e: self._urls.__setitem__(e["requestId"], e["response"]["url"]))
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        page.on("request", lambda r: self.foreign.extend(foreign([r.url])))

    def _finished(self, event) -> None:
        self.http += event["encodedDataLength"]
        if "/app/static/" in self._urls.get(event["requestId"], ""):
            self.map_bytes += event["encodedDataLength"]

    def _frame(self, event) -> None:
        self.ws += len(event["response"]["payloadData"])
        self.frames.append(time.perf_counter())


def settle(page, wire: Wire, action, quiet: float = 0.8, limit: float = 20.0) -> float:
    """Seconds from the action to the last websocket message of the rerun it starts (then one
    animation frame): the moment the page stops changing."""
    before = len(wire.frames)
    start = time.perf_counter()
    action()
    while time.perf_counter() - start < limit:
        page.wait_for_timeout(50)
        if len(wire.frames) > before and time.perf_counter() - wire.frames[-1] > quiet:
            break
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
    return (wire.frames[-1] if len(wire.frames) > before else time.perf_counter()) - start


def copies_toggle(page):
    """The filter the timings toggle, "leave out incidents reported only by copies", in the
    sidebar's popover, which is opened first when it is closed."""
    toggle = page.get_by_text("Leave out incidents reported only by copies")
    if not toggle.is_visible():
        page.get_by_role("button", name="More filters and measures").click()
        toggle.wait_for()
    return toggle


def click_region(page, index: int) -> None:
    box = page.locator(".choroplethlocation").nth(index).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


# The end of the page's last long task (over 50 ms of main thread), in ms from navigation start.
LAST_LONG_TASK = ("window.__lastLongTask = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
                  " window.__lastLongTask = Math.max(window.__lastLongTask, e.startTime + e.duration); })"
                  ".observe({type: 'longtask', buffered: true});")


DESKTOP = {"width": 1400, "height": 1000}


def launch(p):
    """Debian's chromium, as every timing here runs it."""
    return p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])


def timed_open(page, base: str, ready) -> float:
    """Seconds from asking for the page to `ready(page)` returning."""
    start = time.perf_counter()
    page.goto(base)
    ready(page)
    return time.perf_counter() - start


def map_drawn(page) -> None:
    page.wait_for_selector(".choroplethlocation", state="attached", timeout=120000)


def first_paint(p, data: Path | None, entry: str) -> float:
    """Another new server's first page open in a new chromium, timed until the map is drawn:
    one cold sample swings by 0.3 s, so the figure is a median over several servers. It
    first lets the machine settle from the last server and browser, as a reader would find it."""
    time.sleep(3)
    proc, base = start_server(data, entry)
    try:
        chromium = launch(p)
        took = timed_open(chromium.new_page(viewport=DESKTOP), base, map_drawn)
        chromium.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return took


class Visit:
    """A reader's first visit to `base` in a new chromium and `repeat` reloads, each timed
    until `ready(page)` returns, in a page with no DevTools session of ours (a reader's
    browser has none; handing every network event to Python costs a first visit 0.2–0.3 s
    here), only noting any request to another host. Each reload
    also notes when the page settles: the end of its last long task, which comes after
    `ready` when other parts of the page are still being drawn. Then a second first visit,
    in a new context (an empty cache) with the network watched, counts the bytes and the
    hosts asked; its page and wire stay open for the caller's clicks."""

    def __init__(self, p, base: str, ready, repeat: int) -> None:
        self.browser = launch(p)
        timed = self.browser.new_page(viewport=DESKTOP)
        timed.add_init_script(LAST_LONG_TASK)
        self.foreign: list[str] = []
        timed.on("request", lambda r: self.foreign.extend(foreign([r.url])))
        self.cold = timed_open(timed, base, ready)
        timed.wait_for_load_state("networkidle")
        self.reloads, self.settled = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            timed.reload()
            ready(timed)
            self.reloads.append(time.perf_counter() - start)
            timed.wait_for_timeout(1500)
            self.settled.append(timed.evaluate("window.__lastLongTask") / 1000)
        timed.close()
        self.page = self.browser.new_page(viewport=DESKTOP)
        self.wire = Wire(self.page)
        self.page.goto(base)
        ready(self.page)
        self.page.wait_for_load_state("networkidle")
        self.first_http, self.first_ws, self.first_map = self.wire.http, self.wire.ws, self.wire.map_bytes


def measure(data: Path | None, repeat: int, entry: str = "streamlit_app.py", servers: int = 3) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from dashboard.geo import region_table

    yakutia = list(region_table().index).index("RU-SA")
    proc, base = start_server(data, entry)
    try:
        with sync_playwright() as p:
            visit = Visit(p, base, map_drawn, repeat)
            page, wire = visit.page, visit.wire
            page.wait_for_load_state("networkidle")
            filters = [settle(page, wire, copies_toggle(page).click) for _ in range(repeat)]
            page.keyboard.press("Escape")
            clicks = []
            for _ in range(repeat):
                clicks.append(settle(page, wire, lambda: click_region(page, yakutia)))
                settle(page, wire, page.get_by_role("button", name="Show all regions").click)
            toggle = copies_toggle(page)
            ws_before = wire.ws
            settle(page, wire, toggle.click)
            filter_bytes = wire.ws - ws_before
            visit.browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    with sync_playwright() as p:
        colds = [visit.cold] + [first_paint(p, data, entry) for _ in range(servers - 1)]
    return {"cold": statistics.median(colds), "colds": colds, "warm": statistics.median(visit.reloads),
            "settled": statistics.median(visit.settled),
            "filter": statistics.median(filters),
            "click": statistics.median(clicks), "http": visit.first_http, "ws": visit.first_ws,
            "filter_bytes": filter_bytes, "map_bytes": visit.first_map, "foreign": visit.foreign + wire.foreign}


FLOOR_PAGE = 'import streamlit as st\n\nst.write("floor")\n'
SCRIPT_LINE = 'SCRIPT = Path(__file__).resolve().parent / "app.py"'


def floor_entry() -> str:
    """dashboard/asgi.py serving the one-line page instead of the dashboard. A copy, not an
    import: the first st.App a process builds decides which script every session runs."""
    source = (ROOT / "dashboard" / "asgi.py").read_text(encoding="utf-8")
    if SCRIPT_LINE not in source:
        raise SystemExit("dashboard/asgi.py no longer names its script as the floor expects")
    return source.replace(SCRIPT_LINE, 'SCRIPT = Path(__file__).with_name("floor_page.py")')


def floor(repeat: int) -> dict:
    """What Streamlit itself costs: a page of one st.write, served through dashboard/asgi.py's
    compression like the dashboard, timed until its text shows."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="refusal-monitor-floor-") as tmp:
        Path(tmp, "floor_page.py").write_text(FLOOR_PAGE)
        Path(tmp, "floor_entry.py").write_text(floor_entry())
        proc, base = start_server(None, str(Path(tmp, "floor_entry.py")))
        try:
            with sync_playwright() as p:
                visit = Visit(p, base, lambda page: page.get_by_text("floor").wait_for(), repeat)
                visit.browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return {"cold": visit.cold, "warm": statistics.median(visit.reloads), "http": visit.first_http,
            "ws": visit.first_ws}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="a data folder (default: the shipped data)")
    parser.add_argument("--synthetic", type=int, help="serve this many SYNTHETIC incidents instead (temporary folder)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--servers", type=int, default=3, help="new servers whose first paint is timed (median)")
    parser.add_argument("--gzip", action="store_true", help="serve through dashboard/asgi.py (HTTP gzip)")
    parser.add_argument("--floor", action="store_true", help="time a one-line Streamlit page served the same way")
    args = parser.parse_args()
    if not shutil.which("chromium"):
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    if args.floor:
        f = floor(args.repeat)
        print("floor: one st.write served by dashboard/asgi.py's compression")
        print(f"first paint: {f['cold']:.2f} s; warm reload (median of {args.repeat}): {f['warm']:.2f} s")
        print(f"first visit: {f['http'] / 1e6:.2f} MB over HTTP as transferred, plus {f['ws'] / 1e6:.2f} MB of "
              "websocket payload before compression")
        return
    with tempfile.TemporaryDirectory(prefix="refusal-monitor-synthetic-") as tmp:
        data = args.data
        if args.synthetic:
            sys.path.insert(0, str(ROOT))
            from benchmarks.dashboard import write_synthetic

            data = Path(tmp)
            for name in ("codebook.csv", "codebook_values.csv"):
                shutil.copy(ROOT / "data" / name, data / name)
            write_synthetic(data, args.synthetic)
            print(f"synthetic dataset: {args.synthetic:,} incidents")
        f = measure(data, args.repeat, "dashboard/asgi.py" if args.gzip else "streamlit_app.py", max(args.servers, 1))
    print("served by", "dashboard/asgi.py (gzip)" if args.gzip else "streamlit_app.py")
    print(f"cold first paint (median of {len(f['colds'])} new servers: "
          f"{', '.join(f'{c:.2f}' for c in f['colds'])}): {f['cold']:.2f} s   target ≤ 2.5 s")
    print(f"warm reload (median of {args.repeat}): {f['warm']:.2f} s   target ≤ 1.0 s; the page settles "
          f"{f['settled']:.2f} s after navigation starts (end of its last long task)")
    print(f"filter change settles (median of {args.repeat}): {f['filter']:.2f} s   target ≤ 0.4 s")
    print(f"map click settles (median of {args.repeat}): {f['click']:.2f} s   target ≤ 0.4 s")
    print(f"first visit: {f['http'] / 1e6:.2f} MB over HTTP as transferred, plus {f['ws'] / 1e6:.2f} MB of "
          "websocket payload before compression   target ≤ 3 MB")
    print(f"map boundaries and base map on the wire (once per visit): {f['map_bytes'] / 1e3:.0f} KB")
    print(f"one filter change: {f['filter_bytes'] / 1e3:.0f} KB of websocket payload before compression")
    print(f"requests to other hosts: {len(f['foreign'])}")


if __name__ == "__main__":
    main()
