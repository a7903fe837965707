"""Benchmark: many visitors at once, most only viewing, some changing a live dashboard's control.

One bounded run on loopback, stopped by itself after ``--duration`` seconds:

* **Servers** — the static gallery (``--site DIR``, or a tiny one built from
  ``notebooks/arbres-remarquables.ipynb`` into a temp folder) and ``--voila`` Voilà
  processes with the repository's config, behind Debian's nginx running
  ``deploy/reutilisations.nginx.conf`` (paths and ports replaced, as
  ``tests/test_deploy_nginx.py`` does). Without nginx, the static files come from
  :mod:`rouen_gallery.static_server` in its own process and the dashboards from the
  first Voilà process directly; the run says which.
* **Viewers** (``--viewers``) — HTTP clients (httpx, asyncio): each opens a page of the
  gallery, fetches the page's own files once (styles, scripts, pictures: a first visit),
  waits a few seconds (``--think``, random), opens another page, until the end. Time to
  first byte is the time to the response's headers.
* **Interacting visitors** (``--interactive``) — real dashboard sessions in Chromium
  (Playwright; one browser, one context per visitor): the dashboard's page, its kernel
  WebSocket, then, every few seconds, a new choice in the dashboard's first drop-down;
  a control's update is timed from the choice to the summary's text changing (the
  kernel recomputed and the page redrew). A plain WebSocket client was tried: ipywidgets
  8.1 / ipykernel 7 left ``request_states`` busy without answer, so the browser it is.
* **Measured** — pages and files served, 503 « Serveur occupé » answers, failures,
  kernels started (distinct kernel processes seen), peak memory of the whole server
  side (nginx or the static server, Voilà processes, their kernels): PSS (shared pages
  split fairly) and RSS, sampled every ``--sample`` seconds with psutil; p50/p95 of time
  to first byte (viewers, dashboards) and of a control's update.

Goal (issue #16): 200 concurrent viewers and 20 concurrent interacting visitors on a
2-core machine with server memory under 8 GB. The load average is printed before and
after: the machine may be shared, read the numbers as a floor.

Run ``python bench/bench_load.py [--viewers 50] [--interactive 5] [--duration 60]
[--voila 2] [--pool-size 1] [--site DIR] [--think 3] [--ramp S] [--json FILE]``; the
dashboard is the fixture ``tests/fixtures/voila/trees_dashboard.ipynb`` (13 real trees, a
map, a chart). ``--ramp 60``: visitors arrive over a minute instead of within ``--think``
seconds; the dashboards line says how many sessions were open at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from nginx_config import deploy_config  # noqa: E402
from voila_server import VoilaServer, free_port, run_voila, wait_for_pools  # noqa: E402

from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path  # noqa: E402

DASHBOARD = ROOT / "tests" / "fixtures" / "voila" / "trees_dashboard.ipynb"
SITE_NOTEBOOK = ROOT / "notebooks" / "arbres-remarquables.ipynb"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CONTROL = ".rr-controls select"
SUMMARY = ".rr-summary"
TIMEOUT_MS = 120_000
ASSET = re.compile(r"""(?:src|href)=["']([^"'#?]+)""")
"""A page's own files: styles, scripts, pictures (links to other pages are skipped)."""


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values``, interpolated; NaN when empty."""
    return float(np.percentile(values, q)) if len(values) else float("nan")


def spread(values: Sequence[float], unit: str = "ms", scale: float = 1000) -> str:
    """``p50 … p95 … max …`` of seconds, in ``unit``; « none » when empty."""
    if not values:
        return "none"
    p50, p95 = percentile(values, 50) * scale, percentile(values, 95) * scale
    top = max(values) * scale
    return f"p50 {p50:.0f} {unit}, p95 {p95:.0f} {unit}, max {top:.0f} {unit} (n={len(values)})"


@dataclass
class Tally:
    """What the simulated visitors saw."""

    pages: int = 0
    files: int = 0
    bytes: int = 0
    busy: int = 0
    failures: list[str] = field(default_factory=list)
    ttfb: list[float] = field(default_factory=list)
    dashboards: int = 0
    dashboard_ttfb: list[float] = field(default_factory=list)
    dashboard_ready: list[float] = field(default_factory=list)
    updates: list[float] = field(default_factory=list)
    live: int = 0
    """Dashboard sessions drawn and not yet closed."""
    peak_live: int = 0

    def opened(self) -> None:
        self.live += 1
        self.peak_live = max(self.peak_live, self.live)

    def closed(self) -> None:
        self.live -= 1

    def fail(self, what: str, error: BaseException | str) -> None:
        self.failures.append(f"{what}: {error!r}"[:300])


class ServerMemory:
    """Peak PSS and RSS of server processes and their descendants, sampled in a thread;
    kernel processes seen (one per started kernel)."""

    def __init__(self, pids: Sequence[int], every: float) -> None:
        self.roots = [psutil.Process(pid) for pid in pids]
        self.every = every
        self.peak_pss_mb = 0.0
        self.peak_rss_mb = 0.0
        self.peak_kernels = 0
        self.peak_front_mb = 0.0
        self.kernel_pss_mb: list[float] = []
        """PSS of each kernel when most were alive."""
        self.kernels: set[int] = set()
        self.server_cpu: dict[int, float] = {}
        self.client_cpu: dict[int, float] = {}
        """CPU seconds (user + system) last seen per process: servers, and this bench
        with its Chromium (the visitors' side, sharing the same cores)."""
        self._client = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def processes(self) -> list[psutil.Process]:
        found: dict[int, psutil.Process] = {}
        for root in self.roots:
            try:
                for proc in [root, *root.children(recursive=True)]:
                    found[proc.pid] = proc
            except psutil.Error:
                continue
        return list(found.values())

    def sample(self) -> float:
        """One sample; the total PSS in MB."""
        pss = rss = front = 0
        kernels = []
        front_pids = {self.roots[0].pid}
        with suppress(psutil.Error):
            front_pids |= {p.pid for p in self.roots[0].children(recursive=True)}
        for proc in self.processes():
            try:
                info = proc.memory_full_info()
                kernel = is_kernel(proc)
            except psutil.Error:
                continue
            if kernel:
                self.kernels.add(proc.pid)
                kernels.append(info.pss / 2**20)
            pss += info.pss
            rss += info.rss
            front += info.pss if proc.pid in front_pids else 0
            self.server_cpu[proc.pid] = cpu_seconds(proc, self.server_cpu.get(proc.pid, 0.0))
        with suppress(psutil.Error):
            for proc in [self._client, *self._client.children(recursive=True)]:
                self.client_cpu[proc.pid] = cpu_seconds(proc, self.client_cpu.get(proc.pid, 0.0))
        self.peak_pss_mb = max(self.peak_pss_mb, pss / 2**20)
        self.peak_rss_mb = max(self.peak_rss_mb, rss / 2**20)
        self.peak_front_mb = max(self.peak_front_mb, front / 2**20)
        if len(kernels) >= self.peak_kernels:
            self.peak_kernels, self.kernel_pss_mb = len(kernels), kernels
        return pss / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def cpu(self) -> tuple[float, float]:
        """CPU seconds used so far by the servers and by the visitors' side."""
        return sum(self.server_cpu.values()), sum(self.client_cpu.values())

    def __enter__(self) -> ServerMemory:
        self.idle_pss_mb = self.sample()
        self.idle_front_mb = self.peak_front_mb
        self.cpu_before = self.cpu()
        self.kernels_before = set(self.kernels)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def is_kernel(proc: psutil.Process) -> bool:
    """A Jupyter kernel process (raises ``psutil.Error`` if it is gone)."""
    return "ipykernel_launcher" in " ".join(proc.cmdline())


def static_server_command(site: Path, port: int) -> list[str]:
    """:mod:`rouen_gallery.static_server` serving ``site`` on ``port``, in a process of its own."""
    code = (
        "import sys, time\nfrom rouen_gallery.static_server import serving\n"
        "with serving(sys.argv[1], int(sys.argv[2])):\n    time.sleep(1e9)\n"
    )
    return [sys.executable, "-c", code, str(site), str(port)]


def cpu_seconds(proc: psutil.Process, last: float) -> float:
    """User + system CPU seconds of ``proc`` (``last`` if it is gone)."""
    try:
        times = proc.cpu_times()
    except psutil.Error:
        return last
    return times.user + times.system


# --- servers -------------------------------------------------------------------------------


def nginx_config(tmp: Path, site: Path, ports: Sequence[int], port: int) -> Path:
    """deploy/reutilisations.nginx.conf with this run's paths and ports, in a nginx.conf
    sized for the bench (workers per core, 4,096 connections each, no access log)."""
    return deploy_config(tmp, site, ports, port, workers="auto", connections=4096, access_log=False)


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"no answer at {url} within {timeout} s")


@contextmanager
def background(command: list[str], url: str) -> Iterator[subprocess.Popen]:
    """A server process, answered at ``url``; stopped (its group) at the end."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_for(url)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGQUIT if command[0] == NGINX else signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass
class Servers:
    site_url: str
    dashboard_url: str
    front: str
    pids: list[int]
    voila: list[VoilaServer]


@contextmanager
def servers(site: Path, voila: int, tmp: Path, pool_size: int) -> Iterator[Servers]:
    """nginx (or the static server) in front of ``voila`` Voilà processes."""
    root = tmp / "dashboards"
    root.mkdir()
    shutil.copy(DASHBOARD, root / DASHBOARD.name)
    with ExitStack() as stack:
        env = {"GALLERY_VOILA_POOL_SIZE": str(pool_size)}
        processes = [stack.enter_context(run_voila(root, env=env)) for _ in range(voila)]
        for process in processes:
            wait_for_pools(process, pool_size, 300)
        port = free_port()
        pids = [p.process.pid for p in processes]
        if NGINX:
            conf = nginx_config(tmp, site, [p.port for p in processes], port)
            command = [NGINX, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"]
            base = f"http://127.0.0.1:{port}"
            front = stack.enter_context(background(command, base + "/index.html"))
            dashboard = f"{base}/voila/render/{DASHBOARD.name}"
            label = f"nginx (deploy/reutilisations.nginx.conf) → {voila} Voilà processes"
        else:
            command = static_server_command(site, port)
            base = f"http://127.0.0.1:{port}"
            front = stack.enter_context(background(command, base + "/index.html"))
            dashboard = processes[0].url(f"/voila/render/{DASHBOARD.name}")
            label = "no nginx: rouen_gallery.static_server + 1 Voilà process directly"
        yield Servers(base + "/", dashboard, label, [front.pid, *pids], processes)


def build_site(tmp: Path, env: dict[str, str] | None = None) -> Path:
    """A tiny gallery: one reuse notebook (and its variants), pre-compressed as usual;
    ``env`` adds variables to the build's environment."""
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    shutil.copy(SITE_NOTEBOOK, notebooks / SITE_NOTEBOOK.name)
    site = tmp / "site"
    command = [sys.executable, str(ROOT / "build_gallery.py"), "build", "-q", "-j", "1"]
    command += ["--thumbnails", "drawn", "--site-dir", str(site), "--notebooks", str(notebooks)]
    environment = {**os.environ, **(env or {})}
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=environment)
    return site


