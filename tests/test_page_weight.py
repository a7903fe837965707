"""Light reuse pages: shared files named by their content, pre-compressed, and a page
downloading only the widget code its widgets use, without a failed request or a
console error, and usable before any of it has run (native controls over the pictures).

A tiny gallery (arbres-remarquables: a map and charts; the ``ok`` fixture: ipywidgets
only) is built once for the module, then served over HTTP the way nginx serves it
(:mod:`rouen_gallery.static_server`).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import shutil
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import brotli
import pytest
from PIL import Image

from rouen_gallery import assets, pictures, render
from rouen_gallery.build import STATE_FILE, Builder
from rouen_gallery.compress import MIN_BYTES, TEXT_SUFFIXES
from rouen_gallery.settings import BuildSettings
from rouen_gallery.static_server import HASHED, serving
from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).resolve().parent.parent
MAP_PAGE = "arbres-remarquables"
PLAIN_PAGE = "ok"
SITE_FILES = {"site.css", "favicon.svg"}
"""The site's own files (gallery/assets/), shared with the index under fixed names."""
WIDGET_STATE = re.compile(
    r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', re.S
)
# A 1×1 transparent PNG answering map tile requests: the page must not fail without network.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def test_renderer_is_cut_into_its_modules():
    source = "\n".join(
        f'/*! For license information please see {n}.LICENSE.txt */\ndefine("{n}",[],()=>1);\n'
        "//# sourceMappingURL=x.js.map;\n"
        for n in assets.RENDERER_MODULES
    )
    parts = assets.split_renderer(source)
    assert list(parts) == list(assets.RENDERER_MODULES)
    for name, code in parts.items():
        assert code.startswith("/*! For license") and f'define("{name}"' in code
        assert "sourceMappingURL" not in code
    assert assets.split_renderer(source.replace("base7", "other")) is None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("page-weight")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / f"{MAP_PAGE}.ipynb", notebooks)
    shutil.copy(ROOT / "tests" / "fixtures" / "gallery" / f"{PLAIN_PAGE}.ipynb", notebooks)
    settings = BuildSettings(
        notebooks_dir=notebooks,
        site_dir=tmp / "site",
        cache_dir=tmp / "cache",
        external_file=tmp / "external.yaml",
        thumbnails="drawn",
        progress=False,
    )
    summary = Builder(settings).build()
    assert summary.ok, summary.table()
    return settings.site_dir


def _page(site: Path, slug: str) -> str:
    return (site / "reutilisations" / f"{slug}.html").read_text(encoding="utf-8")


def _used_modules(html: str) -> set[str]:
    state = json.loads(WIDGET_STATE.search(html).group(1))["state"]
    return {m["model_module"] for m in state.values()} | {
        m["state"].get("_view_module") for m in state.values()
    }


@pytest.mark.slow
def test_every_text_file_has_gzip_and_brotli_copies(site):
    texts = [
        p
        for p in site.rglob("*")
        if p.is_file()
        and p.suffix in TEXT_SUFFIXES
        and p.stat().st_size >= MIN_BYTES
        and p.name != STATE_FILE  # the build's own record, written after, never linked
    ]
    assert any(p.suffix == ".html" for p in texts) and any(p.suffix == ".js" for p in texts)
    for path in texts:
        data = path.read_bytes()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path


@pytest.mark.slow
def test_shared_files_are_named_by_their_content(site):
    html = _page(site, MAP_PAGE)
    urls = set(re.findall(r'"\.\./assets/([^"]+)"', html)) - SITE_FILES
    assert len(urls) > len(assets.WIDGET_BUNDLES), urls
    for url in urls:
        assert HASHED.search(url + "/"), f"{url} carries no content hash"
        named = re.fullmatch(r"(?:vendor/)?[\w-]+\.([0-9a-f]{10})\.(?:js|css)", url)
        if named:  # a file named by its own bytes
            data = (site / "assets" / url).read_bytes()
            assert hashlib.sha256(data).hexdigest().startswith(named.group(1)), url
        else:  # a file inside a folder named by the folder's content
            assert re.match(r"vendor/[\w-]+-[0-9a-f]{10}/", url), url
            assert (site / "assets" / (url + ".js")).is_file(), url


