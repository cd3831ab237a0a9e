"""Dashboard speed and size on a SYNTHETIC dataset of 100,000 incidents.

The rows are random and marked synthetic in every summary and URL; they are written to a
temporary folder (REFUSAL_MONITOR_DATA) and deleted afterwards, never into data/.

Prints, with the targets from issue #14 (the browser's side: benchmarks/browser.py --synthetic),
each time as wall clock with this process's CPU time beside it (the machine may be shared):
  - first render: the Overview page run once from a cold cache (load, validate, draw), and
    for a new visitor once the server has the data cached, target ≤ 1.5 s;
  - rerun: one script run after a filter change (median of several), target ≤ 0.12 s; and
    the same with the pages compiled once (AppTest recompiles them on every run, a server
    does not);
  - map payload: the map figure as sent to the browser (JSON bytes) plus the boundaries and
    base map the browser fetches once from the app's static files, target ≤ 250 KB (on the
    wire, gzipped by dashboard/asgi.py: benchmarks/browser.py --gzip);
  - first paint in chromium, when Debian's chromium is installed: page open → regions drawn,
    cold and on reload, with the server's CPU seconds for each (--gzip: dashboard/asgi.py);
  - peak memory (RSS) of this process.

    python benchmarks/dashboard.py [--incidents 100000] [--reruns 5] [--no-browser] [--gzip]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.model import INCIDENT_COLUMNS, SOURCE_COLUMNS, STAGES, TYPES  # noqa: E402
from geography.gazetteer import regions  # noqa: E402

OUTLETS = ["Synthetic Daily", "Synthetic Wire", "Synthetic Times", "Синтетические новости"]


def write_synthetic(folder: Path, n: int, seed: int = 1) -> None:
    """incidents.csv and sources.csv with n incidents and one to three sources each."""
    rng = random.Random(seed)
    codes = list(regions())
    with (folder / "incidents.csv").open("w", newline="", encoding="utf-8") as fi, \
            (folder / "sources.csv").open("w", newline="", encoding="utf-8") as fs:
        inc = csv.DictWriter(fi, INCIDENT_COLUMNS)
        src = csv.DictWriter(fs, SOURCE_COLUMNS)
        inc.writeheader()
        src.writeheader()
        for i in range(1, n + 1):
            kind = rng.choice(TYPES)
            count = rng.choice(["", "1", "2", "8", "12", "40"])
            year, month, day = rng.randint(2022, 2026), rng.randint(1, 12), rng.randint(1, 28)
            date = f"{year}-{month:02d}-{day:02d}"
            iid = f"RM-{i:06d}"
            stage = rng.choice(STAGES) if kind == "prosecution" else ""
            inc.writerow({"incident_id": iid, "type": kind, "stage": stage,
                          "count": count, "count_low": count, "count_high": count,
                          "region": rng.choice(codes), "place": "", "place_precision": "region",
                          "date": date, "date_precision": "day", "unit": "",
                          "summary": f"SYNTHETIC benchmark incident {i}, not real.", "reviewed": "false"})
            for k in range(rng.randint(1, 3)):
                src.writerow({"incident_id": iid, "url": f"https://synthetic.invalid/{i}/{k}",
                              "outlet": rng.choice(OUTLETS), "title": f"Synthetic report {i}.{k}",
                              "published": date, "language": "en"})


def compiled_once() -> None:
    """Make AppTest compile the pages once, as a server does (its runtime keeps one script
    cache); AppTest otherwise recompiles app.py and the page, magic and all, on every run."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def timed(run) -> tuple[float, float]:
    """Seconds of wall clock and of this process's CPU: on a shared machine the CPU time
    says what the work costs when the wall clock also counts waiting for a core."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def rerun_times(at, reruns: int) -> tuple[float, float]:
    """Medians (wall, CPU) of reruns after a filter change."""
    timings = []
    for i in range(reruns):
        at.sidebar.multiselect[0].set_value(["refusal", "desertion"] if i % 2 == 0 else ["prosecution"])
        timings.append(timed(at.run))
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def server_side(reruns: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from dashboard.figures import region_map
    from dashboard.loader import load_frames
    from dashboard.model import by_region

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    first = timed(at.run)
    new_session = timed(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300).run)
    if at.exception:
        raise SystemExit(f"the app failed on the synthetic data: {at.exception[0].message}")
    rerun = rerun_times(at, reruns)
    compiled_once()
    rerun_times(at, 1)
    compiled = rerun_times(at, reruns)
    frame = load_frames().incidents
    ranked = by_region(frame, "incidents", False)
    spec = region_map(dict(zip(ranked["region"], ranked["value"], strict=True))).to_json()
    static = ROOT / "static"
    once = sum(f.stat().st_size for f in [static / "regions.geojson", *(static / "topojson").glob("*.json")])
    return {"first": first, "new_session": new_session, "rerun": rerun, "rerun_compiled": compiled,
            "payload": len(spec.encode()), "once": once}


def server_cpu(pid: int) -> float:
    """Seconds of CPU a process has used (Linux /proc), 0 where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_first_paint(folder: Path, entry: str = "streamlit_app.py") -> tuple | None:
    """(cold, reload) seconds to the regions drawn, and the server's CPU seconds for each:
    the server's share of a reader's wait, which the machine's other load does not change."""
    chromium = shutil.which("chromium")
    if not chromium:
        return None
    from playwright.sync_api import sync_playwright

    port = 8599
    command = [sys.executable, "-m", "streamlit", "run", entry, "--server.port", str(port),
               "--server.headless", "true"]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "REFUSAL_MONITOR_DATA": str(folder)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium)
            page = browser.new_page()
            for _ in range(120):
                try:
                    page.goto(f"http://127.0.0.1:{port}/_stcore/health")
                    break
                except Exception:  # the server is still starting
                    time.sleep(0.5)
            page = browser.new_page()  # a fresh page: the health check's is not a visit
            cpu, start = server_cpu(proc.pid), time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector(".choroplethlocation", state="attached", timeout=120000)
            cold = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            cold_cpu = server_cpu(proc.pid) - cpu
            cpu, start = server_cpu(proc.pid), time.perf_counter()
            page.reload()
            page.wait_for_selector(".choroplethlocation", state="attached", timeout=120000)
            warm = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            warm_cpu = server_cpu(proc.pid) - cpu
            browser.close()
        return cold, warm, cold_cpu, warm_cpu
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="skip the chromium first-paint measure")
    parser.add_argument("--gzip", action="store_true", help="chromium against dashboard/asgi.py (what make run serves)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="refusal-monitor-synthetic-") as tmp:
        folder = Path(tmp)
        for name in ("codebook.csv", "codebook_values.csv"):
            shutil.copy(ROOT / "data" / name, folder / name)
        write_synthetic(folder, args.incidents)
        os.environ["REFUSAL_MONITOR_DATA"] = str(folder)
        print(f"synthetic dataset: {args.incidents:,} incidents in {folder}")
        figures = server_side(args.reruns)
        print(f"first render (cold cache, server side): {figures['first'][0]:.2f} s ({figures['first'][1]:.2f} s CPU)"
              "   target ≤ 1.5 s")
        print(f"new session, data already cached (server side): {figures['new_session'][0]:.2f} s "
              f"({figures['new_session'][1]:.2f} s CPU)")
        print(f"rerun after a filter change (median of {args.reruns}): {figures['rerun'][0]:.3f} s "
              f"({figures['rerun'][1]:.3f} s CPU)   target ≤ 0.12 s")
        compiled = figures["rerun_compiled"]
        print(f"  the same with the pages compiled once, as a server compiles them: {compiled[0]:.3f} s "
              f"({compiled[1]:.3f} s CPU)")
        print(f"map payload: {figures['payload'] / 1024:.0f} KB figure per render, plus "
              f"{figures['once'] / 1024:.0f} KB of boundaries and base map fetched once per page; "
              f"{(figures['payload'] + figures['once']) / 1024:.0f} KB in all before compression")
        entry = "dashboard/asgi.py" if args.gzip else "streamlit_app.py"
        paint = None if args.no_browser else browser_first_paint(folder, entry)
        if paint:
            print(f"first paint in chromium ({entry}): {paint[0]:.2f} s cold, {paint[1]:.2f} s on reload; the server's "
                  f"CPU for each: {paint[2]:.2f} s, {paint[3]:.2f} s")
        elif not args.no_browser:
            print("first paint in chromium: skipped (no chromium on PATH)")
    print(f"peak memory (this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
