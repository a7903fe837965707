"""Card pictures: a crop of the page's main map or chart shot in headless Chromium, at the
card's display size and twice it, in WebP with a PNG fallback; a drawn SVG when no
browser is available — never a broken image.

The same browser code also shoots every widget output of a page
(:func:`shoot_widget_outputs`), for pictures shown while the widgets are being drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import textwrap
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

THEME_COLOURS = {
    "Mobilité": "#0b5394",
    "Transition écologique": "#1a7f37",
    "Équipements": "#8250df",
    "Urbanisme": "#9a6700",
    "Exploration": "#57606a",
}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CARD_SIZE = (400, 250)
"""Width and height of a card picture as displayed (CSS pixels), set on the ``<img>``."""
DENSITIES = (1, 2)
"""Picture widths written, as multiples of the display size (2 for dense screens)."""
VIEWPORT = {"width": 720, "height": 900}
"""Page width when shooting: a map or chart then has about the card's proportions."""
MAIN_VISUAL = ".leaflet-container, .bqplot.figure"
"""What a card shows: the page's first map or chart."""
WIDGET_OUTPUT = ".jp-OutputArea-output .widget-subarea"
"""One drawn widget output of an nbconvert page."""
WEBP_QUALITY = 80

T = TypeVar("T")


@dataclass(frozen=True)
class CardPicture:
    """The files of one card picture, as paths relative to the site root."""

    png: dict[int, str]
    """Width in pixels → PNG file."""
    webp: dict[int, str]
    """Width in pixels → WebP file."""

    @property
    def src(self) -> str:
        """The display-size PNG, for browsers that read neither WebP nor ``srcset``."""
        return self.png[CARD_SIZE[0]]

    def srcset(self, kind: str) -> str:
        files = self.webp if kind == "webp" else self.png
        return ", ".join(f"{path} {width}w" for width, path in sorted(files.items()))


@dataclass(frozen=True)
class WidgetPicture:
    """One widget output of a page, as shot by :func:`shoot_widget_outputs`."""

    index: int
    """Position among the page's widget outputs (0 is the first)."""
    path: Path
    width: int
    """Width on the page, in CSS pixels (the file has ``width × scale`` pixels)."""
    height: int
    """Height on the page, in CSS pixels."""


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def drawn_thumbnail(title: str, theme: str, dest: Path) -> Path:
    """An SVG card image with the theme colour and the title."""
    width, height = CARD_SIZE[0] * 2, CARD_SIZE[1] * 2
    colour = THEME_COLOURS.get(theme, "#57606a")
    lines = textwrap.wrap(title, 26)[:4]
    text = "".join(
        f'<text x="40" y="{190 + i * 56}" font-size="44" font-weight="700" fill="#fff">'
        f"{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>'
        f'<rect width="100%" height="100%" fill="{colour}"/>'
        f'<circle cx="700" cy="420" r="190" fill="#fff" opacity=".08"/>'
        f'<text x="40" y="90" font-size="28" fill="#fff" opacity=".9" '
        f'font-family="sans-serif">{escape(theme)}</text>'
        f'<g font-family="sans-serif">{text}</g></svg>'
    )
    dest = dest.with_suffix(".svg")
    dest.write_text(svg, encoding="utf-8")
    return dest


def card_picture(shot: Path, folder: Path, stem: str, site: Path) -> CardPicture:
    """Crop ``shot`` to the card's proportions and write it at each density, WebP and PNG.

    The crop keeps the top of the shot (a chart's title, a map's centre row) and the
    middle of its width.
    """
    from PIL import Image, ImageOps

    png: dict[int, str] = {}
    webp: dict[int, str] = {}
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
    for density in DENSITIES:
        size = (CARD_SIZE[0] * density, CARD_SIZE[1] * density)
        fitted = ImageOps.fit(rgb, size, method=Image.Resampling.LANCZOS, centering=(0.5, 0.0))
        for kind, files, options in (
            ("png", png, {"optimize": True}),
            ("webp", webp, {"quality": WEBP_QUALITY, "method": 4}),
        ):
            path = folder / f"{stem}-{size[0]}.{kind}"
            fitted.save(path, **options)
            files[size[0]] = path.relative_to(site).as_posix()
    return CardPicture(png, webp)


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