@pytest.mark.slow
def test_a_page_names_only_the_widget_libraries_it_uses(site):
    for slug in (MAP_PAGE, PLAIN_PAGE):
        html = _page(site, slug)
        wanted = sorted(_used_modules(html) & set(assets.WIDGET_BUNDLES))
        attribute = re.search(r"""data-libraries=(["'])(.*?)\1""", html).group(2)
        named = json.loads(unescape(attribute))
        assert named == wanted, slug
        config = json.loads(re.search(r"var require = (\{.*?\});</script>", html).group(1))
        assert sorted(set(config["paths"]) & set(assets.WIDGET_BUNDLES)) == wanted
    assert wanted == [], "the ok fixture was expected to use ipywidgets only"


@pytest.mark.slow
def test_each_widget_has_pictures_with_their_size_and_a_french_description(site):
    if chromium_path() is None:
        pytest.skip("no Chromium: pages are built without widget pictures")
    html = _page(site, MAP_PAGE)
    pictures = re.findall(r'<picture class="rr-widget-picture">.*?</picture>', html)
    # Widgets with no size on the page (the empty notice area above a dashboard, the sources
    # box the static page hides for its own) get no picture; every drawn one does.
    views = html.count('type="application/vnd.jupyter.widget-view+json"')
    assert 1 <= len(pictures) <= views
    for tag in pictures:
        # One picture for phones, one for wider windows, each with its own size.
        sources = re.findall(r'(?:srcset|src)="([^"]+)" width="(\d+)" height="(\d+)"', tag)
        assert len(sources) == 2, tag
        for src, width, height in sources:
            with Image.open(site / "reutilisations" / src) as image:
                assert image.format == "WEBP"
                assert image.size == (int(width), int(height))
        assert int(sources[0][1]) < int(sources[1][1])
        assert "image en attendant la version interactive" in re.search(r'alt="([^"]+)"', tag)[1]
    assert "Carte" in pictures[0]


sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        pytest.skip("no Chromium on this machine (CI installs Debian's chromium)")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _site_only(context, base: str) -> None:
    """Serve the site; answer any request off the machine (map tiles) with a local PNG."""
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(base)
            else r.fulfill(status=200, content_type="image/png", body=TILE)
        ),
    )


@contextmanager
def _map_page_drawn(site: Path, browser):
    """The map page at a laptop's size once every widget is drawn (map tiles answered
    locally); the page's script errors collect in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        with serving(site) as base:
            _site_only(context, base)
            page = context.new_page()
            page.errors = []
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.goto(f"{base}reutilisations/{MAP_PAGE}.html", wait_until="load")
            page.wait_for_function("document.documentElement.dataset.rrQuick === 'ready'")
            page.evaluate("rrWidgets.drawAll()")
            page.wait_for_function("document.documentElement.dataset.rrWidgets === 'drawn'")
            yield page
    finally:
        context.close()


def _visit(browser, url: str) -> dict:
    """Open ``url``, draw every widget; what was asked for, what failed, console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    local = url.split("/reutilisations/")[0]
    seen = {"requests": [], "failed": [], "errors": []}

    def route(request_route):
        if request_route.request.url.startswith(local):
            request_route.continue_()
        else:
            request_route.fulfill(status=200, content_type="image/png", body=TILE)

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and seen["failed"].append(f"{r.url} {r.status}"))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(url, wait_until="domcontentloaded")
    seen["height_before"] = page.evaluate("document.body.scrollHeight")
    page.wait_for_function("document.documentElement.dataset.rrWidgets", timeout=10_000)
    page.evaluate("rrWidgets.drawAll()")
    seen["height_drawn"] = page.evaluate("document.body.scrollHeight")
    page.wait_for_timeout(3_500)  # maps and charts have taken their size
    seen["height_after"] = page.evaluate("document.body.scrollHeight")
    seen["pictures_left"] = page.locator(".rr-widget-picture, .rr-quick-controls").count()
    seen["leaflet"] = page.locator(".leaflet-container").count()
    seen["figures"] = page.locator("svg.svg-figure").count()
    seen["status"] = page.evaluate("document.documentElement.dataset.rrWidgets")
    context.close()
    return seen


