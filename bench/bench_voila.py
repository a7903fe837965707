"""Benchmark: a live dashboard, request → all widgets visible in Chromium, cold vs preheated.

Same run, same notebook, same browser, loopback only:

1. **Cold** — Voilà with ``preheat_kernel=False``: each visit starts a kernel and runs
   the whole notebook.
2. **Preheated** — the repository's config: each visit takes a kernel that already ran
   the notebook up to ``read_parameters`` (the bench waits for the pool to be full
   again between visits: an idle server, as for the cold visits).
3. **Concurrent sessions** — N visitors at once on the preheated server: how many are
   served, how long until all see their widgets, and the peak memory of the server
   plus its kernels (RSS, sampled every 0.25 s); then the memory of one kernel (PSS,
   shared pages split fairly) and the kernels that fit in 1 GB.

A visit is timed from ``page.goto`` to its HTML fully received (the server's share,
what preheating shortens) and to the controls, the map and the chart being visible
(what a visitor waits for). One discarded visit first fills the browser cache (a
returning visitor). For the sequential visits a breakdown follows (medians, ms from
``page.goto``): HTML received; DOMContentLoaded (Voilà's voila.js has run: it is the
last script of the page); load (Voilà starts its front end on this event, once its
script chunks have run); kernel websocket opened (the JupyterLab extensions — widgets,
ipyleaflet, bqplot — have loaded); widget state received (ipywidgets' control comm,
``update_states``); all visible (views created, map and chart drawn). With the number of
files fetched over the network rather than from the browser cache.

The machine's load average is printed with each mode: on a shared machine, compare
modes of one run, and repeat.

Run ``python bench/bench_voila.py [--notebook PATH] [--visits 5] [--sessions 20]
[--pool-size 2] [--query "foret=..."]``; the default notebook is the fixture
``tests/fixtures/voila/trees_dashboard.ipynb`` (13 real trees, a map, a chart).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from voila_server import VoilaServer, run_voila, wait_for_pools  # noqa: E402

from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path  # noqa: E402

DEFAULT_NOTEBOOK = ROOT / "tests" / "fixtures" / "voila" / "trees_dashboard.ipynb"
WIDGETS = (".rr-controls", ".leaflet-container", ".bqplot svg")
TIMEOUT_MS = 180_000
STEPS = {
    "html": "HTML",
    "dcl": "DOMContentLoaded",
    "load": "load (Voilà starts)",
    "kernel": "kernel connected",
    "state": "widget state",
    "visible": "visible",
}
"""Milestones of a visit, in order (see the module docstring)."""
FETCHED_JS = "performance.getEntriesByType('resource').filter(r => r.transferSize > 0).length"
"""Files of the page fetched over the network (a browser cache hit transfers 0 bytes)."""


async def visit(
    context, url: str, widgets: tuple[str, ...], steps: dict | None = None
) -> tuple[float, float]:
    """Seconds from navigation to the page's HTML received (the server's part, where
    preheating acts) and to every widget visible; the tab is closed after. ``steps``,
    if given, receives the milestones of ``STEPS`` in ms and ``fetched``."""
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    marks: dict[str, float] = {}

    def mark(name: str) -> None:
        marks.setdefault(name, (time.perf_counter() - started) * 1000)

    def on_frame(payload: str | bytes) -> None:
        if (b"update_states" if isinstance(payload, bytes) else "update_states") in payload:
            mark("state")

    def on_websocket(ws) -> None:
        if "/channels" in ws.url:
            mark("kernel")
            ws.on("framereceived", on_frame)

    page.on("domcontentloaded", lambda _: mark("dcl"))
    page.on("load", lambda _: mark("load"))
    page.on("websocket", on_websocket)
    started = time.perf_counter()
    try:
        response = await page.goto(url, wait_until="commit")
        await response.finished()
        html = time.perf_counter() - started
        mark("html")
        for selector in widgets:
            await page.wait_for_selector(selector, state="visible")
        visible = time.perf_counter() - started
        mark("visible")
        if steps is not None:
            steps.update(marks, fetched=await page.evaluate(FETCHED_JS))
        return html, visible
    finally:
        async with page.expect_event("close"):
            await page.close(run_before_unload=True)


async def warm_kernels(server: VoilaServer, taken: int, wanted: int) -> None:
    """Wait until ``wanted`` preheated kernels are waiting, ``taken`` having been used."""
    await asyncio.to_thread(wait_for_pools, server, taken + wanted, 300)


async def sequential(
    browser, server: VoilaServer, url: str, visits: int, widgets: tuple, pool: int
) -> tuple[list[tuple[float, float]], list[dict]]:
    """Visits one after the other on an idle server (for a preheated one: pool full);
    their times and milestones."""
    context = await browser.new_context()
    await visit(context, url, widgets)  # fills the browser cache; not counted
    times, steps = [], []
    for taken in range(1, visits + 1):
        if pool:
            await warm_kernels(server, taken, pool)
        steps.append({})
        times.append(await visit(context, url, widgets, steps[-1]))
    await context.close()
    return times, steps


class MemorySampler:
    """Peak RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        self.root = psutil.Process(pid)
        self.every = every
        self.peak_mb = 0.0
        self.peak_kernels = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, kernels = 0, 0
            for proc in [self.root, *self.root.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                    kernels += "ipykernel_launcher" in " ".join(proc.cmdline())
                except psutil.Error:
                    continue
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self.peak_kernels = max(self.peak_kernels, kernels)
            time.sleep(self.every)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def kernel_memory(pid: int) -> tuple[list[float], float]:
    """PSS (MB) of each kernel of the server, and the server's own PSS."""
    root = psutil.Process(pid)
    kernels = [
        p.memory_full_info().pss / 2**20
        for p in root.children(recursive=True)
        if "ipykernel_launcher" in " ".join(p.cmdline())
    ]
    return kernels, root.memory_full_info().pss / 2**20


async def concurrent(
    browser, server: VoilaServer, url: str, sessions: int, widgets: tuple, taken: int, pool: int
):
    context = await browser.new_context()
    await visit(context, url, widgets)  # browser cache, as above
    await warm_kernels(server, taken + 1, pool)  # the whole pool is waiting

    async def one() -> str | float:
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        started = time.perf_counter()
        response = await page.goto(url, wait_until="commit")
        if response.status == 503:
            return "busy"
        for selector in widgets:
            await page.wait_for_selector(selector, state="visible")
        return time.perf_counter() - started

    with MemorySampler(server.process.pid) as memory:
        started = time.perf_counter()
        results = await asyncio.gather(*(one() for _ in range(sessions)), return_exceptions=True)
        wall = time.perf_counter() - started
        kernels, server_mb = kernel_memory(server.process.pid)
    await context.close()
    return results, wall, memory, kernels, server_mb


def summary(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, "
        f"max {max(times):.2f} s ({len(times)} visits)"
    )


def visits_summary(visits: list[tuple[float, float]]) -> str:
    html, widgets = zip(*visits, strict=True)
    return f"HTML in {statistics.median(html):.2f} s, widgets visible in {summary(list(widgets))}"


def breakdown(steps: list[dict]) -> str:
    """Median milestones of the visits (a milestone some visits missed is left out)."""
    parts = []
    for key, label in STEPS.items():
        values = [s[key] for s in steps if key in s]
        if len(values) == len(steps):
            parts.append(f"{label} {statistics.median(values):.0f}")
    fetched = statistics.median(s["fetched"] for s in steps)
    return (
        "           ms from page.goto (medians): "
        + " → ".join(parts)
        + f"; {fetched:.0f} files fetched over the network per visit"
    )


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in psutil.getloadavg())


