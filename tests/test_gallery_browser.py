"""The built gallery in headless Chromium: what a citizen gets from any static host.

A small gallery (one real reuse with its variants, plus the « ok » fixture) is built once
for the module; the browser then loads it from disk with every network request refused.
Skipped, with the reason, without Chromium or Playwright; the accessibility checks also
need axe-core (``npm ci --prefix tests/browser``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rouen_gallery.build import Builder
from rouen_gallery.settings import BuildSettings
from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)
if chromium_path() is None:
    pytest.skip(
        "no Chromium on this machine (CI installs Debian's chromium)", allow_module_level=True
    )

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
REUSE = "arbres-remarquables"
# arbres-remarquables and its two variants, the ok fixture and its variant.
N_CARDS = 5
N_ECOLOGY = 3


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> BuildSettings:
    tmp = tmp_path_factory.mktemp("gallery-browser")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / f"{REUSE}.ipynb", notebooks)
    shutil.copy(ROOT / "tests" / "fixtures" / "gallery" / "ok.ipynb", notebooks)
    settings = BuildSettings(
        notebooks_dir=notebooks,
        site_dir=tmp / "site",
        cache_dir=tmp / "cache",
        external_file=tmp / "external.yaml",
        thumbnails="browser",
        progress=False,
    )
    summary = Builder(settings).build()
    assert summary.ok, summary.table()
    return settings


@pytest.fixture(scope="module")
def site(built: BuildSettings) -> Path:
    return built.site_dir


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A page that may only read local files: the network is off."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    def offline(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.refused = refused
    yield page
    context.close()


def _visible_cards(page) -> int:
    return page.locator(".rr-card:visible").count()


def test_index_filters_and_search_narrow_the_cards(site, page):
    page.goto((site / "index.html").as_uri())
    assert _visible_cards(page) == N_CARDS
    page.get_by_label("Transition écologique").check()
    assert _visible_cards(page) == N_ECOLOGY
    # Accents and case do not matter: « hetres » finds « Les hêtres remarquables ».
    page.get_by_label("Rechercher").fill("HETRES")
    assert _visible_cards(page) == 1
    assert page.locator("#rr-shown").inner_text() == "1"
    page.get_by_label("Rechercher").fill("aucune réutilisation ne parle de ça")
    assert _visible_cards(page) == 0
    assert page.locator("#rr-empty").is_visible()


def test_index_is_usable_with_the_keyboard(site, page):
    page.goto((site / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller aux réutilisations"
    page.locator("#rr-q").focus()
    page.keyboard.type("grands")
    assert _visible_cards(page) == 1


def test_reuse_page_renders_map_and_chart_offline(site, page):
    page.goto((site / "reutilisations" / f"{REUSE}.html").as_uri())
    page.wait_for_selector(".leaflet-container", timeout=60_000)
    page.wait_for_selector("svg.svg-figure", timeout=60_000)
    assert page.locator(".leaflet-marker-icon, path.leaflet-interactive").count() > 0
    # Only map tiles may be wanted from outside; the page's own code is all local.
    assert all("tile.openstreetmap" in url for url in page.refused), page.refused


def test_code_is_hidden_until_asked_for(site, page):
    page.goto((site / "reutilisations" / f"{REUSE}.html").as_uri())
    code = page.locator(".jp-CodeCell .jp-Cell-inputWrapper").first
    assert not code.is_visible()
    page.get_by_text("Voir le code").click()
    assert code.is_visible()


@pytest.mark.parametrize("path", ["index.html", f"reutilisations/{REUSE}.html"])
def test_no_serious_accessibility_violation(site, page, path):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/browser)")
    page.goto((site / path).as_uri())
    page.wait_for_timeout(2000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_thumbnails_are_screenshots_retaken_only_for_changed_pages(built):
    """Last in the module: it changes a variant's parameters and rebuilds."""
    site = built.site_dir
    index = (site / "index.html").read_text(encoding="utf-8")
    slugs = [REUSE, f"{REUSE}-hetres", "ok", "ok-grands"]
    for slug in slugs:
        assert f'src="thumbnails/{slug}.png"' in index
        assert _png_size(site / "thumbnails" / f"{slug}.png") == (1200, 750)
    # The map page's picture frames its map: not the same image as a page without one.
    assert (site / "thumbnails" / f"{REUSE}.png").read_bytes() != (
        site / "thumbnails" / "ok.png"
    ).read_bytes()
    shots = {slug: (built.cache_dir / slug / "thumbnail.png").stat().st_mtime_ns for slug in slugs}

    notebook = built.notebooks_dir / "ok.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["metadata"]["reuse"]["variants"][0]["parameters"]["hauteur_min"] = 25
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    summary = Builder(built).build()
    assert summary.ok, summary.table()
    retaken = {
        slug
        for slug in slugs
        if (built.cache_dir / slug / "thumbnail.png").stat().st_mtime_ns != shots[slug]
    }
    assert retaken == {"ok-grands"}
    assert _png_size(site / "thumbnails" / f"{REUSE}.png") == (1200, 750)
