"""Benchmark: one dashboard opened five ways, request → first paint, first widget, all widgets.

Same run, same browser, loopback only, side by side (rounds interleaved: for each round,
each way once, so a noisy shared machine weighs on all of them alike):

1. **voila-cold** — Voilà with ``preheat_kernel=False``: the visit starts a kernel and
   runs the whole notebook.
2. **voila-preheated** — the repository's config (``gallery/voila/voila.py``): the visit
   takes a kernel that already ran the notebook up to ``read_parameters``; the bench waits
   for the pool to be full again before every visit.
3. **static-default** — the gallery's static page of the reuse (default parameters).
4. **static-variant** — the static page of one of its precomputed variants.
5. **static-outside** — the static page opened with a ``?param=value`` deep link the build
   did not precompute: the page hands over (navigates) to the live Voilà dashboard with
   the same parameters; timed to the Voilà page's widgets.

The dashboard is ``notebooks/arbres-remarquables.ipynb``: a tiny gallery is built from it
(``bench_load.build_site``) with a published-looking Voilà address,
``http://voila.example.org`` (the build refuses a loopback one for the live link), and
Chromium maps that host to the preheated Voilà (``--host-resolver-rules``: pages and
kernel WebSockets alike). The static pages come from :mod:`rouen_gallery.static_server`
in a process of its own (its memory is measured); Voilà serves a copy of the notebook.
Map tiles and any other request leaving the machine get a local 1×1 PNG.

Times are ms from the request (just before ``page.goto``), wall clock, median of the rounds:

- **FCP**: Chromium's ``first-contentful-paint`` paint entry (on Voilà: its loading
  screen, « Chargement des données… »);
- **text**: first meaningful paint, the page's own text shown: max(FCP, first notebook
  text ``.jp-RenderedMarkdown`` visible) — on the static page both are the same;
- **choices usable**: the dashboard's drop-downs can be used (static: the native controls
  over its picture, ``rr-quick-controls`` mark, before any widget code; Voilà: a drawn
  drop-down of its controls visible);
- **1st widget**: the first widget drawn and usable (static: ``rr-first-widget`` mark of
  ``reuse-widgets.js``; Voilà: the first of bench_voila's widget selectors visible);
- **1st screen**: every widget of the first screen drawn (static: ``rr-first-screen``;
  Voilà: max(text, the widgets seen within the window's height));
- **all**: every widget visible (static: after ``rrWidgets.drawAll()``, called as soon as
  the first screen is ready — the static page draws a widget only when it is scrolled
  near; Voilà: all of bench_voila's selectors visible).

Then the ratio voila-preheated / static-default of first meaningful paint (issue goal
≥ 3×; static first meaningful paint ≤ 0.5 s, first screen interactive ≤ 1.0 s) and the
memory: per viewing visitor (growth of the static server's PSS during a visit, kernels
started anywhere during static visits — expected 0) and per interacting visitor (PSS of
the cold server's only kernel, the visitor's, page open; psutil). A discarded visit per
way first fills the browser cache (a returning visitor; ``--first-visit``: a fresh
context, empty cache, every visit). The load average is printed before and after.

Run ``python bench/bench_first_paint.py [--rounds 3] [--viewport phone|desktop]
[--cpu-slowdown 4] [--pool-size 1] [--first-visit] [--json FILE]``; phone is 412×823
(Lighthouse's mobile screen), and ``--cpu-slowdown`` sets CDP
``Emulation.setCPUThrottlingRate`` as Lighthouse's mobile profile does (4).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import (  # noqa: E402
    SITE_NOTEBOOK,
    background,
    build_site,
    is_kernel,
    static_server_command,
)
from bench_pages import TILE  # noqa: E402
from bench_voila import WIDGETS, kernel_memory, load_average, warm_kernels  # noqa: E402
from voila_server import free_port, run_voila  # noqa: E402

from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path  # noqa: E402

MODES = ("voila-cold", "voila-preheated", "static-default", "static-variant", "static-outside")
METRICS = ("fcp", "text", "choices", "first_widget", "first_screen", "all")
HEADERS = {
    "fcp": "FCP",
    "text": "text (FMP)",
    "choices": "choices usable",
    "first_widget": "1st widget",
    "first_screen": "1st screen",
    "all": "all widgets",
}
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 412, "height": 823},
        "device_scale_factor": 1.75,
        "is_mobile": True,
        "has_touch": True,
    },
}
"""Browser context options; phone is Lighthouse's mobile screen (Moto G Power)."""
LIVE_HOST = "voila.example.org"
LIVE_URL = f"http://{LIVE_HOST}"
"""The published-looking Voilà address the gallery is built with (mapped to loopback)."""
LOCAL = re.compile(rf"^(?!(https?|wss?)://(127\.0\.0\.1|{re.escape(LIVE_HOST)})[:/]).*")
"""Requests that would leave the machine (tiles…): answered with a local PNG."""
TEXT = ".jp-RenderedMarkdown"
TEXT_KEY = "text"
CHOICE = ".rr-controls select"
"""A drawn drop-down of the dashboard's controls (``widgets/controls.py``)."""
CHOICE_KEY = "choice"
WIDGET_KEYS = tuple(f"widget{i}" for i in range(len(WIDGETS)))
WANTED = {TEXT_KEY: TEXT, CHOICE_KEY: CHOICE, **dict(zip(WIDGET_KEYS, WIDGETS, strict=True))}
"""What the init script watches: the notebook's text, then bench_voila's widgets."""
TIMEOUT_MS = 180_000
BUILD_TIMEOUT = 900
NOT_MEASURED = "« non mesuré »"
FIRST_SCREEN = (
    "() => ['first-screen', 'drawn'].includes(document.documentElement.dataset.rrWidgets)"
)

