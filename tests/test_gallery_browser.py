"""The built gallery in headless Chromium: what a citizen gets from any static host.

A small gallery (one real reuse with its variants, the « ok » fixture with its variant,
and one external link) is built once for the module; the browser then loads it from disk
with every network request refused, at a phone's width and a laptop's. Skipped, with the
reason, without Chromium or Playwright; the accessibility checks also need axe-core
(``npm ci --prefix tests/browser``).
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from rouen_gallery.build import Builder
from rouen_gallery.settings import BuildSettings
from rouen_gallery.thumbnails import CARD_SIZE, CHROMIUM_ARGS, DENSITIES, chromium_path

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
EXTERNAL = [
    {
        "title": "Carte des compteurs vélo (lien d'essai)",
        "slug": "carte-compteurs-essai",
        "description": "Une réutilisation faite ailleurs, montrée comme une carte-lien.",
        "type": "visualization",
        "url": "https://example.org/carte-compteurs",
        "theme": "Mobilité",
        "tags": ["vélo", "carte"],
        "authors": [{"name": "Collectif d'essai"}],
        "datasets": ["eco-counter-sites"],
    }
]
SCREENS = {"phone": (360, 640), "small phone": (320, 568), "laptop": (1280, 800)}
INDEX_BUDGET = 500_000
"""Bytes the index may fetch before its lazy pictures load."""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> BuildSettings:
    tmp = tmp_path_factory.mktemp("gallery-browser")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / f"{REUSE}.ipynb", notebooks)
    shutil.copy(ROOT / "tests" / "fixtures" / "gallery" / "ok.ipynb", notebooks)
    external = tmp / "external.yaml"
    external.write_text(yaml.safe_dump(EXTERNAL, allow_unicode=True), encoding="utf-8")
    settings = BuildSettings(
        notebooks_dir=notebooks,
        site_dir=tmp / "site",
        cache_dir=tmp / "cache",
        external_file=external,
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
def records(built: BuildSettings) -> list[dict]:
    """Every reuse record of the test gallery, read from its source (one card each)."""
    notebooks = [
        json.loads(p.read_text(encoding="utf-8"))["metadata"]["reuse"]
        for p in sorted(built.notebooks_dir.glob("*.ipynb"))
    ]
    return notebooks + EXTERNAL


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _offline_page(browser, width: int = 1280, height: int = 900):
    """A page that may only read local files: the network is off. It records what a
    visitor's browser would complain about: refused requests, missing files, console errors."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.refused, page.missing, page.errors, page.fetched = [], [], [], []

    def offline(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            page.refused.append(route.request.url)
            route.abort()

    def failed(request):
        if request.url.startswith("file:"):
            page.missing.append(request.url)

    context.route("**/*", offline)
    page.on("requestfailed", failed)
    page.on("requestfinished", lambda request: page.fetched.append(request.url))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return context, page


@pytest.fixture
def page(browser):
    context, page = _offline_page(browser)
    yield page
    context.close()


def _visible_cards(page) -> int:
    return page.locator(".rr-card:visible").count()


def _reads_real_data(record: dict) -> bool:
    """Whether a record reads a dataset the registry does not mark as generated."""
    registry = yaml.safe_load((ROOT / "data" / "registry.yaml").read_text(encoding="utf-8"))
    datasets = registry.get("datasets", registry)
    return any(datasets[k]["provenance"]["kind"] != "generated" for k in record["datasets"])


def _fold(text: str) -> str:
    return unicodedata.normalize("NFD", text.lower()).encode("ascii", "ignore").decode()


@pytest.mark.parametrize("screen", SCREENS)
def test_cards_come_first_without_sideways_scroll(site, browser, screen):
    width, height = SCREENS[screen]
    context, page = _offline_page(browser, width, height)
    try:
        page.goto((site / "index.html").as_uri())
        top = page.locator(".rr-card").first.bounding_box()["y"]
        assert top < height, f"first card at y={top} on a {width}×{height} screen"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"the page is {scroll_width} px wide at {width} px"
        # Opening every filter must not widen the page either.
        page.get_by_text("Plus de filtres").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_filters_narrow_the_cards_and_chips_remove_them(site, page, records):
    page.goto((site / "index.html").as_uri())
    assert _visible_cards(page) == len(records)
    mobility = sum(r["theme"] == "Mobilité" for r in records)
    page.get_by_label("Mobilité").check()
    assert _visible_cards(page) == mobility
    chip = page.get_by_role("button", name="Retirer le filtre « Mobilité »")
    assert chip.is_visible()
    # A second facet, behind « Plus de filtres », narrows further (AND across facets).
    real_mobility = sum(r["theme"] == "Mobilité" and _reads_real_data(r) for r in records)
    assert real_mobility < mobility
    page.get_by_text("Plus de filtres").click()
    page.get_by_label("Données réelles").check()
    assert _visible_cards(page) == real_mobility
    assert page.locator("#rr-empty").is_visible() == (real_mobility == 0)
    page.get_by_role("button", name="Retirer le filtre « Données réelles »").click()
    assert _visible_cards(page) == mobility
    chip.click()
    assert _visible_cards(page) == len(records)
    assert page.locator(".rr-active-chip").count() == 0
    assert page.evaluate("document.activeElement.id") == "rr-q"


def test_search_ignores_accents_and_finds_variants(site, page, records):
    page.goto((site / "index.html").as_uri())
    # « hetres » is only in a variant's title: its reuse's card is found.
    expected = sum(
        any("hetres" in _fold(v["title"] + v["description"]) for v in r.get("variants", []))
        or "hetres" in _fold(r["title"] + r["description"])
        for r in records
    )
    assert expected == 1
    page.get_by_label("Rechercher").fill("HETRES")
    assert _visible_cards(page) == expected
    assert page.locator("#rr-shown").inner_text() == str(expected)
    page.get_by_label("Rechercher").fill("aucune réutilisation ne parle de ça")
    assert _visible_cards(page) == 0
    assert page.locator("#rr-empty").is_visible()


def test_index_is_usable_with_the_keyboard(site, page):
    page.goto((site / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller aux réutilisations"
    page.keyboard.press("Enter")
    # From the skip link, the first Tab reaches the first card.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.rr-card') !== null")
    page.locator("#rr-q").focus()
    page.keyboard.type("grands")
    assert _visible_cards(page) == 1


def _local_bytes(urls: list[str]) -> int:
    return sum(Path(unquote(urlsplit(url).path)).stat().st_size for url in set(urls))


def test_index_is_light_and_clean_offline(site, page):
    page.goto((site / "index.html").as_uri(), wait_until="load")
    page.wait_for_timeout(500)
    assert page.missing == [] and page.errors == [] and page.refused == []
    weight = _local_bytes(page.fetched)
    assert 0 < weight <= INDEX_BUDGET, f"index fetched {weight} bytes"


def _image_size(path: Path) -> tuple[str, tuple[int, int]]:
    from PIL import Image

    with Image.open(path) as image:
        return image.format, image.size


def test_card_pictures_are_webp_and_png_at_display_size(site, page, records):
    page.goto((site / "index.html").as_uri())
    picture = page.locator(f'.rr-card:has(a[href="reutilisations/{REUSE}.html"]) picture')
    webp = picture.locator("source[type='image/webp']").get_attribute("srcset")
    img = picture.locator("img")
    assert (img.get_attribute("width"), img.get_attribute("height")) == tuple(
        str(n) for n in CARD_SIZE
    )
    png = img.get_attribute("srcset")
    for srcset, kind in ((webp, "WEBP"), (png, "PNG")):
        files = dict(item.rsplit(" ", 1)[::-1] for item in srcset.split(", "))
        assert sorted(files) == sorted(f"{CARD_SIZE[0] * d}w" for d in DENSITIES)
        for density in DENSITIES:
            path = site / files[f"{CARD_SIZE[0] * density}w"]
            assert _image_size(path) == (kind, (CARD_SIZE[0] * density, CARD_SIZE[1] * density))
    # The browser chose the WebP file, and drew it.
    current = img.evaluate("i => i.complete && i.naturalWidth > 0 ? i.currentSrc : ''")
    assert current.endswith(".webp")


def _scroll_through(page) -> None:
    """Scroll down the page as a reader would: widgets are drawn as they come into view."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 500):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(150)


def test_reuse_page_renders_map_and_chart_offline(site, page):
    page.goto((site / "reutilisations" / f"{REUSE}.html").as_uri())
    _scroll_through(page)
    page.wait_for_selector(".leaflet-container", timeout=60_000)
    page.wait_for_selector("svg.svg-figure", timeout=60_000)
    assert page.locator(".leaflet-marker-icon, path.leaflet-interactive").count() > 0
    # Only map tiles may be wanted from outside; the page's own code is all local.
    assert all("tile.openstreetmap" in url for url in page.refused), page.refused


def test_map_keeps_its_commune_background_with_tiles_blocked(site, page):
    """Offline the tiles fail; the outlines and names of the communes stay under the points."""
    page.goto((site / "reutilisations" / f"{REUSE}.html").as_uri())
    _scroll_through(page)
    page.wait_for_selector(".leaflet-rr-fond-pane path", timeout=60_000)
    assert any("tile.openstreetmap" in url for url in page.refused), "tiles were not asked for"
    drawn = page.locator(".leaflet-rr-fond-pane path").evaluate_all(
        "paths => paths.filter(p => (p.getAttribute('d') || '').length > 10).length"
    )
    assert drawn > 0
    names = page.locator(".leaflet-rr-noms-pane").first.inner_text()
    assert names.strip(), "no commune name on the offline map"


def test_reuse_page_lists_its_variants_and_says_its_settings_in_french(site, page, records):
    record = next(r for r in records if r["slug"] == REUSE)
    page.goto((site / "reutilisations" / f"{REUSE}-{record['variants'][0]['slug']}.html").as_uri())
    facts = page.locator(".rr-facts").inner_text()
    assert "Réglages de cette version" in facts and "=" not in facts
    assert record["variants"][0]["description"] in page.locator(".rr-lead").inner_text()
    page.get_by_text("Aussi :").click()
    others = page.locator(".rr-family li")
    assert others.count() == len(record["variants"])
    assert page.get_by_role("link", name=record["title"]).count() >= 1


def test_code_is_hidden_until_asked_for(site, page):
    page.goto((site / "reutilisations" / f"{REUSE}.html").as_uri())
    # Out of the page until asked for: its elements are not laid out nor counted.
    assert page.locator(".jp-CodeCell .jp-Cell-inputWrapper").count() == 0
    waiting = page.locator("template.rr-code").count()
    assert waiting == page.locator(".jp-CodeCell").count() > 0
    page.get_by_text("Voir le code").click()
    code = page.locator(".jp-CodeCell .jp-Cell-inputWrapper")
    assert code.count() == waiting and code.first.is_visible()
    assert "foret" in code.first.inner_text()  # the parameters cell, first
    page.get_by_text("Voir le code").click()
    assert not code.first.is_visible()
    assert not page.errors


def test_without_javascript_no_code_switch_that_would_show_nothing(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "reutilisations" / f"{REUSE}.html").as_uri())
    assert not page.get_by_text("Voir le code").is_visible()
    assert page.locator(".rr-lead").is_visible()  # the page's text is there
    context.close()


@pytest.mark.parametrize(
    ("path", "impacts"),
    [
        ("index.html", {"minor", "moderate", "serious", "critical"}),
        # Widget internals (ipywidgets, bqplot tables) are not the page's own markup yet.
        (f"reutilisations/{REUSE}.html", {"serious", "critical"}),
    ],
)
def test_no_accessibility_violation(site, page, path, impacts):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/browser)")
    page.goto((site / path).as_uri())
    page.wait_for_timeout(2000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
    assert violations == []


def test_thumbnails_are_shot_again_for_changed_pages(built):
    """Last in the module: it changes the ok fixture's code and rebuilds."""
    site = built.site_dir
    shot = {slug: built.cache_dir / slug / "thumbnail.png" for slug in (REUSE, "ok")}
    before = {slug: path.stat().st_mtime_ns for slug, path in shot.items()}
    # A reuse's variants share its picture: none is shot.
    assert not (built.cache_dir / "ok-grands" / "thumbnail.png").exists()
    # The map page's picture frames its map: not the same image as a page without one.
    assert (site / "thumbnails" / f"{REUSE}-400.webp").read_bytes() != (
        site / "thumbnails" / "ok-400.webp"
    ).read_bytes()

    notebook = built.notebooks_dir / "ok.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    # Text only: the widget libraries the site ships stay the same, so other pages do too.
    nb["cells"][-1]["source"] += "\nprint('Une ligne de plus')"
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    summary = Builder(built).build()
    assert summary.ok, summary.table()
    retaken = {slug for slug, path in shot.items() if path.stat().st_mtime_ns != before[slug]}
    # The changed page is shot again. (Whether the untouched map page keeps its shot
    # follows the page-body key of rouen_gallery.pages, which today also changes.)
    assert "ok" in retaken
    assert _image_size(site / "thumbnails" / f"{REUSE}-800.webp") == ("WEBP", (800, 500))