def site_pages(site: Path) -> list[str]:
    """Paths of the site's HTML pages (index first)."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    return sorted(pages, key=lambda p: p != "index.html")


# --- visitors ------------------------------------------------------------------------------


async def fetch(client: httpx.AsyncClient, url: str) -> tuple[httpx.Response, float, int]:
    """The response (body read), seconds to its headers, bytes as sent (compressed)."""
    started = time.perf_counter()
    async with client.stream("GET", url) as response:
        ttfb = time.perf_counter() - started
        await response.aread()
    return response, ttfb, response.num_bytes_downloaded


def own_files(html: str, page_url: str, base: str) -> set[str]:
    """The same-site files a page loads (not links to other pages)."""
    found = set()
    for ref in ASSET.findall(html):
        url = urljoin(page_url, ref)
        if url.startswith(base) and not urlsplit(url).path.endswith((".html", "/")):
            found.add(url)
    return found


async def viewer(
    client: httpx.AsyncClient,
    base: str,
    pages: list[str],
    tally: Tally,
    until: float,
    think: float,
    ramp: float,
) -> None:
    """Pages one after another, each page's files once (then from the browser cache)."""
    cached: set[str] = set()
    rng = random.Random()
    await asyncio.sleep(rng.uniform(0, ramp))  # arrivals spread over the ramp
    while time.monotonic() < until:
        url = base + rng.choice(pages)
        try:
            response, ttfb, size = await fetch(client, url)
            tally.ttfb.append(ttfb)
            if response.status_code != 200:
                tally.fail(url, f"HTTP {response.status_code}")
                continue
            tally.pages += 1
            tally.bytes += size
            for file_url in sorted(own_files(response.text, url, base) - cached):
                answer, _, size = await fetch(client, file_url)
                cached.add(file_url)
                if answer.status_code == 200:
                    tally.files += 1
                else:
                    tally.fail(file_url, f"HTTP {answer.status_code}")
                tally.bytes += size
        except httpx.HTTPError as error:
            tally.fail(url, error)
        await asyncio.sleep(rng.expovariate(1 / think))


