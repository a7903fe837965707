"""A picture of each widget's first state, taken at build time and shown before it is drawn.

A reuse page's text arrives at once; its widgets need their libraries first. So that the
visitor sees the map or the chart straight away, the build opens each page in Chromium,
draws every widget, takes a WebP picture of each one and writes it into the page just
before the widget's place, with its size (no layout jump) and a French ``alt`` saying
what it shows. ``reuse-widgets.js`` draws the live widget over its picture, then removes
the picture. Pictures are kept in the build cache per page body (a page that did not
change is not shot again).

The controls in a picture (a drop-down, a date, a box to tick: the parameters the page
can switch between, ``rr-param-<name>``) are written over it as native HTML controls at
their place in each picture, with their choices and their values as the address writes
them (from the widget state's ``rr_parameters``). So a visitor can change one as soon as
the picture is on screen, before any widget code has run: ``reuse-widgets.js`` then opens
the precomputed page of that choice, or hands over to the live dashboard, as it does when
a drawn control changes. A control the page cannot switch on (a multiple choice, a
slider) is not written: it is usable once the widget is drawn.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import shutil
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import Any

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
  const controls = Array.from(target.querySelectorAll('[class*="rr-param-"]')).map(el => {
    const name = Array.from(el.classList).find(c => c.startsWith('rr-param-')).slice(9);
    const input = el.querySelector(
      'select:not([multiple]), input[type="date"], input[type="checkbox"]');
    if (!input) return null;
    const r = input.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return null;
    const label = el.querySelector('.widget-label, .widget-label-basic');
    const select = input.tagName === 'SELECT';
    return {name: name, kind: select ? 'choice' : input.type === 'date' ? 'date' : 'bool',
            x: r.left - box.left, y: r.top - box.top, width: r.width, height: r.height,
            label: ((label && label.textContent) || '').trim(),
            options: select ? Array.from(input.options).map(o => o.textContent) : [],
            selected: select ? input.selectedIndex : -1,
            value: input.type === 'checkbox' ? (input.checked ? 'oui' : 'non') : input.value};
  }).filter(Boolean);
  return {index: i, width: Math.round(box.width), height: Math.round(box.height),
          kind: kind, heading: heading, controls: controls};
})"""

STATE_TAG = re.compile(
    r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', re.S
)


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
    controls: list[dict[str, Any]] = field(default_factory=list)
    """Native controls written over the pictures (see :func:`quick_controls`)."""


def _alt(kind: str, heading: str) -> str:
    about = f" « {heading} »" if heading else ""
    return f"{kind}{about} (image en attendant la version interactive)"


def parameter_parts(html: str) -> dict[str, dict[str, Any]]:
    """Parameter name → its ``rr_parameters`` part, from the page's widget state."""
    found = STATE_TAG.search(html)
    if not found:
        return {}
    try:
        models = json.loads(found.group(1)).get("state", {})
    except json.JSONDecodeError:
        return {}
    parts: dict[str, dict[str, Any]] = {}
    for model in models.values():
        for part in (model.get("state") or {}).get("rr_parameters") or []:
            parts.setdefault(part["name"], part)
    return parts


def _percent(value: float, whole: int) -> float:
    return round(100 * value / whole, 2) if whole else 0.0