async def _open_drawn(context, html: Path, timeout_ms: int):
    """A tab on ``html`` with its widgets drawn, that may read only the site's own files."""
    from playwright.async_api import Error

    page = await context.new_page()
    # No tiles nor CDN: pictures are reproducible offline and show what an offline visitor sees.
    await page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    await page.goto(html.as_uri(), wait_until="load", timeout=timeout_ms)
    # Pages draw widgets below the first screen only when scrolled near (reuse-widgets.js).
    await page.evaluate("window.rrWidgets ? window.rrWidgets.drawAll() : null")
    with contextlib.suppress(Error):  # a page without widgets is shot as it is
        await page.wait_for_selector(WIDGET_OUTPUT, timeout=timeout_ms)
    await page.evaluate(SETTLED_JS, 250)
    return page


def _visible(selector: str) -> str:
    """Only the shown elements: a map in a closed tab has no picture to give."""
    return ", ".join(f"{part.strip()}:visible" for part in selector.split(","))


async def _shoot_card(context, html: Path, png: Path, timeout_ms: int) -> bool:
    from playwright.async_api import Error

    page = None
    try:
        page = await _open_drawn(context, html, timeout_ms)
        # Zoom buttons and credits are for the page, not for a picture of it.
        await page.add_style_tag(content=".leaflet-control-container { display: none; }")
        target = None
        for selector in (MAIN_VISUAL, WIDGET_OUTPUT):
            visible = page.locator(_visible(selector)).first
            if await visible.count():
                target = visible
                break
        box = await target.bounding_box() if target is not None else None
        if box is None or box["width"] < 1 or box["height"] < 1:
            await page.screenshot(path=str(png), type="png")
        else:
            # A clip of the whole page, not an element shot: a map that keeps redrawing
            # is never « stable » for Playwright, yet its picture is fine.
            scroll = await page.evaluate("[window.scrollX, window.scrollY]")
            clip = {**box, "x": box["x"] + scroll[0], "y": box["y"] + scroll[1]}
            await page.screenshot(
                path=str(png), type="png", full_page=True, clip=clip, animations="disabled"
            )
        return True
    except Error as exc:
        log.warning("screenshot of %s failed: %s", html.name, exc)
        return False
    finally:
        if page is not None:
            await page.close()


async def _in_browser(
    scale: float, work: Callable[[Any], Coroutine[Any, Any, T]], width: int = VIEWPORT["width"]
) -> T:
    from playwright.async_api import async_playwright

    executable = chromium_path()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(
                viewport={"width": width, "height": VIEWPORT["height"]}, device_scale_factor=scale
            )
            return await work(context)
        finally:
            await browser.close()


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on its own event loop in a thread of its own: the caller may be
    inside a running loop (Jupyter, Playwright's sync API) where ``asyncio.run`` refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def screenshot_thumbnails(
    pages: dict[Path, Path],
    timeout_ms: int = 15000,
    parallel: int | None = None,
    progress: bool = False,
) -> dict[Path, Path]:
    """Shoot the main map or chart of each page (HTML file → PNG path), ``parallel`` tabs
    at a time (one per core by default), at twice the display density; returns the pages
    that worked. ``progress`` shows a bar while they are drawn."""
    if chromium_path() is None or not pages:
        return {}
    try:
        from playwright.async_api import Error
    except ImportError:
        return {}
    from tqdm import tqdm

    parallel = parallel or os.cpu_count() or 1

    async def shoot_all(context) -> dict[Path, Path]:
        done: dict[Path, Path] = {}
        slots = asyncio.Semaphore(parallel)
        bar = tqdm(total=len(pages), desc="Vignettes", unit="page", disable=not progress)

        async def one(html: Path, png: Path) -> None:
            async with slots:
                if await _shoot_card(context, html, png, timeout_ms):
                    done[html] = png
                bar.update(1)

        try:
            await asyncio.gather(*(one(html, png) for html, png in pages.items()))
        finally:
            bar.close()
        return done

    try:
        return _run(_in_browser(max(DENSITIES), shoot_all))
    except Error as exc:
        log.warning("Chromium could not start for thumbnails: %s", exc)
        return {}