@pytest.mark.slow
@pytest.mark.browser
def test_map_page_draws_every_widget_without_a_failed_request_or_error(site, browser):
    with serving(site) as base:
        seen = _visit(browser, f"{base}reutilisations/{MAP_PAGE}.html")
    assert seen["failed"] == [] and seen["errors"] == []
    assert seen["status"] == "drawn"
    assert seen["leaflet"] >= 1 and seen["figures"] >= 1
    # Each picture gave way to its widget, which took its place without moving the page.
    assert seen["pictures_left"] == 0
    for moment in ("height_drawn", "height_after"):
        assert abs(seen[moment] - seen["height_before"]) < 0.02 * seen["height_before"], seen
    asked = " ".join(seen["requests"])
    for name in ("jupyter-leaflet", "bqplot"):
        assert f"/assets/vendor/{name}-" in asked
    # The ipywidgets 7 compatibility modules are never needed by these pages.
    assert "base7" not in asked and "controls7" not in asked


@pytest.mark.slow
@pytest.mark.browser
def test_plain_page_downloads_no_map_nor_chart_library(site, browser):
    with serving(site) as base:
        seen = _visit(browser, f"{base}reutilisations/{PLAIN_PAGE}.html")
    assert seen["failed"] == [] and seen["errors"] == []
    assert seen["status"] == "drawn"
    asked = " ".join(seen["requests"])
    for name in assets.WIDGET_BUNDLES:
        assert f"/vendor/{name}-" not in asked


def test_a_widget_drawn_with_no_size_is_marked_and_others_get_their_picture():
    view = pictures.VIEW_TAG + '{"model_id": "m"}</script>'
    picture = pictures.Picture("p-2.webp", 640, 480, "p-etroit-2.webp", 380, 600, "Carte")
    html = pictures.with_pictures(
        f"<p>a</p>{view}<p>b</p>{view}{view}", [pictures.EMPTY, picture, None]
    )
    first, second, third = html.split(pictures.VIEW_TAG)[:3]
    assert first.endswith(pictures.EMPTY_MARK)
    assert second.endswith("</picture>") and 'width="640" height="480"' in second
    assert "rr-widget-empty" not in second and "<picture" not in third


def test_built_page_marks_its_empty_widgets(site):
    html = _page(site, MAP_PAGE)
    before = [part[-3000:] for part in html.split(pictures.VIEW_TAG)[:-1]]
    marks = [part.endswith(pictures.EMPTY_MARK) for part in before]
    # The notice (empty on a page built with valid values) and the sources box the static
    # page hides have no size; the dashboard has its picture.
    assert marks == [True, False, True], before
    # The picture, then the native drop-downs over it.
    picture_end, layer = before[1].rfind("</picture>"), before[1].rfind('<div class="rr-quick-')
    assert before[1].endswith("</div>") and 0 < picture_end < layer


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("window", [(412, 823), (1280, 900)], ids=["phone", "laptop"])
def test_reader_runs_no_widget_code_until_scrolling_near_a_widget(site, browser, window):
    """The map page's first screen is its text, on a phone as on a laptop: none of the
    renderer nor of the widget libraries is asked for until the visitor scrolls near the
    dashboard, which is then drawn where its picture was."""
    width, height = window
    context = browser.new_context(viewport={"width": width, "height": height})
    asked: list[str] = []
    errors: list[str] = []
    with serving(site) as base:
        _site_only(context, base)
        page = context.new_page()
        page.on("request", lambda r: asked.append(r.url))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}reutilisations/{MAP_PAGE}.html", wait_until="load")
        page.wait_for_function("document.documentElement.dataset.rrWidgets === 'first-screen'")
        page.wait_for_timeout(1_500)  # time enough to ask for anything it would ask for
        before = " ".join(asked)
        picture = page.locator("picture.rr-widget-picture").first
        assert picture.evaluate("p => p.getBoundingClientRect().top") > height + 150
        picture.scroll_into_view_if_needed()
        page.wait_for_selector(".leaflet-container", timeout=60_000)
        page.wait_for_function(
            "document.querySelectorAll('picture.rr-widget-picture').length === 0"
        )
        context.close()
    for module in ("html-manager", "jupyter-leaflet", "bqplot"):
        assert f"/assets/vendor/{module}" not in before, module
        assert f"/assets/vendor/{module}" in " ".join(asked), module
    assert errors == []


def _measured(name: str, x: float, selected: int = 0, options=("Toutes", "Roumare")) -> dict:
    return {
        "name": name,
        "kind": "choice",
        "x": x,
        "y": 20,
        "width": 100,
        "height": 25,
        "label": "Forêt",
        "options": list(options),
        "selected": selected,
        "value": "",
    }