async def main(args: argparse.Namespace) -> None:
    notebook = Path(args.notebook).resolve()
    widgets = tuple(args.widgets.split(",")) if args.widgets else WIDGETS
    with tempfile.TemporaryDirectory(prefix="bench-voila-") as tmp:
        root = Path(tmp)
        shutil.copy(notebook, root / notebook.name)
        path = f"/voila/render/{notebook.name}" + (f"?{args.query}" if args.query else "")
        env = {"GALLERY_VOILA_POOL_SIZE": str(args.pool_size)}
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            print(f"Notebook {notebook.name}, {psutil.cpu_count()} CPU, loopback, Chromium")
            print(f"load average before: {load_average()}")
            with run_voila(root, "--VoilaConfiguration.preheat_kernel=False", env=env) as cold:
                cold_times, cold_steps = await sequential(
                    browser, cold, cold.url(path), args.visits, widgets, 0
                )
            print(f"cold       {visits_summary(cold_times)} [load average {load_average()}]")
            print(breakdown(cold_steps))
            with run_voila(root, env=env) as warm:
                warm_times, warm_steps = await sequential(
                    browser, warm, warm.url(path), args.visits, widgets, args.pool_size
                )
                print(f"preheated  {visits_summary(warm_times)} [load average {load_average()}]")
                print(breakdown(warm_steps))
                ratio = statistics.median(t for _, t in cold_times) / statistics.median(
                    t for _, t in warm_times
                )
                print(f"preheated is {ratio:.1f}x faster than cold (medians, widgets visible)")
                results, wall, memory, kernels, server_mb = await concurrent(
                    browser,
                    warm,
                    warm.url(path),
                    args.sessions,
                    widgets,
                    taken=args.visits + 1,
                    pool=args.pool_size,
                )
            await browser.close()
    served = [r for r in results if isinstance(r, float)]
    busy = sum(r == "busy" for r in results)
    failed = [r for r in results if isinstance(r, BaseException)]
    per_kernel = statistics.median(kernels) if kernels else float("nan")
    if args.sessions:
        print(
            f"{args.sessions} concurrent sessions: {len(served)} served, {busy} busy (503), "
            f"{len(failed)} failed; all visible after {wall:.1f} s"
            + (f" (each: {summary(served)})" if served else "")
        )
    print(
        f"peak memory, server + kernels: {memory.peak_mb:.0f} MB RSS "
        f"with {memory.peak_kernels} kernels alive"
    )
    print(
        f"after the burst: server {server_mb:.0f} MB PSS, {len(kernels)} kernels, "
        f"median {per_kernel:.0f} MB PSS each → {1024 / per_kernel:.1f} kernels per GB"
    )
    for error in failed[:3]:
        print(f"  failure: {error!r}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "cold": cold_times,
                    "preheated": warm_times,
                    "cold_steps_ms": cold_steps,
                    "preheated_steps_ms": warm_steps,
                    "sessions": args.sessions,
                    "served": len(served),
                    "busy": busy,
                    "failed": len(failed),
                    "wall": wall,
                    "peak_rss_mb": memory.peak_mb,
                    "kernel_pss_mb": kernels,
                    "server_pss_mb": server_mb,
                },
                indent=2,
            )
        )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--notebook", default=str(DEFAULT_NOTEBOOK), help="dashboard to time")
    p.add_argument("--query", default="", help="query string of the visits (a deep link)")
    p.add_argument("--visits", type=int, default=5, help="timed visits per mode")
    p.add_argument("--sessions", type=int, default=20, help="concurrent visitors")
    p.add_argument("--pool-size", type=int, default=2, help="preheated kernels per pool")
    p.add_argument("--widgets", help="comma-separated selectors that must be visible")
    p.add_argument("--json", help="also write the raw numbers to this file")
    return p


if __name__ == "__main__":
    asyncio.run(main(parser().parse_args()))