OBSERVER = """
(() => {
  const wanted = %s;
  const seen = {};
  window.__rrSeen = seen;
  const now = () => performance.timeOrigin + performance.now();
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.checkVisibility({visibilityProperty: true});
  };
  let timer = null;
  let queued = false;
  let watcher = null;
  const check = () => {
    queued = false;
    for (const [name, selector] of Object.entries(wanted)) {
      if (name in seen) continue;
      for (const el of document.querySelectorAll(selector)) {
        if (shown(el)) {
          seen[name] = {at: now(), top: el.getBoundingClientRect().top};
          break;
        }
      }
    }
    if (Object.keys(seen).length === Object.keys(wanted).length) {
      clearInterval(timer);
      if (watcher) watcher.disconnect();
    }
  };
  const soon = () => { if (!queued) { queued = true; requestAnimationFrame(check); } };
  watcher = new MutationObserver(soon);
  watcher.observe(document, {subtree: true, childList: true, attributes: true});
  timer = setInterval(check, 100);
})();
"""
"""Init script of every page: when each selector is first visible (epoch ms), checked at
the next frame after any change of the document (and every 100 ms)."""

COLLECT = """() => ({
  url: location.href,
  origin: performance.timeOrigin,
  fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime ?? null,
  marks: Object.fromEntries(performance.getEntriesByType('mark')
    .filter(m => m.name.startsWith('rr-')).map(m => [m.name, m.startTime])),
  seen: window.__rrSeen || {},
  height: window.innerHeight,
})"""


# --- pure parts ----------------------------------------------------------------------------


def read_grid(html: str) -> dict[str, Any]:
    """The precomputed states of a static reuse page (its ``#rr-states`` JSON)."""
    found = re.search(r'<script type="application/json" id="rr-states">(.*?)</script>', html, re.S)
    if not found:
        raise ValueError("no #rr-states in the page: not a reuse page with parameters")
    return json.loads(found.group(1))


def choice_parameters(html: str) -> dict[str, list[str]]:
    """Each drop-down parameter of the page's controls → its values as the address writes
    them (``rr_parameters`` of the controls' box in the embedded widget state)."""
    found = re.search(
        r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S
    )
    if not found:
        return {}
    choices: dict[str, list[str]] = {}
    for model in json.loads(found.group(1))["state"].values():
        for part in model["state"].get("rr_parameters") or []:
            if part.get("kind") == "choice":
                choices.setdefault(part["name"], [str(v) for v in part["values"]])
    return choices


def outside_grid(grid: dict[str, Any], choices: dict[str, list[str]]) -> dict[str, str] | None:
    """A deep link's parameters the build did not precompute: the defaults with one
    parameter set to the first offered value no precomputed state has; None if the grid
    covers every such combination."""
    defaults = grid["defaults"]
    precomputed = [state["values"] for state in grid["states"]]
    for name, values in choices.items():
        if name not in defaults:
            continue
        for value in values:
            wanted = {**defaults, name: value}
            if wanted not in precomputed:
                return {name: value}
    return None


