"""Benchmark: what a first visit to each page of a built gallery costs, in Chromium.

The site is served over HTTP on 127.0.0.1 the way ``deploy/nginx.conf`` serves it
(pre-compressed files, :mod:`rouen_gallery.static_server`); map tiles are answered by a
local 1×1 image (no request leaves the machine). Each page is opened in a fresh browser
context (empty cache, a first visit) at 1280×900 and, per page, the bench prints:

- bytes transferred (compressed, as on the wire: Chromium's ``encodedDataLength``) and
  requests, before scrolling (the first screen) and once every widget is drawn;
- ms from the request to the first contentful paint (the page's text: the first
  meaningful paint of a page whose text comes first), to the choices over the widget
  pictures being usable (native controls, before any widget code), to the first widget
  drawn, to the first screen's widgets drawn, and to all widgets drawn once scrolled
  (``reuse-widgets.js`` performance marks);
- the EcoIndex score and grade (``ecoindex-compute``: DOM elements, KB, requests) of the
  page as opened (first screen) and once every widget is drawn (the whole page: what
  the ecoindex.fr measure, which scrolls to the bottom, sees).

``--viewport phone`` opens the pages at 412×823 (Lighthouse's mobile screen): a page
whose first screen is text asks for no widget code before the visitor scrolls.
``--cpu-slowdown 4`` slows the CPU four times, as Lighthouse's mobile profile does.

Run ``python bench/bench_pages.py [--site gallery/_site] [--only slug …] [--rounds 1]``
after a build. The machine's load average is printed: on a shared machine, compare
rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rouen_gallery.static_server import serving  # noqa: E402
from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path  # noqa: E402

TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
MARKS = ("rr-quick-controls", "rr-first-widget", "rr-first-screen", "rr-all-widgets")
"""``reuse-widgets.js`` marks: the choices over the pictures usable, the first widget
drawn, the first screen's widgets drawn, all drawn."""
DOM_NODES = "document.querySelectorAll('*').length - document.querySelectorAll('svg *').length"


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 412, "height": 823}}
"""Window sizes: a laptop, and the phone of Lighthouse's mobile profile."""


async def visit(browser, url: str, viewport: str = "desktop", slowdown: float = 1) -> dict:
    """One first visit of ``url``: bytes, requests, timings, DOM size (first screen, all);
    ``slowdown``: CPU slowed that many times (4: Lighthouse's mobile profile)."""
    context = await browser.new_context(viewport=VIEWPORTS[viewport])

    async def route(request_route):
        if request_route.request.url.startswith(url.split("/reutilisations/")[0]):
            await request_route.continue_()
        else:
            await request_route.fulfill(status=200, content_type="image/png", body=TILE)

    await context.route("**/*", route)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    if slowdown > 1:
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    wire = {"bytes": 0, "requests": 0}

    def finished(event: dict) -> None:
        wire["bytes"] += event["encodedDataLength"]
        wire["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    await page.goto(url, wait_until="load")
    has_widgets = await page.evaluate("!!document.documentElement.dataset.rrWidgets")
    if has_widgets:
        await page.wait_for_function(
            "['first-screen', 'drawn'].includes(document.documentElement.dataset.rrWidgets)",
            timeout=120_000,
        )
    await page.wait_for_timeout(300)
    first_screen = {**wire, "nodes": await page.evaluate(DOM_NODES)}
    if has_widgets:
        await page.evaluate("rrWidgets.drawAll()")
    await page.wait_for_timeout(300)
    timings = await page.evaluate(
        """() => Object.fromEntries(
            performance.getEntriesByType('paint').concat(performance.getEntriesByType('mark'))
              .map(e => [e.name, Math.round(e.startTime)]))"""
    )
    nodes = await page.evaluate(DOM_NODES)
    await context.close()
    return {"first_screen": first_screen, "all": dict(wire), "timings": timings, "nodes": nodes}


async def ecoindex(nodes: int, kilobytes: float, requests: int):
    from ecoindex.compute import compute_ecoindex

    return await compute_ecoindex(nodes=nodes, size=kilobytes, requests=requests)


async def grade(nodes: int, wire: dict) -> str:
    """EcoIndex score and grade of a page's state: « 72 B »."""
    score = await ecoindex(nodes, wire["bytes"] / 1024, wire["requests"])
    return f"{score.score:.0f} {getattr(score.grade, 'value', score.grade)}"


async def main(
    site: Path, only: list[str], rounds: int, viewport: str = "desktop", slowdown: float = 1
) -> None:
    from playwright.async_api import async_playwright

    pages = sorted((site / "reutilisations").glob("*.html"))
    if only:
        pages = [p for p in pages if p.stem in only]
    pages = [site / "index.html", *pages]
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    size = VIEWPORTS[viewport]
    print(
        f"fenêtre {size['width']}×{size['height']}, processeur ralenti {slowdown:g}× ; "
        "« choix » : les listes de choix posées sur les images utilisables ; "
        "« 1er écran » : la page ouverte, sans "
        "défilement ; « tout » : chaque widget dessiné (rrWidgets.drawAll(), comme après un "
        "défilement jusqu'en bas) ; temps en ms depuis la requête"
    )
    header = (
        f"{'page':<36} {'KB 1er écran':>12} {'req':>4} {'KB tout':>8} {'req':>4} {'FCP':>6} "
        f"{'choix':>6} {'1er widget':>10} {'1er écran':>9} {'tous':>6} "
        f"{'Eco 1er écran':>13} {'Eco tout':>8}"
    )
    print(header)
    with serving(site) as base:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for path in pages:
                relative = path.relative_to(site).as_posix()
                runs = [
                    await visit(browser, base + relative, viewport, slowdown) for _ in range(rounds)
                ]
                last = runs[-1]

                def median(name: str, runs=runs) -> str:
                    values = [r["timings"][name] for r in runs if name in r["timings"]]
                    return f"{statistics.median(values):.0f}" if values else "—"

                first, whole = last["first_screen"], last["all"]
                print(
                    f"{path.stem:<36} {first['bytes'] / 1024:>12.0f} {first['requests']:>4} "
                    f"{whole['bytes'] / 1024:>8.0f} {whole['requests']:>4} "
                    f"{median('first-contentful-paint'):>6} "
                    + " ".join(
                        f"{median(m):>{w}}" for m, w in zip(MARKS, (6, 10, 9, 6), strict=True)
                    )
                    + f" {await grade(first['nodes'], first):>13}"
                    + f" {await grade(last['nodes'], whole):>8}"
                )
            await browser.close()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "gallery" / "_site")
    parser.add_argument("--only", nargs="*", default=[], help="page slugs (default: all)")
    parser.add_argument("--rounds", type=int, default=1, help="visits per page (median)")
    parser.add_argument("--viewport", choices=VIEWPORTS, default="desktop", help="window size")
    parser.add_argument(
        "--cpu-slowdown", type=float, default=1, help="CPU slowed N times (4: phone)"
    )
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("Chromium introuvable : installez le paquet Debian chromium.")
    asyncio.run(main(args.site, args.only, args.rounds, args.viewport, args.cpu_slowdown))