async def interacting(
    browser, url: str, tally: Tally, until: float, think: float, ramp: float
) -> None:
    """A dashboard session: page, kernel, then a new drop-down choice every few seconds."""
    rng = random.Random()
    await asyncio.sleep(rng.uniform(0, ramp))  # arrivals spread over the ramp
    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    drawn = False
    try:
        started = time.perf_counter()
        response = await page.goto(url, wait_until="commit")
        tally.dashboard_ttfb.append(time.perf_counter() - started)
        if response.status == 503:
            tally.busy += 1
            return
        await page.wait_for_selector(CONTROL, state="visible")
        await page.wait_for_selector(SUMMARY + " strong", state="visible")
        tally.dashboard_ready.append(time.perf_counter() - started)
        tally.dashboards += 1
        tally.opened()
        drawn = True
        control = page.locator(CONTROL).first
        options = await control.locator("option").all_inner_texts()
        while time.monotonic() < until:
            await asyncio.sleep(rng.expovariate(1 / think))
            before = await page.inner_text(SUMMARY)
            current = await control.evaluate("s => s.options[s.selectedIndex].text")
            choice = rng.choice([o for o in options if o != current] or options)
            started = time.perf_counter()
            await control.select_option(label=choice)
            await page.wait_for_function(
                "([sel, text]) => document.querySelector(sel).innerText !== text",
                arg=[SUMMARY, before],
            )
            tally.updates.append(time.perf_counter() - started)
    except Exception as error:  # a visitor's failure is counted, the run goes on
        tally.fail(url, error)
    finally:
        if drawn:
            tally.closed()
        await page.close(run_before_unload=True)  # the tab's shutdown beacon frees the kernel
        await context.close()


