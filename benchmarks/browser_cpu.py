"""Where chromium's main thread spends a warm reload and a filter change of the dashboard.

Wall times on a shared 2-core machine swing with the other jobs; the renderer's main-thread
CPU time does much less, and its breakdown says which part of the page to cut. For each
action this records a DevTools trace and prints, per kind of work, the main thread's
self time (median of --repeat): scripting (with garbage collection apart), style
recalculation, layout, paint/composite, HTML parsing and the rest of the tasks. With
--profile it also samples the JavaScript and prints the scripts and functions that take
the most self time (which bundle: Plotly, Streamlit's React, the data grid).

    python benchmarks/browser_cpu.py [--root CHECKOUT] [--repeat 5] [--profile]

--root serves another checkout's dashboard (say /work/main) with this interpreter, so two
branches can be measured in turns under the same load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter, defaultdict
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import browser  # noqa: E402

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute", "blink",
              "toplevel", "disabled-by-default-devtools.timeline.frame"]
KINDS = {
    "script": ("FunctionCall", "EvaluateScript", "v8.compile", "v8.compileModule", "V8.CompileCode", "TimerFire",
               "EventDispatch", "FireAnimationFrame", "RunMicrotasks", "v8.run", "v8.callFunction",
               "FireIdleCallback", "XHRReadyStateChange", "XHRLoad", "v8.evaluateModule"),
    "gc": ("MinorGC", "MajorGC", "V8.GCScavenger", "V8.GCFinalizeMC", "V8.GCIncrementalMarking", "BlinkGC.AtomicPhase",
           "V8.GC_MC_BACKGROUND_MARKING", "ThreadState::performIdleLazySweep", "CppGC.AtomicMark"),
    "style": ("UpdateLayoutTree", "RecalculateStyles", "ParseAuthorStyleSheet", "ScheduleStyleRecalculation"),
    "layout": ("Layout", "UpdateLayerTree", "IntersectionObserverController::computeIntersections"),
    "paint": ("Paint", "PrePaint", "Layerize", "Commit", "CompositeLayers", "PaintImage", "Decode Image",
              "ImageDecodeTask", "RasterTask", "PaintSetup"),
    "parse": ("ParseHTML",),
}
KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}


def main_threads(events: list[dict]) -> set[tuple[int, int]]:
    return {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}


def breakdown(trace: bytes) -> dict[str, float]:
    """Self CPU seconds (thread time, which a loaded machine's waits do not inflate) per kind
    on the renderers' main threads. A nested event of no known kind
    (V8's inner steps, a forced layout's parts) counts to its nearest known ancestor, and a
    task's own time outside any of them counts as "other"."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    threads = main_threads(events)
    per_thread = defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and (e["pid"], e["tid"]) in threads and "dur" in e:
            per_thread[(e["pid"], e["tid"])].append(e)
    clock = "tdur" if any("tdur" in e for items in per_thread.values() for e in items) else "dur"
    totals: Counter = Counter()
    for items in per_thread.values():
        items.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack: list[list] = []  # [end, kind, child time]
        for e in items:
            while stack and e["ts"] >= stack[-1][0]:
                _close(stack, totals)
            parent = stack[-1][1] if stack else None
            kind = KIND_OF.get(e["name"]) or parent or "other"
            if stack:
                stack[-1][2] += e.get(clock, 0)
            stack.append([e["ts"] + e["dur"], kind, 0, e.get(clock, 0)])
        while stack:
            _close(stack, totals)
    totals = {k: v / 1e6 for k, v in totals.items()}
    totals["total"] = sum(totals.values())
    if clock == "dur":
        print("(this chromium's trace has no thread time: wall durations instead)")
    return totals


def _close(stack: list, totals: Counter) -> None:
    _end, kind, children, dur = stack.pop()
    totals[kind] += max(dur - children, 0)


def profile_top(profile: dict, limit: int = 12) -> tuple[Counter, Counter]:
    """Self seconds per script file and per function from a CPU profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {child: n["id"] for n in profile["nodes"] for child in n.get("children", [])}
    hits: Counter = Counter()
    deltas = profile["timeDeltas"]
    for sample, delta in zip(profile["samples"][1:], deltas[1:], strict=False):
        hits[sample] += delta
    by_file: Counter = Counter()
    by_function: Counter = Counter()
    for node_id, micros in hits.items():
        frame = nodes[node_id]["callFrame"]
        owner = node_id
        while not nodes[owner]["callFrame"]["url"] and owner in parent:
            owner = parent[owner]
        url = nodes[owner]["callFrame"]["url"].rsplit("/", 1)[-1] or f"({frame['functionName'] or 'native'})"
        by_file[url] += micros / 1e6
        by_function[f"{frame['functionName'] or '(anonymous)'} {url}:{frame['lineNumber']}"] += micros / 1e6
    return by_file, by_function


def traced(browser_, page, action) -> dict[str, float]:
    browser_.start_tracing(page=page, categories=CATEGORIES)
    action()
    return breakdown(browser_.stop_tracing())


def run(root: Path, repeat: int, profile: bool) -> None:
    from playwright.sync_api import sync_playwright

    browser.ROOT = root
    proc, base = browser.start_server(None, "dashboard/asgi.py")
    try:
        with sync_playwright() as p:
            chromium = browser.launch(p)
            page = chromium.new_page(viewport=browser.DESKTOP)
            wire = browser.Wire(page)
            page.goto(base)
            browser.map_drawn(page)
            page.wait_for_load_state("networkidle")

            def reload() -> None:
                browser.settle(page, wire, lambda: (page.reload(), browser.map_drawn(page)))

            results = {"warm reload": [], "filter change": []}
            for _ in range(repeat):
                results["warm reload"].append(traced(chromium, page, reload))
                click = browser.copies_toggle(page).click
                results["filter change"].append(traced(chromium, page, partial(browser.settle, page, wire, click)))
            for name, runs in results.items():
                kinds = sorted({k for r in runs for k in r}, key=lambda k: (k == "total", k))
                print(f"{name}: main-thread CPU, median of {repeat} (s): " + ", ".join(
                    f"{k} {statistics.median(r.get(k, 0) for r in runs):.3f}" for k in kinds))
            if profile:
                _profile(page, wire, chromium, reload)
            chromium.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _profile(page, wire, chromium, reload) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 250})
    for name, action in (("filter change", lambda: browser.settle(page, wire, browser.copies_toggle(page).click)),
                         ("reload", reload)):
        cdp.send("Profiler.start")
        for _ in range(3):
            action()
        by_file, by_function = profile_top(cdp.send("Profiler.stop")["profile"])
        print(f"{name} (3 runs) JS self time by script:",
              ", ".join(f"{k} {v:.3f}" for k, v in by_file.most_common(8)))
        for k, v in by_function.most_common(25):
            print(f"   {v:.3f} {k}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve (default: this one)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="also sample JavaScript per script and function")
    args = parser.parse_args()
    run(args.root.resolve(), args.repeat, args.profile)


if __name__ == "__main__":
    main()