def test_quick_controls_take_the_address_values_and_their_box_in_each_picture():
    parts = {
        "foret": {"name": "foret", "kind": "choice", "values": ["Toutes", "Forêt <R>"]},
        "ligne": {"name": "ligne", "kind": "choice", "values": ["T1"], "follows": ["mode"]},
    }
    wide = (1000, 500, [_measured("foret", 100, 1), _measured("autre", 0)])
    narrow = (400, 1000, [_measured("foret", 40, 1), _measured("autre", 0)])
    controls = pictures.quick_controls(wide, narrow, parts)
    # "autre" is no parameter of the page: the widget draws it, no native control.
    assert [c["name"] for c in controls] == ["foret"]
    (foret,) = controls
    assert foret["choices"] == [("Toutes", "Toutes"), ("Forêt <R>", "Roumare")]
    assert foret["value"] == "Forêt <R>"
    assert foret["wide"] == [10.0, 4.0, 10.0, 5.0]
    assert foret["narrow"] == [10.0, 2.0, 25.0, 2.5]
    # A drop-down whose choices are not exactly the parameter's is left to the widget.
    three = (1000, 500, [_measured("foret", 1, options=("a", "b", "c"))])
    assert pictures.quick_controls(three, three, parts) == []
    missing_narrow = (400, 1000, [])
    assert pictures.quick_controls(wide, missing_narrow, parts) == []

    picture = pictures.Picture("p.webp", 1000, 500, "p-e.webp", 400, 1000, "Carte", controls)
    html = pictures.quick_controls_html(picture)
    assert html.startswith('<div class="rr-quick-controls" hidden ')
    assert "--pw:1000px" in html and "--nar:400/1000" in html
    # The page's choice in the list, every choice in a template filled in on demand.
    assert '" data-rr-follows=""><option value="Forêt &lt;R&gt;" selected>Roumare</option>' in html
    assert (
        '</select><template class="rr-quick-options"><option value="Toutes">Toutes</option>'
        '<option value="Forêt &lt;R&gt;" selected>Roumare</option></template>'
    ) in html
    assert '<select aria-label="Forêt" data-rr-param="foret" data-rr-follows="">' in html
    assert "--x:10%;--y:4%;--w:10%;--h:5%;--nx:10%" in html
    assert pictures.quick_controls_html(pictures.Picture("p", 1, 1, "q", 1, 1, "C")) == ""


def test_built_page_writes_its_choices_as_native_controls_with_the_address_values(site):
    if chromium_path() is None:
        pytest.skip("no Chromium: pages are built without widget pictures")
    html = _page(site, MAP_PAGE)
    parts = pictures.parameter_parts(html)
    layers = re.findall(r'<div class="rr-quick-controls" hidden.*?</div></div>', html)
    assert len(layers) == 1, "the dashboard's picture carries its two drop-downs"
    for name in ("foret", "essence"):
        select = re.search(
            rf'<select [^>]*data-rr-param="{name}"[^>]*>(.*?)</select>'
            r'<template class="rr-quick-options">(.*?)</template>',
            layers[0],
        )
        assert select.group(1) == '<option value="Toutes" selected>Toutes</option>'
        values = [unescape(v) for v in re.findall(r'value="([^"]*)"', select.group(2))]
        assert values == parts[name]["values"]


