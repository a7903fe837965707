"""Static first, live on demand: a reuse page changes version without any server.

A tiny gallery (the « réglages » fixture: a drop-down bound to ``hauteur_min``, with a
variant precomputed at 30 m) is built twice, once with a published Voilà address and once
without. In headless Chromium, from the files on disk with the network off: choosing the
variant's value opens the variant's page (no request but the site's files, history
kept); any other value hands over to the live dashboard with the same parameters in the
address the dashboard reads, with a French note — or, without a published dashboard,
says in French that the combination is only in the interactive version. Deep links
(``?hauteur_min=30``) do the same. Skipped, with the reason, without Chromium or Playwright.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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
FIXTURE = ROOT / "tests" / "fixtures" / "switch" / "reglages.ipynb"
LINES_FIXTURE = FIXTURE.with_name("lignes.ipynb")
"""A line drop-down whose options follow the mode (variants: Métro; TEOR, line T4)."""
VOILA = "https://voila.example.org/tableaux"
"""A published dashboard address (never reached: the browser test answers for it)."""
SELECT = ".rr-param-hauteur_min select"


def _build(tmp: Path, voila_url: str, cache: Path) -> Path:
    notebooks = tmp / "notebooks"
    notebooks.mkdir(exist_ok=True)
    shutil.copy(FIXTURE, notebooks)
    shutil.copy(LINES_FIXTURE, notebooks)
    settings = BuildSettings(
        notebooks_dir=notebooks,
        site_dir=tmp / "site",
        cache_dir=cache,
        external_file=tmp / "external.yaml",
        thumbnails="drawn",
        voila_url=voila_url,
        progress=False,
        jobs=1,
    )
    summary = Builder(settings).build()
    assert summary.ok, summary.table()
    return settings.site_dir / "reutilisations"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The reuse pages folder of the gallery built with, and without, a published Voilà."""
    cache = tmp_path_factory.mktemp("switch-cache")
    return {
        "live": _build(tmp_path_factory.mktemp("switch-live"), VOILA, cache),
        "static": _build(tmp_path_factory.mktemp("switch-static"), "", cache),
    }


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A page reading local files only; the published dashboard's address is answered with
    a small page (and recorded); anything else (a kernel, a CDN) is refused and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.refused, page.missing, page.errors, page.live = [], [], [], []

    def route(route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        elif url.startswith(VOILA + "/"):
            page.live.append(url)
            route.fulfill(status=200, content_type="text/html", body="<p>Voilà</p>")
        else:
            page.refused.append(url)
            route.abort()

    context.route("**/*", route)

    def failed(request):
        # A load cut short because the page moved on (ERR_ABORTED) is not a missing file.
        if request.url.startswith("file:") and "ERR_ABORTED" not in (request.failure or ""):
            page.missing.append(f"{request.url} ({request.failure})")

    page.on("requestfailed", failed)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def _open(page, path: Path, query: str = "") -> None:
    page.goto(path.as_uri() + query)
    page.wait_for_selector(SELECT)


def _shown(page) -> str:
    """The drop-down's chosen label (ipywidgets writes its spaces as no-break spaces)."""
    text = page.eval_on_selector(SELECT, "s => s.selectedOptions[0].text")
    return text.replace("\xa0", " ")


def _clean(page) -> None:
    assert page.refused == [], page.refused
    assert page.missing == [], page.missing
    assert page.errors == [], page.errors


def test_each_page_carries_its_precomputed_states(pages):
    html = (pages["live"] / "reglages.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="rr-states">(.*?)</script>', html)
    assert found, "no precomputed states in the page"
    grid = json.loads(found.group(1))
    assert grid["page"] == "reglages.html"
    assert grid["defaults"] == {"hauteur_min": "0"}
    assert grid["states"] == [
        {"href": "reglages.html", "values": {"hauteur_min": "0"}},
        {"href": "reglages-grands.html", "values": {"hauteur_min": "30"}},
    ]
    assert grid["live"] == f"{VOILA}/voila/render/reglages.ipynb"
    static = (pages["static"] / "reglages-grands.html").read_text(encoding="utf-8")
    assert '"live": ""' in static and '"page": "reglages-grands.html"' in static


def test_a_precomputed_value_opens_its_page_without_any_server(pages, page):
    _open(page, pages["live"] / "reglages.html")
    page.select_option(SELECT, label="30 m et plus")
    page.wait_for_url("**/reglages-grands.html")
    page.wait_for_selector(SELECT)
    assert _shown(page) == "30 m et plus"
    assert page.text_content(".seuil") == "Seuil : 30 m"
    page.go_back()  # the history is kept
    page.wait_for_url("**/reglages.html")
    page.wait_for_selector(SELECT)
    assert _shown(page) == "Tous les arbres"
    page.select_option(SELECT, label="30 m et plus")
    page.wait_for_url("**/reglages-grands.html")
    page.select_option(SELECT, label="Tous les arbres")  # and back, from the variant
    page.wait_for_url("**/reglages.html")
    assert page.live == []
    _clean(page)


def test_a_value_outside_the_grid_hands_over_to_the_live_dashboard(pages, page):
    _open(page, pages["live"] / "reglages-grands.html")
    with page.expect_navigation(url=re.compile(re.escape(VOILA))):
        page.select_option(SELECT, label="20 m et plus")
    assert len(page.live) == 1
    address = urlsplit(page.live[0])
    assert f"{address.scheme}://{address.netloc}{address.path}" == (
        f"{VOILA}/voila/render/reglages.ipynb"
    )
    assert parse_qs(address.query) == {"hauteur_min": ["20"]}
    _clean(page)


def test_the_handover_note_is_french_with_a_link(pages, page):
    asked = []

    def no_content(route):  # 204: the browser stays on the page, the note can be read
        asked.append(route.request.url)
        route.fulfill(status=204)

    page.route(f"{VOILA}/**", no_content)
    _open(page, pages["live"] / "reglages.html")
    href = f"{VOILA}/voila/render/reglages.ipynb?hauteur_min=20"
    with page.expect_request(href):
        page.select_option(SELECT, label="20 m et plus")
    note = page.wait_for_selector("#rr-switch-note")
    assert note.text_content().startswith(
        "Ouverture du tableau de bord interactif… le calcul démarre, quelques secondes."
    )
    assert note.eval_on_selector("a", "a => a.href") == href
    assert note.get_attribute("role") == "status"
    assert page.get_attribute("html", "data-rr-switch") == "to-live"
    assert asked == [href]
    _clean(page)


def test_without_a_published_dashboard_the_page_says_where_to_change_it(pages, page):
    _open(page, pages["static"] / "reglages.html")
    page.select_option(SELECT, label="20 m et plus")
    note = page.wait_for_selector("#rr-switch-note")
    text = note.text_content()
    assert "disponibles que dans la version interactive" in text
    assert "JupyterLab" in text
    assert "labpath=notebooks%2Freglages.ipynb" in note.eval_on_selector("a", "a => a.href")
    assert page.url.endswith("/reglages.html")  # the page stays, its results are said to
    page.select_option(SELECT, label="30 m et plus")  # the grid still works
    page.wait_for_url("**/reglages-grands.html")
    assert page.live == []
    _clean(page)


def test_deep_links_open_a_precomputed_state_or_hand_over(pages, page):
    _open(page, pages["live"] / "reglages.html", "?hauteur_min=30")
    page.wait_for_url("**/reglages-grands.html")
    page.wait_for_selector(SELECT)
    assert _shown(page) == "30 m et plus"
    with page.expect_navigation(url=re.compile(re.escape(VOILA))):
        page.goto((pages["live"] / "reglages-grands.html").as_uri() + "?hauteur_min=20")
    assert parse_qs(urlsplit(page.live[-1]).query) == {"hauteur_min": ["20"]}
    page.goto((pages["live"] / "reglages-grands.html").as_uri() + "?hauteur_min=30")
    page.wait_for_selector(SELECT)  # its own values: the page stays
    assert page.url.endswith("reglages-grands.html?hauteur_min=30")
    assert page.get_attribute("html", "data-rr-switch") is None
    _clean(page)


def test_a_line_following_its_mode_is_not_carried_to_another_mode(pages, page):
    """On the static page the line drop-down offers this page's mode's lines; changing
    the mode brings the line back to its default, as the live dashboard would."""
    mode = ".rr-param-mode select"
    _open_at(page, pages["live"] / "lignes-teor-t4.html", mode)
    page.select_option(mode, label="Métro")  # precomputed with all its lines
    page.wait_for_url("**/lignes-metro.html")
    page.wait_for_selector(mode)
    assert page.text_content(".choix") == "Métro Toutes"
    page.go_back()
    page.wait_for_url("**/lignes-teor-t4.html")
    page.wait_for_selector(mode)
    with page.expect_navigation(url=re.compile(re.escape(VOILA))):
        page.select_option(mode, label="Bus")  # not precomputed: the live one, without T4
    assert parse_qs(urlsplit(page.live[-1]).query) == {"mode": ["Bus"]}
    _clean(page)


def _open_at(page, path: Path, selector: str) -> None:
    page.goto(path.as_uri())
    page.wait_for_selector(selector)
