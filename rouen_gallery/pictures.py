"""A picture of each widget's first state, taken at build time and shown before it is drawn.

A reuse page's text arrives at once; its widgets need their libraries first. So that the
visitor sees the map or the chart straight away, the build opens each page in Chromium,
draws every widget, takes a WebP picture of each one and writes it into the page just
before the widget's place, with its size (no layout jump) and a French ``alt`` saying
what it shows. ``reuse-widgets.js`` draws the live widget over its picture, then removes
the picture. Pictures are kept in the build cache per page body (a page that did not
change is not shot again).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from .cache import _digest, file_digest
from .thumbnails import CHROMIUM_ARGS, chromium_path
from .thumbnails import _run as run_coroutine

log = logging.getLogger(__name__)

VIEW_TAG = '<script type="application/vnd.jupyter.widget-view+json">'
PICTURES_DIR = "images"
"""Folder of the pictures, beside the pages (``reutilisations/images/<slug>-<n>.webp``)."""
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 412, "height": 823}
"""Widgets lay out differently on a phone: one picture per width (412: Lighthouse's phone)."""
NARROW_MEDIA = "(max-width: 720px)"
"""Windows that get the narrow picture."""
WEBP_QUALITY = 60
CACHE_FILE = "pictures.json"
EMPTY = "empty"
"""A widget drawn with no size in both windows (an empty notice, a box the page hides):
nothing to picture, and ``reuse-widgets.js`` does not ask for the widget code for it."""
EMPTY_MARK = '<span class="rr-widget-empty" hidden></span>'
TABS = 2
"""Pages shot at once: while one tab runs a page's widget code, another takes pictures."""

# For each widget place, in page order: its drawn box and what it shows.
DESCRIBE_JS = """() => Array.from(document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')).map((tag, i) => {
  const target = tag.previousElementSibling;
  if (!target || !target.classList.contains('widget-subarea')) return null;
  target.setAttribute('data-rr-picture', String(i));
  const box = target.getBoundingClientRect();
  let heading = '', node = tag.closest('.jp-Cell');
  while (node && !heading) {
    node = node.previousElementSibling;
    const h = node && node.querySelector('h1, h2, h3, h4');
    if (h) heading = h.textContent.replace('¶', '').trim();
  }
  const kind = target.querySelector('.leaflet-container') ? 'Carte'
    : target.querySelector('svg.svg-figure') ? 'Graphique' : 'Commandes et résultats';
  return {index: i, width: Math.round(box.width), height: Math.round(box.height),
          kind: kind, heading: heading};
})"""


@dataclass
class Picture:
    """One widget's pictures (wide and narrow windows): file names, sizes, alternative text."""

    name: str
    width: int
    height: int
    narrow_name: str
    narrow_width: int
    narrow_height: int
    alt: str


def _alt(kind: str, heading: str) -> str:
    about = f" « {heading} »" if heading else ""
    return f"{kind}{about} (image en attendant la version interactive)"


async def _shoot_places(
    page, out: Path, stem: str
) -> list[tuple[str, int, int, dict] | str | None]:
    """Shoot every drawn widget of ``page`` as ``<stem>-<n>.webp``: (name, width, height,
    place), ``EMPTY`` for a widget drawn with no size, None where there is no place."""
    from PIL import Image

    shots: list[tuple[str, int, int, dict] | str | None] = []
    for place in await page.evaluate(DESCRIBE_JS):
        if not place:
            shots.append(None)
            continue
        if place["width"] < 2 or place["height"] < 2:
            shots.append(EMPTY)
            continue
        png = await page.locator(f'[data-rr-picture="{place["index"]}"]').screenshot(
            type="png", animations="disabled"
        )
        name = f"{stem}-{place['index'] + 1}.webp"
        with Image.open(io.BytesIO(png)) as image:
            image.save(out / name, "WEBP", quality=WEBP_QUALITY)
            # The shot's own size: the widget may have grown a pixel since measured.
            shots.append((name, *image.size, place))
    return shots


async def _shoot_page(browser, page_file: Path, out: Path, slug: str) -> list[Picture | str | None]:
    context = await browser.new_context(viewport=WIDE)
    try:
        page = await context.new_page()
        await page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
        )
        await page.goto(page_file.as_uri(), wait_until="load", timeout=120_000)
        await page.evaluate("window.rrWidgets ? window.rrWidgets.drawAll() : null")
        await page.wait_for_timeout(300)
        wide = await _shoot_places(page, out, slug)
        await page.set_viewport_size(NARROW)
        await page.wait_for_timeout(800)  # maps and charts redraw for the new width
        narrow = await _shoot_places(page, out, f"{slug}-etroit")
        pictures: list[Picture | str | None] = []
        for big, small in zip(wide, narrow, strict=True):
            if big == EMPTY and small == EMPTY:
                pictures.append(EMPTY)
                continue
            if not isinstance(big, tuple) or not isinstance(small, tuple):
                pictures.append(None)
                continue
            alt = _alt(big[3]["kind"], big[3]["heading"])
            pictures.append(Picture(*big[:3], *small[:3], alt))
        return pictures
    finally:
        await context.close()


