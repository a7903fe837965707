"""Card images: a screenshot of the rendered page in headless Chromium when available,
otherwise a drawn SVG — never a broken image."""

from __future__ import annotations

import logging
import shutil
import textwrap
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


def screenshot_thumbnails(pages: dict[Path, Path], timeout_ms: int = 15000) -> dict[Path, Path]:
    """Screenshot each page (file path → PNG path); returns those that worked."""
    executable = chromium_path()
    if executable is None:
        return {}
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return {}
    done: dict[Path, Path] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 750})
            # Only the site itself: no tiles nor CDN, so screenshots are reproducible offline.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            for html, png in pages.items():
                try:
                    page.goto(html.as_uri(), wait_until="load", timeout=timeout_ms)
                    try:
                        page.wait_for_selector(
                            ".widget-subarea, .leaflet-container, svg.svg-figure",
                            timeout=timeout_ms,
                        )
                        page.wait_for_timeout(800)
                    except Error:
                        pass
                    # Frame the first map or chart; the page top is only text.
                    visual = page.query_selector(".leaflet-container, svg.svg-figure")
                    box = visual.bounding_box() if visual else None
                    top = max(0, box["y"] - 80) if box else 0
                    page.screenshot(
                        path=str(png),
                        full_page=True,
                        clip={"x": 0, "y": top, "width": 1200, "height": 750},
                    )
                    done[html] = png
                except Error as exc:
                    log.warning("screenshot of %s failed: %s", html.name, exc)
            browser.close()
    except Error as exc:
        log.warning("Chromium could not start for thumbnails: %s", exc)
    return done