def quick_controls(
    wide: tuple[int, int, list[dict]],
    narrow: tuple[int, int, list[dict]],
    parts: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """The controls of one widget that can be written over its pictures: found in both
    (``(width, height, controls measured)`` of each picture), of a parameter the widget
    state describes with the same kind, a drop-down with exactly its values. Each: name,
    kind, label, follows, ``choices`` (value as the address writes it, label), ``value``,
    and its box in each picture in % (``wide``, ``narrow``: x, y, width, height)."""
    narrow_by_name = {c["name"]: c for c in narrow[2]}
    out = []
    for control in wide[2]:
        name = control["name"]
        part = parts.get(name)
        small = narrow_by_name.get(name)
        if part is None or small is None or part.get("kind") != control["kind"]:
            continue
        choices: list[tuple[str, str]] = []
        if control["kind"] == "choice":
            values = [str(v) for v in part.get("values") or []]
            labels = control["options"]
            if len(values) != len(labels) or not 0 <= control["selected"] < len(values):
                continue
            choices = list(zip(values, labels, strict=True))
            value = values[control["selected"]]
        else:
            value = str(control["value"])
        boxes = {}
        for which, (width, height, _), box in (("wide", wide, control), ("narrow", narrow, small)):
            boxes[which] = [
                _percent(box["x"], width),
                _percent(box["y"], height),
                _percent(box["width"], width),
                _percent(box["height"], height),
            ]
        out.append(
            {
                "name": name,
                "kind": control["kind"],
                "label": control["label"] or name,
                "follows": list(part.get("follows") or []),
                "choices": choices,
                "value": value,
                **boxes,
            }
        )
    return out


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
        parts = parameter_parts(page_file.read_text(encoding="utf-8"))
        pictures: list[Picture | str | None] = []
        for big, small in zip(wide, narrow, strict=True):
            if big == EMPTY and small == EMPTY:
                pictures.append(EMPTY)
                continue
            if not isinstance(big, tuple) or not isinstance(small, tuple):
                pictures.append(None)
                continue
            alt = _alt(big[3]["kind"], big[3]["heading"])
            controls = quick_controls(
                (big[1], big[2], big[3].get("controls", [])),
                (small[1], small[2], small[3].get("controls", [])),
                parts,
            )
            pictures.append(Picture(*big[:3], *small[:3], alt, controls))
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
                f'alt="{escape(picture.alt)}" decoding="async"{lazy}></picture>'
                + quick_controls_html(picture)
            )
        out.append(VIEW_TAG + rest)
    return "".join(out)


def _box_style(prefix: str, box: list[float]) -> str:
    names = ("x", "y", "w", "h")
    return ";".join(f"--{prefix}{n}:{v:g}%" for n, v in zip(names, box, strict=True))


def _control_html(control: dict[str, Any]) -> str:
    name = escape(control["name"])
    data = (
        f'aria-label="{escape(control["label"])}" data-rr-param="{name}" '
        f'data-rr-follows="{escape(" ".join(control["follows"]))}"'
    )
    if control["kind"] == "choice":
        # Only the chosen option in the page; the others in a <template> the script moves
        # into the list when the visitor reaches for it (fewer elements in the page, as
        # the EcoIndex counts them: a list of the 71 communes is 71 of them).
        options = [
            f'<option value="{escape(value)}"{" selected" if value == control["value"] else ""}>'
            f"{escape(label)}</option>"
            for value, label in control["choices"]
        ]
        chosen = next(o for o in options if " selected>" in o)
        return (
            f'<select {data}>{chosen}</select><template class="rr-quick-options">'
            f"{''.join(options)}</template>"
        )
    if control["kind"] == "date":
        return f'<input type="date" {data} value="{escape(control["value"])}">'
    checked = " checked" if control["value"] == "oui" else ""
    return f'<input type="checkbox" {data}{checked}>'


def quick_controls_html(picture: Picture) -> str:
    """The native controls over a widget's pictures, hidden until ``reuse-widgets.js``
    knows it can switch on them; '' when the widget shows none."""
    if not picture.controls:
        return ""
    sizes = (
        f"--ar:{picture.width}/{picture.height};--pw:{picture.width}px;"
        f"--nar:{picture.narrow_width}/{picture.narrow_height};--npw:{picture.narrow_width}px"
    )
    labels = "".join(
        f'<div class="rr-quick rr-quick--{c["kind"]}" '
        f'style="{_box_style("", c["wide"])};{_box_style("n", c["narrow"])}">'
        f"{_control_html(c)}</div>"
        for c in picture.controls
    )
    return f'<div class="rr-quick-controls" hidden style="{sizes}">{labels}</div>'


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