async def run(args: argparse.Namespace, front: Servers, pages: list[str]) -> Tally:
    from playwright.async_api import async_playwright

    tally = Tally()
    limits = httpx.Limits(max_connections=args.viewers * 2, max_keepalive_connections=args.viewers)
    headers = {"Accept-Encoding": "br, gzip"}
    until = time.monotonic() + args.duration
    ramp = args.think if args.ramp is None else args.ramp
    async with (
        httpx.AsyncClient(limits=limits, headers=headers, timeout=60) as client,
        async_playwright() as playwright,
    ):
        browser = None
        if args.interactive:
            browser = await playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
        tasks = [
            viewer(client, front.site_url, pages, tally, until, args.think, ramp)
            for _ in range(args.viewers)
        ]
        tasks += [
            interacting(browser, front.dashboard_url, tally, until, args.think, ramp)
            for _ in range(args.interactive)
        ]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), args.duration + 300)
        except TimeoutError:
            tally.fail("run", "visitors still waiting 300 s after the end: stopped")
        if browser is not None:
            await browser.close()
    return tally


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in psutil.getloadavg())


def report(args: argparse.Namespace, tally: Tally, memory: ServerMemory, wall: float) -> list[str]:
    """The run's numbers, one line each (English: a bench log)."""
    started = len(memory.kernels - memory.kernels_before)
    per_viewer = (memory.peak_front_mb - memory.idle_front_mb) / max(args.viewers, 1)
    per_kernel = percentile(memory.kernel_pss_mb, 50)
    server_cpu, client_cpu = (a - b for a, b in zip(memory.cpu(), memory.cpu_before, strict=True))
    lines = [
        f"{args.viewers} viewers, {args.interactive} interacting visitors, {wall:.0f} s",
        f"viewers: {tally.pages} pages + {tally.files} files served "
        f"({tally.pages / wall:.1f} pages/s, {tally.bytes / 2**20:.1f} MB sent), "
        f"time to first byte {spread(tally.ttfb)}",
        f"dashboards: {tally.dashboards} sessions drawn ({tally.peak_live} open at once at "
        f"most), {tally.busy} « Serveur occupé » (503), "
        f"time to first byte {spread(tally.dashboard_ttfb)}, "
        f"controls and summary visible {spread(tally.dashboard_ready)}",
        f"control changes: {len(tally.updates)}, update visible {spread(tally.updates)}",
        f"kernels started during the run: {started} (peak {memory.peak_kernels} alive, "
        f"preheated pools included)",
        f"peak server memory (front, Voilà, kernels): {memory.peak_pss_mb:.0f} MB PSS "
        f"(idle before the run: {memory.idle_pss_mb:.0f} MB), {memory.peak_rss_mb:.0f} MB RSS; "
        "goal < 8192 MB",
        f"front (nginx or static server): {memory.idle_front_mb:.0f} MB PSS idle, "
        f"{memory.peak_front_mb:.0f} MB at peak"
        + (f" → {per_viewer:.2f} MB per viewer" if args.viewers else "")
        + f"; a kernel: {per_kernel:.0f} MB PSS (median when most were alive)",
        f"CPU used: servers {server_cpu:.0f} s, visitors' side (this bench, Chromium) "
        f"{client_cpu:.0f} s, of {psutil.cpu_count() * wall:.0f} s available",
        f"failures: {len(tally.failures)}",
    ]
    lines += [f"  {failure}" for failure in tally.failures[:5]]
    return lines


