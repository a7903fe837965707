"""Card images: a screenshot of the rendered page in headless Chromium when available,
otherwise a drawn SVG — never a broken image."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import textwrap
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

log = logging.getLogger(__name__)

THEME_COLOURS = {
    "Mobilité": "#0b5394",
    "Transition écologique": "#1a7f37",
    "Équipements": "#8250df",
    "Urbanisme": "#9a6700",
    "Exploration": "#57606a",
}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTH, HEIGHT = 800, 500
"""Size of a drawn card image."""
SHOT = (1200, 750)
"""Browser viewport and screenshot size."""


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def drawn_thumbnail(title: str, theme: str, kind_label: str, dest: Path) -> Path:
    """An SVG card image with the theme colour and the title."""
    colour = THEME_COLOURS.get(theme, "#57606a")
    lines = textwrap.wrap(title, 26)[:4]
    text = "".join(
        f'<text x="40" y="{190 + i * 56}" font-size="44" font-weight="700" fill="#fff">'
        f"{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img"><title>{escape(title)}</title>'
        f'<rect width="100%" height="100%" fill="{colour}"/>'
        f'<circle cx="700" cy="420" r="190" fill="#fff" opacity=".08"/>'
        f'<text x="40" y="90" font-size="28" fill="#fff" opacity=".9" '
        f'font-family="sans-serif">{escape(theme)} · {escape(kind_label)}</text>'
        f'<g font-family="sans-serif">{text}</g></svg>'
    )
    dest = dest.with_suffix(".svg")
    dest.write_text(svg, encoding="utf-8")
    return dest


SETTLED_JS = """(quietMs) => new Promise((resolve) => {
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)));
  };
  let quiet = setTimeout(finish, quietMs);
  const observer = new MutationObserver(() => {
    clearTimeout(quiet);
    quiet = setTimeout(finish, quietMs);
  });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true});
  setTimeout(finish, 4000);
})"""
"""Resolves once the page has stopped changing for ``quietMs`` (widgets drawn), 4 s at most."""
VISUALS = ".leaflet-container, svg.svg-figure"


async def _shoot(context, html: Path, png: Path, timeout_ms: int) -> bool:
    from playwright.async_api import Error

    page = await context.new_page()
    try:
        # Only the site itself: no tiles nor CDN, so screenshots are reproducible offline.
        await page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        await page.goto(html.as_uri(), wait_until="load", timeout=timeout_ms)
        with contextlib.suppress(Error):  # no map nor chart: the page top is the picture
            await page.wait_for_selector(VISUALS, timeout=timeout_ms)
        await page.evaluate(SETTLED_JS, 250)
        # Frame the first map or chart; the page top is only text.
        visual = await page.query_selector(VISUALS)
        box = await visual.bounding_box() if visual else None
        top = max(0, box["y"] - 80) if box else 0
        await page.screenshot(
            path=str(png),
            full_page=True,
            clip={"x": 0, "y": top, "width": SHOT[0], "height": SHOT[1]},
        )
        return True
    except Error as exc:
        log.warning("screenshot of %s failed: %s", html.name, exc)
        return False
    finally:
        await page.close()


async def _shoot_all(
    executable: str, pages: dict[Path, Path], timeout_ms: int, parallel: int
) -> dict[Path, Path]:
    from playwright.async_api import async_playwright

    done: dict[Path, Path] = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": SHOT[0], "height": SHOT[1]})
        slots = asyncio.Semaphore(parallel)

        async def one(html: Path, png: Path) -> None:
            async with slots:
                if await _shoot(context, html, png, timeout_ms):
                    done[html] = png

        await asyncio.gather(*(one(html, png) for html, png in pages.items()))
        await browser.close()
    return done


def screenshot_thumbnails(
    pages: dict[Path, Path], timeout_ms: int = 15000, parallel: int | None = None
) -> dict[Path, Path]:
    """Screenshot each page (file path → PNG path), ``parallel`` tabs at a time (one per
    core by default); returns those that worked."""
    executable = chromium_path()
    if executable is None or not pages:
        return {}
    try:
        from playwright.async_api import Error
    except ImportError:
        return {}
    parallel = parallel or os.cpu_count() or 1
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        run = asyncio.run  # the usual case: no event loop in this thread
    else:  # called from a running loop (Jupyter, Playwright's sync API): its own thread

        def run(coroutine):
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(asyncio.run, coroutine).result()

    try:
        return run(_shoot_all(executable, pages, timeout_ms, parallel))
    except Error as exc:
        log.warning("Chromium could not start for thumbnails: %s", exc)
        return {}