def variant_page(grid: dict[str, Any]) -> str | None:
    """The first precomputed state's page other than the page itself."""
    return next((s["href"] for s in grid["states"] if s["href"] != grid["page"]), None)


def timings(mode: str, raw: dict[str, Any], started: float) -> dict[str, float | None]:
    """ms from the request (``started``, epoch ms) to each milestone of ``METRICS``, from
    what the page reported (:data:`COLLECT`); None when the page did not report it."""
    origin = raw["origin"]

    def since(at: float | None) -> float | None:
        return None if at is None else at - started

    seen = raw.get("seen", {})
    fcp = since(origin + raw["fcp"]) if raw.get("fcp") is not None else None
    text = since(seen[TEXT_KEY]["at"]) if TEXT_KEY in seen else None
    out: dict[str, float | None] = {
        "fcp": fcp,
        "text": None if fcp is None or text is None else max(fcp, text),
    }
    if mode.startswith("static") and mode != "static-outside":
        marks = raw.get("marks", {})
        for key, mark in (
            ("choices", "rr-quick-controls"),
            ("first_widget", "rr-first-widget"),
            ("first_screen", "rr-first-screen"),
            ("all", "rr-all-widgets"),
        ):
            out[key] = since(origin + marks[mark]) if mark in marks else None
        return out
    widgets = [seen[name] for name in WIDGET_KEYS if name in seen]
    complete = len(widgets) == len(WIDGET_KEYS)
    out["choices"] = since(seen[CHOICE_KEY]["at"]) if CHOICE_KEY in seen else None
    out["first_widget"] = since(min(w["at"] for w in widgets)) if widgets else None
    out["all"] = since(max(w["at"] for w in widgets)) if complete else None
    on_screen = [w["at"] - started for w in widgets if w["top"] < raw.get("height", 0)]
    shown = out["text"]
    out["first_screen"] = max([shown, *on_screen]) if complete and shown is not None else None
    return out


def median(values: Sequence[float | None]) -> float | None:
    """Median of the measured values; None when none was measured."""
    measured = [v for v in values if v is not None]
    return statistics.median(measured) if measured else None


def cell(visits: list[dict[str, Any]], metric: str) -> str:
    """A table cell: the median in ms (with how many visits measured it, when not all)."""
    values = [v["times"].get(metric) for v in visits if v.get("times")]
    value = median(values)
    if value is None:
        return "—"
    measured = sum(v is not None for v in values)
    return f"{value:.0f}" + ("" if measured == len(visits) else f" ({measured}/{len(visits)})")