async def main(args: argparse.Namespace) -> int:
    if args.interactive and chromium_path() is None:
        print("no Chromium: interacting visitors need it (apt-get install chromium)")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        tmpdir = Path(tmp)
        if args.site:
            site = Path(args.site).resolve()
        else:
            print("building a tiny gallery (arbres-remarquables) …", flush=True)
            site = build_site(tmpdir)
        pages = site_pages(site)
        print(f"{psutil.cpu_count()} CPU, loopback; load average before: {load_average()}")
        with servers(site, args.voila, tmpdir, args.pool_size) as front:
            print(f"front: {front.front}; {len(pages)} static pages; dashboard {DASHBOARD.name}")
            with ServerMemory(front.pids, args.sample) as memory:
                started = time.monotonic()
                tally = await run(args, front, pages)
                wall = time.monotonic() - started
                memory.sample()
        lines = report(args, tally, memory, wall)
        print("\n".join(lines))
        print(f"load average after: {load_average()}")
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "viewers": args.viewers,
                        "interactive": args.interactive,
                        "duration_s": wall,
                        "front": front.front,
                        "pages": tally.pages,
                        "files": tally.files,
                        "bytes": tally.bytes,
                        "ttfb_s": tally.ttfb,
                        "dashboards": tally.dashboards,
                        "peak_open_dashboards": tally.peak_live,
                        "busy": tally.busy,
                        "dashboard_ttfb_s": tally.dashboard_ttfb,
                        "dashboard_ready_s": tally.dashboard_ready,
                        "updates_s": tally.updates,
                        "kernels_started": len(memory.kernels - memory.kernels_before),
                        "peak_kernels": memory.peak_kernels,
                        "peak_pss_mb": memory.peak_pss_mb,
                        "peak_rss_mb": memory.peak_rss_mb,
                        "idle_pss_mb": memory.idle_pss_mb,
                        "front_pss_mb": [memory.idle_front_mb, memory.peak_front_mb],
                        "kernel_pss_mb": memory.kernel_pss_mb,
                        "failures": tally.failures,
                    },
                    indent=2,
                )
            )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--viewers", type=int, default=50, help="concurrent visitors who only view")
    p.add_argument("--interactive", type=int, default=5, help="concurrent dashboard visitors")
    p.add_argument("--duration", type=float, default=60, help="seconds of load (then it stops)")
    p.add_argument("--voila", type=int, default=2, help="Voilà processes behind nginx")
    p.add_argument("--pool-size", type=int, default=1, help="preheated kernels per process")
    p.add_argument("--site", help="built gallery to serve (default: build a tiny one)")
    p.add_argument("--think", type=float, default=3.0, help="mean seconds between actions")
    p.add_argument(
        "--ramp",
        type=float,
        help="seconds over which visitors arrive (default: --think; 60: a crowd building up)",
    )
    p.add_argument("--sample", type=float, default=1.0, help="seconds between memory samples")
    p.add_argument("--json", help="also write the raw numbers to this file")
    return p


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parser().parse_args())))