def _blocked_widget_code(context, base: str, asked: list[str]) -> None:
    """Serve the site, but no widget code (renderer, map and chart libraries)."""

    def route(r):
        url = r.request.url
        if not url.startswith(base):
            r.fulfill(status=200, content_type="image/png", body=TILE)
        elif any(f"/assets/vendor/{m}" in url for m in ("html-manager", "jupyter-leaflet", "bq")):
            asked.append(url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("window", [(360, 740), (1280, 900)], ids=["phone", "laptop"])
def test_a_choice_is_usable_on_the_picture_before_any_widget_code(site, browser, window):
    """With no widget code at all (blocked), the dashboard's picture carries native
    drop-downs at the place of its own: choosing a forest opens its precomputed page;
    choosing a combination the site does not hold says so and puts the choice back."""
    width, height = window
    context = browser.new_context(viewport={"width": width, "height": height})
    asked: list[str] = []
    errors: list[str] = []
    with serving(site) as base:
        _blocked_widget_code(context, base, asked)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}reutilisations/{MAP_PAGE}.html", wait_until="load")
        page.wait_for_function("document.documentElement.dataset.rrQuick === 'ready'")
        foret = page.get_by_label("Forêt", exact=True)
        foret.scroll_into_view_if_needed()
        # The native control sits on the picture's own drop-down, inside the picture.
        box, picture = foret.bounding_box(), page.locator("picture.rr-widget-picture img")
        frame = picture.first.bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert frame["y"] < box["y"] < frame["y"] + 0.2 * frame["height"]
        essence = page.get_by_label("Essence", exact=True)
        assert essence.locator("option").count() == 1  # the rest comes when reached for
        essence.click()
        page.keyboard.press("Escape")
        assert essence.locator("option").count() == 8
        essence.select_option("Douglas")
        page.wait_for_function("document.documentElement.dataset.rrSwitch === 'not-here'")
        assert page.get_by_label("Essence", exact=True).input_value() == "Toutes"
        assert "calculés à l'avance" in page.locator("#rr-switch-note").inner_text()
        foret.focus()
        with page.expect_navigation():
            foret.select_option("Forêt domaniale de Roumare")
        assert page.url.endswith(f"/{MAP_PAGE}-roumare.html")
        page.wait_for_function("document.documentElement.dataset.rrQuick === 'ready'")
        assert page.get_by_label("Forêt", exact=True).input_value() == "Forêt domaniale de Roumare"
        context.close()
    # Only the blocked widget code is missing (require.js says so for the renderer).
    assert [e for e in errors if "html-manager" not in e] == []
    # Seeing the dashboard asked for its widget code (blocked here): the picture was near.
    assert asked


@pytest.mark.slow
@pytest.mark.browser
def test_the_native_controls_go_with_the_picture_once_the_widget_is_drawn(site, browser):
    with _map_page_drawn(site, browser) as page:
        assert page.locator(".rr-quick-controls, .rr-widget-picture").count() == 0
        # The drop-downs left are the drawn widget's own.
        assert page.locator("[data-rr-param]").count() == 0
        assert page.locator(".rr-param-foret select").count() == 1


def test_a_closed_disclosure_keeps_its_table_in_a_template_until_opened():
    table = "<table><caption>Hauteur</caption><tr><td>12,5</td></tr></table>"
    html = (
        '<p>Texte</p><details class="rr-details"><summary>Voir les données en tableau</summary>'
        f"{table}</details>"
    )
    deferred = render.defer_disclosures(html)
    assert deferred == (
        '<p>Texte</p><details class="rr-details"><summary>Voir les données en tableau</summary>'
        f'<template class="rr-later">{table}</template></details>'
    )
    # Left as they are: no disclosure, one open, one with only words, one already deferred.
    for same in (
        "<p>Texte</p>",
        f'<details class="rr-details" open><summary>Tableau</summary>{table}</details>',
        '<details class="rr-details"><summary>Pourquoi</summary>Parce que.</details>',
        deferred,
    ):
        assert render.defer_disclosures(same) == same
    # Nested: the inner disclosure comes with the outer one, whole.
    nested = (
        '<details class="rr-details"><summary>A</summary><p>x</p>'
        f'<details class="rr-details"><summary>B</summary>{table}</details></details>'
    )
    assert render.defer_disclosures(nested).count("<template") == 1


def test_only_html_widgets_get_their_disclosures_deferred():
    details = '<details class="rr-details"><summary>S</summary><table></table></details>'
    state = {
        "state": {
            "a": {"model_name": "HTMLModel", "state": {"value": details}},
            "b": {"model_name": "LabelModel", "state": {"value": details}},
            "c": {"model_name": "HTMLModel", "state": {}},
        }
    }
    render.defer_widget_disclosures(state)
    assert "rr-later" in state["state"]["a"]["state"]["value"]
    assert state["state"]["b"]["state"]["value"] == details
    assert state["state"]["c"]["state"] == {}


@pytest.mark.slow
@pytest.mark.browser
def test_a_data_table_is_in_the_page_once_its_disclosure_is_opened(site, browser):
    with _map_page_drawn(site, browser) as page:
        closed = page.locator("details.rr-details").filter(has_text="Voir les données en tableau")
        assert closed.count() >= 2
        assert page.locator("details.rr-details table").count() == 0
        assert page.locator("details.rr-details > template.rr-later").count() >= 2
        closed.first.locator("summary").click()
        table = closed.first.locator("table")
        table.wait_for(state="visible")
        assert "Hauteur" in table.locator("caption").inner_text()
        assert page.locator("details.rr-details table").count() == 1  # the others wait
        assert page.errors == []