def with_pictures(html: str, pictures: list[Picture | str | None]) -> str:
    """The page with each picture written just before its widget's place (and the
    ``EMPTY_MARK`` before a widget drawn with no size)."""
    parts = html.split(VIEW_TAG)
    out = [parts[0]]
    for i, rest in enumerate(parts[1:]):
        picture = pictures[i] if i < len(pictures) else None
        if picture == EMPTY:
            out.append(EMPTY_MARK)
        elif isinstance(picture, Picture):
            # The first widget's picture may be on the first screen: fetched at once; the
            # browser fetches the others when they come near.
            lazy = ' loading="lazy"' if i else ""
            out.append(
                f'<picture class="rr-widget-picture"><source media="{NARROW_MEDIA}" '
                f'srcset="{PICTURES_DIR}/{picture.narrow_name}" '
                f'width="{picture.narrow_width}" height="{picture.narrow_height}">'
                f'<img src="{PICTURES_DIR}/{picture.name}" '
                f'width="{picture.width}" height="{picture.height}" '
                f'alt="{_escape(picture.alt)}" decoding="async"{lazy}></picture>'
            )
        out.append(VIEW_TAG + rest)
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def add_widget_pictures(pages: dict[Path, tuple[str, str]], cache_dir: Path) -> None:
    """Shoot (or take from the cache) and write the widget pictures of built pages.

    Parameters
    ----------
    pages
        Page file → (slug, key of its body); the pages are rewritten in place.
    cache_dir
        Build cache (``<cache_dir>/<slug>/pictures/``).
    """
    if chromium_path() is None:
        log.info("No Chromium: reuse pages are built without widget pictures")
        return
    code = file_digest(Path(__file__))
    wanted: dict[Path, tuple[str, Path, str]] = {}
    done: dict[Path, list[Picture | str | None]] = {}
    for page, (slug, body_key) in pages.items():
        if VIEW_TAG not in page.read_text(encoding="utf-8"):
            continue
        key = _digest([body_key, code])
        folder = cache_dir / slug / "pictures"
        try:
            record = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            record = {}
        if record.get("key") == key:
            done[page] = [Picture(**p) if isinstance(p, dict) else p for p in record["pictures"]]
        else:
            wanted[page] = (slug, folder, key)
    if wanted:
        # thumbnails' runner: its own thread when called from a running event loop.
        run_coroutine(_shoot_all(wanted, done))
    for page, pictures in done.items():
        slug = pages[page][0]
        target = page.parent / PICTURES_DIR
        target.mkdir(exist_ok=True)
        for picture in (p for p in pictures if isinstance(p, Picture)):
            for name in (picture.name, picture.narrow_name):
                shutil.copyfile(cache_dir / slug / "pictures" / name, target / name)
        page.write_text(with_pictures(page.read_text(encoding="utf-8"), pictures), "utf-8")


async def _shoot_all(wanted: dict, done: dict) -> None:
    from playwright.async_api import Error, async_playwright

    tabs = asyncio.Semaphore(TABS)

    async def shoot(browser, page: Path, slug: str, folder: Path, key: str) -> None:
        async with tabs:
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            try:
                pictures = await _shoot_page(browser, page, folder, slug)
            except Error as exc:
                log.warning("widget pictures of %s failed: %s", page.name, exc)
                return
            record = {
                "key": key,
                "pictures": [asdict(p) if isinstance(p, Picture) else p for p in pictures],
            }
            (folder / CACHE_FILE).write_text(json.dumps(record), encoding="utf-8")
            done[page] = pictures

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(shoot(browser, page, *spec) for page, spec in wanted.items()))
        finally:
            await browser.close()