def table(results: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Median ms from the request per way of opening (rows) and milestone (columns)."""
    lines = [
        f"{'way (ms from request, median)':<30}" + "".join(f"{HEADERS[m]:>15}" for m in METRICS)
    ]
    for mode in MODES:
        visits = results.get(mode, [])
        if not visits:
            lines.append(f"{mode:<30} {NOT_MEASURED}: no visit")
            continue
        failed = [v["error"] for v in visits if v.get("error")]
        row = f"{mode:<30}" + "".join(f"{cell(visits, m):>15}" for m in METRICS)
        if len(failed) == len(visits):
            row = f"{mode:<30} {NOT_MEASURED}: {failed[0]}"
        elif failed:
            row += f"   ({len(failed)} visit(s) failed: {failed[0]})"
        lines.append(row)
    missing = [
        f"{mode} {HEADERS[m]}"
        for mode in MODES
        for m in METRICS
        if results.get(mode) and cell(results[mode], m) == "—"
    ]
    if missing:
        lines.append(f"— = {NOT_MEASURED}, the page never reported it: " + ", ".join(missing))
    return lines


def mode_median(results: dict[str, list[dict[str, Any]]], mode: str, metric: str) -> float | None:
    return median([v["times"].get(metric) for v in results.get(mode, []) if v.get("times")])


def goals(results: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The issue's goals against this run's medians."""
    warm = mode_median(results, "voila-preheated", "text")
    static = mode_median(results, "static-default", "text")
    screen = mode_median(results, "static-default", "first_screen")
    choices = mode_median(results, "static-default", "choices")
    fcp_warm = mode_median(results, "voila-preheated", "fcp")
    fcp_static = mode_median(results, "static-default", "fcp")
    lines = []
    if warm is None or static is None or static <= 0:
        lines.append(f"ratio voila-preheated / static-default: {NOT_MEASURED} (a median missing)")
    else:
        ratio = warm / static
        verdict = "met" if ratio >= 3 else "NOT met"
        lines.append(
            f"first meaningful paint, voila-preheated / static-default: {ratio:.1f}× "
            f"(goal ≥ 3×: {verdict})"
        )
    if fcp_warm is not None and fcp_static and fcp_static > 0:
        lines.append(
            "  (FCP alone, Voilà's loading screen counted as a paint: "
            f"{fcp_warm / fcp_static:.1f}×)"
        )
    for label, value, limit in (
        ("static-default first meaningful paint", static, 500),
        ("static-default first screen interactive", screen, 1000),
        ("static-default dashboard's choices usable", choices, 1000),
    ):
        if value is None:
            lines.append(f"{label}: {NOT_MEASURED}")
        else:
            verdict = "met" if value <= limit else "NOT met"
            lines.append(f"{label}: {value:.0f} ms (goal ≤ {limit} ms: {verdict})")
    return lines


def memory_lines(results: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Memory per viewing visitor (static server) and per interacting visitor (a kernel)."""
    static = [v for m in ("static-default", "static-variant") for v in results.get(m, [])]
    growth = [v["server_mb"] for v in static if v.get("server_mb") is not None]
    started = [v["kernels_started"] for v in static if v.get("kernels_started") is not None]
    kernels = [v["kernel_mb"] for v in results.get("voila-cold", []) if v.get("kernel_mb")]
    lines = []
    if growth:
        lines.append(
            f"per viewing visitor (static page): static server PSS growth during a visit "
            f"median {statistics.median(growth):+.2f} MB, max {max(growth):+.2f} MB; "
            f"kernels started during static visits: {sum(started)} ({len(started)} visits)"
        )
    else:
        lines.append(f"per viewing visitor: {NOT_MEASURED} (no static visit measured)")
    if kernels:
        lines.append(
            "per interacting visitor: one Voilà kernel, median "
            f"{statistics.median(kernels):.0f} MB "
            f"PSS (the cold server's only kernel, page open; n={len(kernels)})"
        )
    else:
        lines.append(f"per interacting visitor: {NOT_MEASURED} (no cold visit measured)")
    return lines


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=positive_int, default=3, help="rounds (each way once)")
    p.add_argument("--viewport", choices=sorted(VIEWPORTS), default="desktop")
    p.add_argument(
        "--cpu-slowdown", type=slowdown, default=1.0, help="CDP CPU throttling rate (1: none)"
    )
    p.add_argument("--pool-size", type=positive_int, default=1, help="preheated kernels")
    p.add_argument("--first-visit", action="store_true", help="empty browser cache each visit")
    p.add_argument("--json", help="also write the raw numbers to this file")
    return p


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def slowdown(text: str) -> float:
    value = float(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 (no slowdown) or more")
    return value


# --- servers -------------------------------------------------------------------------------


def live_address_build(tmp: Path) -> Path:
    """The tiny gallery built with the published-looking Voilà address."""
    return build_site(tmp, env={"GALLERY_VOILA_URL": LIVE_URL})


def static_server(site: Path, stack: ExitStack) -> tuple[str, int]:
    """rouen_gallery.static_server in its own process; its base URL and pid."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = static_server_command(site, port)
    process = stack.enter_context(background(command, base + "index.html"))
    return base, process.pid


def kernels_alive(pids: Sequence[int]) -> set[int]:
    """Kernel processes under these servers."""
    found = set()
    for pid in pids:
        try:
            for proc in psutil.Process(pid).children(recursive=True):
                try:
                    if is_kernel(proc):
                        found.add(proc.pid)
                except psutil.Error:
                    continue
        except psutil.Error:
            continue
    return found


def pss_mb(pid: int) -> float | None:
    try:
        return psutil.Process(pid).memory_full_info().pss / 2**20
    except psutil.Error:
        return None


async def no_kernels(pid: int, timeout: float = 60) -> None:
    """Wait until a (cold) Voilà has stopped its visitors' kernels."""
    deadline = time.monotonic() + timeout
    while kernels_alive([pid]) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)


# --- visits --------------------------------------------------------------------------------


async def visit(
    context,
    mode: str,
    url: str,
    slowdown_rate: float,
    probe: Callable[[], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One visit: the page's report (:data:`COLLECT`), times, and ``probe()``'s numbers
    taken once every widget is visible, the page still open."""
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    result: dict[str, Any] = {"mode": mode, "url": url}
    live = mode.startswith("voila") or mode == "static-outside"
    handover: dict[str, float] = {}

    def on_request(request) -> None:
        if request.is_navigation_request() and request.url.startswith(LIVE_URL):
            handover.setdefault("at", time.time() * 1000)

    page.on("request", on_request)
    try:
        if slowdown_rate > 1:
            cdp = await context.new_cdp_session(page)
            await cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown_rate})
        started = time.time() * 1000
        await page.goto(url, wait_until="commit")
        if mode == "static-outside":
            await page.wait_for_url(lambda u: u.startswith(LIVE_URL), wait_until="commit")
        if live:
            keys = json.dumps([TEXT_KEY, *WIDGET_KEYS])
            await page.wait_for_function(
                f"() => window.__rrSeen && {keys}.every(k => k in window.__rrSeen)", polling=100
            )
        else:
            await page.wait_for_function(
                FIRST_SCREEN,
                polling=50,
            )
            await page.evaluate("rrWidgets.drawAll()")
        await page.wait_for_function(
            "() => performance.getEntriesByName('first-contentful-paint').length > 0",
            polling=100,
            timeout=20_000,
        )
        raw = await page.evaluate(COLLECT)
        if probe is not None:
            result.update(await asyncio.to_thread(probe))
        result.update(raw=raw, times=timings(mode, raw, started))
        if "at" in handover:
            result["handover_ms"] = handover["at"] - started
    except Exception as error:  # a visit's failure is reported, the run goes on
        result["error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
    finally:
        with suppress(Exception):
            await asyncio.wait_for(page.close(run_before_unload=live), 30)
    return result


def log_visit(round_no: int, result: dict[str, Any]) -> None:
    if result.get("error"):
        print(f"  round {round_no} {result['mode']:<16} failed: {result['error']}", flush=True)
        return
    times = result["times"]
    parts = " ".join(
        f"{HEADERS[m]} {'—' if times[m] is None else f'{times[m]:.0f}'}" for m in METRICS
    )
    extra = f", handover at {result['handover_ms']:.0f}" if "handover_ms" in result else ""
    print(f"  round {round_no} {result['mode']:<16} {parts}{extra}", flush=True)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory(prefix="bench-first-paint-") as tmp, ExitStack() as stack:
        tmpdir = Path(tmp)
        print("building a tiny gallery (arbres-remarquables) …", flush=True)
        started = time.monotonic()
        site = live_address_build(tmpdir)
        print(f"  built in {time.monotonic() - started:.0f} s", flush=True)
        page_dir = site / "reutilisations"
        html = (page_dir / f"{SITE_NOTEBOOK.stem}.html").read_text(encoding="utf-8")
        grid = read_grid(html)
        if not grid.get("live", "").startswith(LIVE_URL):
            raise RuntimeError(f"the build did not keep the live address: {grid.get('live')!r}")
        variant = variant_page(grid)
        outside = outside_grid(grid, choice_parameters(html))
        dashboards = tmpdir / "dashboards"
        dashboards.mkdir()
        shutil.copy(SITE_NOTEBOOK, dashboards / SITE_NOTEBOOK.name)
        env = {"GALLERY_VOILA_POOL_SIZE": str(args.pool_size)}
        cold = stack.enter_context(
            run_voila(dashboards, "--VoilaConfiguration.preheat_kernel=False", env=env)
        )
        warm = stack.enter_context(run_voila(dashboards, env=env))
        await warm_kernels(warm, 0, args.pool_size)
        base, static_pid = static_server(site, stack)
        dashboard = f"/voila/render/{SITE_NOTEBOOK.name}"
        urls = {
            "voila-cold": cold.url(dashboard),
            "voila-preheated": warm.url(dashboard),
            "static-default": f"{base}reutilisations/{grid['page']}",
            "static-variant": f"{base}reutilisations/{variant}" if variant else None,
            "static-outside": (
                f"{base}reutilisations/{grid['page']}?{urlencode(outside)}" if outside else None
            ),
        }
        skipped = {
            "static-variant": "the reuse has no precomputed variant",
            "static-outside": "every offered value is precomputed",
        }
        print(
            f"{psutil.cpu_count()} CPU, loopback, Chromium; viewport {args.viewport}, "
            f"CPU slowdown {args.cpu_slowdown:g}×, pool size {args.pool_size}, "
            + (
                "first visits (empty cache)"
                if args.first_visit
                else "returning visitor (cache warm)"
            )
        )
        print(f"static-variant: {variant}; static-outside: ?{urlencode(outside or {})}")
        print(f"load average before: {load_average()}", flush=True)
        load_before = psutil.getloadavg()
        results: dict[str, list[dict[str, Any]]] = {m: [] for m in MODES}
        taken = 0
        voila_pids = [cold.process.pid, warm.process.pid]
        every = [static_pid, *voila_pids]
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium_path(),
                args=[
                    *CHROMIUM_ARGS,
                    f"--host-resolver-rules=MAP {LIVE_HOST} 127.0.0.1:{warm.port}",
                ],
            )
            options = VIEWPORTS[args.viewport]

            async def new_context():
                context = await browser.new_context(**options)
                await context.add_init_script(OBSERVER % json.dumps(WANTED))

                async def outside_world(route):
                    await route.fulfill(status=200, content_type="image/png", body=TILE)

                await context.route(LOCAL, outside_world)
                return context

            contexts = {} if args.first_visit else {m: await new_context() for m in MODES}

            async def one(mode: str, counted: bool) -> dict[str, Any] | None:
                nonlocal taken
                url = urls[mode]
                if url is None:
                    return None
                await warm_kernels(warm, taken, args.pool_size)  # pool full, idle servers
                await no_kernels(cold.process.pid)
                before = kernels_alive(every)
                probe = None
                if mode == "voila-cold":

                    def probe() -> dict[str, Any]:
                        kernels, _ = kernel_memory(cold.process.pid)
                        return {"kernel_mb": kernels[0] if len(kernels) == 1 else None}
                elif mode in ("static-default", "static-variant"):
                    idle = pss_mb(static_pid)

                    def probe() -> dict[str, Any]:
                        now = pss_mb(static_pid)
                        grown = None if now is None or idle is None else now - idle
                        return {
                            "server_mb": grown,
                            "kernels_started": len(kernels_alive(every) - before),
                        }

                context = contexts.get(mode) or await new_context()
                try:
                    result = await asyncio.wait_for(
                        visit(context, mode, url, args.cpu_slowdown, probe), TIMEOUT_MS / 1000 + 60
                    )
                except TimeoutError:
                    result = {"mode": mode, "error": "visit timed out"}
                finally:
                    if mode not in contexts:
                        await context.close()
                if mode in ("voila-preheated", "static-outside"):
                    taken += 1
                if counted:
                    results[mode].append(result)
                return result

            if not args.first_visit:
                print("warm-up visits (browser cache; not counted) …", flush=True)
                for mode in MODES:
                    await one(mode, counted=False)
            for round_no in range(1, args.rounds + 1):
                for mode in MODES:
                    result = await one(mode, counted=True)
                    if result is not None:
                        log_visit(round_no, result)
            await browser.close()
        load_after = psutil.getloadavg()
    for mode, reason in skipped.items():
        if urls[mode] is None:
            results[mode] = []
            print(f"{mode}: {NOT_MEASURED} ({reason})")
    return {
        "results": results,
        "load_before": load_before,
        "load_after": load_after,
        "outside": outside,
        "variant": variant,
    }


async def main(args: argparse.Namespace) -> int:
    if chromium_path() is None:
        print("no Chromium (apt-get install chromium)")
        return 1
    data = await run(args)
    results = data["results"]
    print()
    print(
        f"viewport {args.viewport}, CPU slowdown {args.cpu_slowdown:g}×, {args.rounds} rounds; "
        f"« all widgets » on the static page: after rrWidgets.drawAll()"
    )
    print("\n".join(table(results)))
    handovers = [v["handover_ms"] for v in results["static-outside"] if "handover_ms" in v]
    if handovers:
        print(
            f"static-outside: the static page handed over to Voilà after "
            f"{statistics.median(handovers):.0f} ms (median)"
        )
    print("\n".join(goals(results)))
    print("\n".join(memory_lines(results)))
    print(f"load average after: {load_average()}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({**data, "args": vars(args)}, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parser().parse_args())))