def shoot_widget_outputs(
    html: Path,
    dest_dir: Path,
    *,
    width: int = VIEWPORT["width"],
    scale: float = 1,
    image_format: str = "webp",
    timeout_ms: int = 15000,
) -> list[WidgetPicture]:
    """Shoot each widget output of a rendered page, in page order, as one picture each.

    Parameters
    ----------
    html
        A page of the built site (its widgets are drawn offline, as a visitor sees them).
    dest_dir
        Where ``<page stem>-widget-<index>.<format>`` files are written (created if needed).
    width
        Page width in CSS pixels: widgets are laid out as at this window width.
    scale
        Device pixel ratio (2 for pictures sharp on dense screens).
    image_format
        ``webp`` or ``png``.
    timeout_ms
        Time allowed to load the page and draw its first widget.

    Returns
    -------
    list[WidgetPicture]
        One per widget output drawn; empty without Chromium or Playwright.
    """
    if image_format not in ("webp", "png"):
        raise ValueError(f"image_format must be webp or png, not {image_format!r}")
    if chromium_path() is None:
        return []
    try:
        from playwright.async_api import Error
    except ImportError:
        return []
    from PIL import Image

    dest_dir.mkdir(parents=True, exist_ok=True)

    async def shoot(context) -> list[WidgetPicture]:
        page = await _open_drawn(context, html, timeout_ms)
        pictures = []
        for index, output in enumerate(await page.query_selector_all(WIDGET_OUTPUT)):
            box = await output.bounding_box()
            if not box or box["width"] < 1 or box["height"] < 1:
                continue
            path = dest_dir / f"{html.stem}-widget-{index}.{image_format}"
            png = path.with_suffix(".shot.png")
            await output.screenshot(path=str(png), animations="disabled")
            if image_format == "webp":
                with Image.open(png) as image:
                    image.convert("RGB").save(path, quality=WEBP_QUALITY, method=4)
                png.unlink()
            else:
                png.replace(path)
            pictures.append(WidgetPicture(index, path, round(box["width"]), round(box["height"])))
        return pictures

    try:
        return _run(_in_browser(scale, shoot, width))
    except Error as exc:
        log.warning("widget outputs of %s could not be shot: %s", html.name, exc)
        return []


def card_thumbnails(
    settings: Any, site: Path, states: list[Any], rendered: dict[Path, Any]
) -> None:
    """Give each entry its card picture (``state.picture``, ``state.thumbnail``).

    Only a reuse's own page is shot — its variants are listed inside its card and share
    its picture. A shot is kept in the cache under a key made of the page body's key and
    the site's look, so an unchanged page is not shot again.
    """
    from .cache import _digest, tree_digest
    from .pages import cached_file, store_file

    folder = site / "thumbnails"
    shots: dict[str, Path] = {}
    if settings.thumbnails in ("auto", "browser"):
        look = tree_digest(settings.assets_dir, Path(__file__))
        keys, wanted = {}, {}
        for page, state in rendered.items():
            if state.status != "ok" or state.entry.slug != state.entry.record.slug:
                continue
            slug = state.entry.slug
            keys[page] = _digest([state.page_key, look])
            cached = cached_file(settings.cache_dir / slug, "thumbnail.png", keys[page])
            if cached:
                shots[slug] = cached
            else:
                wanted[page] = settings.cache_dir / slug / "thumbnail.png.tmp"
        taken = screenshot_thumbnails(wanted, progress=settings.progress) if wanted else {}
        for page, shot in taken.items():
            cache = settings.cache_dir / rendered[page].entry.slug
            store_file(cache, "thumbnail.png", keys[page], shot)
            shots[rendered[page].entry.slug] = cache / "thumbnail.png"
    pictures = {slug: card_picture(shot, folder, slug, site) for slug, shot in shots.items()}
    for state in states:
        state.picture = pictures.get(state.entry.record.slug)
        if state.picture is not None:
            state.thumbnail = state.picture.src
        else:
            drawn = drawn_thumbnail(
                state.entry.title, state.entry.record.theme, folder / state.entry.slug
            )
            state.thumbnail = drawn.relative_to(site).as_posix()
