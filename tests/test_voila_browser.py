"""The live dashboards in headless Chromium: what a citizen actually gets.

One preheated Voilà (the repository's config) serves the fixture dashboards of
``tests/fixtures/voila`` — real data through ``load_dataset``, ipywidgets controls, an
ipyleaflet map, a bqplot chart, and two that fail — plus every notebook of
``notebooks/`` that reads its parameters with ``rouen_gallery.live``. Pools hold one
kernel per planned visit and are not refilled during the run (``VISITS``): every visit
gets a warm kernel and no refill competes for the CPU, which keeps the suite short.
Pages that several tests only read are opened once per module. The gallery notebooks
(heavier; also marked ``slow``) have their own server, warming up meanwhile.

Skipped, with the reason, without Chromium or Playwright; the accessibility checks
also need axe-core (``npm ci --prefix tests/browser``).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import nbformat
import pytest
from voila_server import VoilaServer, run_voila, wait_for_pools

from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)
if chromium_path() is None:
    pytest.skip(
        "no Chromium on this machine (CI installs Debian's chromium)", allow_module_level=True
    )

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures" / "voila"
NOTEBOOKS = TESTS.parent / "notebooks"
AXE = TESTS / "browser" / "node_modules" / "axe-core" / "axe.min.js"
GALLERY_URL = "https://galerie.example.org/reutilisations/"
TIMEOUT_MS = 60_000
TRACEBACK = re.compile(r"Traceback|File \"|\w+Error:|Exception:|ipykernel_\d+|SECRET-4\d")
"""Traceback text that must never reach a page (SECRET-4x: the fixtures' error details)."""
FORETS = ("Forêt domaniale Verte", "Forêt domaniale de Roumare")


MAP_MAKERS = ("crossing_map(", "base_map(", "ipyleaflet.Map(")
"""A notebook whose code, or one of its boards (``widgets/*_board.py``), calls one of
these shows a map (.leaflet-container)."""
WIDGETS = TESTS.parent / "widgets"
VISITS = {"trees_dashboard.ipynb": 4, "broken.ipynb": 2, "broken_before_import.ipynb": 2}
"""Dashboard visits the tests below make, per fixture (gallery notebooks: one each)."""


def code_of(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.source)


def shows_a_map(path: Path) -> bool:
    """Whether the notebook draws a map, itself or through the boards it imports."""
    code = code_of(path)
    boards = set(re.findall(r"\bwidgets\.(\w+_board)\b", code))
    code += "".join((WIDGETS / f"{board}.py").read_text(encoding="utf-8") for board in boards)
    return any(maker in code for maker in MAP_MAKERS)


GALLERY_NOTEBOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))
LIVE_NOTEBOOKS = [
    p for p in GALLERY_NOTEBOOKS if "read_parameters(" in code_of(p) or "Page()" in code_of(p)
]
GALLERY_CASES = [
    pytest.param(
        path,
        id=path.stem,
        marks=()
        if path in LIVE_NOTEBOOKS
        else pytest.mark.skip(reason=f"{path.name} is not a live dashboard yet"),
    )
    for path in GALLERY_NOTEBOOKS
]


@pytest.fixture(scope="module")
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple]:
    """Two Voilà servers: the fixture dashboards, one warm kernel per planned visit
    (``VISITS``); then, if their tests were selected, the gallery notebooks, one kernel
    each, which warm up (heavy) while the fixture dashboards are being tested."""
    fixtures_root = tmp_path_factory.mktemp("dashboards")
    shutil.copytree(FIXTURES, fixtures_root, dirs_exist_ok=True)
    pools = {"default": {"pool_size": 1}, **{k: {"pool_size": n} for k, n in VISITS.items()}}
    no_refill = "--VoilaKernelManager.fill_delay=600"
    env = {"GALLERY_SITE_URL": GALLERY_URL, "GALLERY_VOILA_POOL_SIZE": "1"}
    with ExitStack() as stack:
        fixtures = stack.enter_context(
            run_voila(
                fixtures_root,
                f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
                no_refill,
                env=env,
            )
        )
        wait_for_pools(fixtures, sum(VISITS.values()) - VISITS["broken_before_import.ipynb"])
        gallery = None
        selected = {item.originalname for item in request.session.items}
        if LIVE_NOTEBOOKS and "test_gallery_dashboard_renders_its_first_variant" in selected:
            gallery_root = tmp_path_factory.mktemp("gallery")
            (gallery_root / "notebooks").mkdir()
            for notebook in LIVE_NOTEBOOKS:
                shutil.copy(notebook, gallery_root / "notebooks" / notebook.name)
            gallery = stack.enter_context(run_voila(gallery_root, no_refill, env=env))
        yield fixtures, gallery


@pytest.fixture(scope="module")
def voila(servers: tuple) -> VoilaServer:
    return servers[0]


@pytest.fixture(scope="module")
def gallery_voila(servers: tuple) -> VoilaServer | None:
    return servers[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_tab(browser) -> object:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab


def close_tab(tab) -> None:
    """Close like a visitor does: the unload handlers run, Voilà stops the kernel."""
    context = tab.context
    with tab.expect_event("close"):  # with unload handlers, close() does not wait
        tab.close(run_before_unload=True)
    context.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    tab = new_tab(browser)
    yield tab
    close_tab(tab)


def open_dashboard(page, voila: VoilaServer, name: str, query: dict | str = "") -> None:
    """Open a dashboard and wait until Voilà has shown its cells."""
    if isinstance(query, dict):
        query = urlencode(query)
    page.goto(voila.url(f"/voila/render/{name}") + (f"?{query}" if query else ""))
    page.wait_for_selector("#loading", state="detached")


def wait_for_widgets(page, map_shown: bool = True) -> None:
    selectors = (".rr-controls", ".bqplot svg") + ((".leaflet-container",) if map_shown else ())
    for selector in selectors:
        page.wait_for_selector(selector, state="visible")


def assert_no_traceback(page) -> None:
    for text in (page.inner_text("body"), page.content()):
        found = TRACEBACK.search(text)
        assert found is None, f"traceback text on the page: {found.group(0)!r}"


def run_axe(page) -> list[str]:
    """Serious and critical axe-core violations of the page as it is now."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: npm ci --prefix tests/browser")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map(n => n.target)}`)"""
    )


def notice(page) -> str:
    banner = page.locator(".rr-parameters-notice .rr-banner")
    return banner.inner_text() if banner.count() else ""


# --- The fixture dashboard, deep-linked: opened once, read by several tests ------------


@pytest.fixture(scope="module")
def deep_linked(browser, voila: VoilaServer) -> Iterator[object]:
    tab = new_tab(browser)
    open_dashboard(tab, voila, "trees_dashboard.ipynb", {"foret": FORETS[1], "hauteur_min": 30})
    wait_for_widgets(tab)
    yield tab
    close_tab(tab)


def test_dashboard_renders_controls_map_and_chart(deep_linked) -> None:
    page = deep_linked
    assert page.locator(".rr-controls select").count() == 1
    assert page.locator(".rr-controls [role=slider]").count() == 1
    assert page.locator(".leaflet-container .leaflet-interactive").count() == 4  # trees shown
    assert page.locator(".bqplot svg .bargroup").count() >= 1
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.title() == "Arbres remarquables (test) · Tableau de bord"
    assert page.locator("header a.rr-home").get_attribute("href") == GALLERY_URL
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt").count() == 0  # no code
    assert_no_traceback(page)
    assert page.errors == []


def test_deep_link_applies_its_parameters(deep_linked) -> None:
    page = deep_linked
    assert page.inner_text(".rr-summary") == f"4 arbres remarquables ({FORETS[1]}, au moins 30 m)"
    selected = page.eval_on_selector(".rr-controls select", "s => s.selectedOptions[0].text")
    assert selected.replace("\xa0", " ") == FORETS[1]
    assert float(page.get_attribute(".rr-controls [role=slider]", "aria-valuenow")) == 30
    assert notice(page) == ""


def test_dashboard_is_accessible(deep_linked) -> None:
    assert run_axe(deep_linked) == []


def test_dashboard_code_and_styles_come_from_its_server_only(deep_linked) -> None:
    """No CDN: the page waits on no third party and tells none of the visit (map tiles
    excepted: images). Widget icons use the Font Awesome bundled in voila-style.js."""
    page = deep_linked
    foreign = page.evaluate(
        """performance.getEntriesByType('resource')
            .filter(r => !r.name.startsWith(location.origin) && r.initiatorType !== 'img')
            .map(r => r.name)"""
    )
    assert foreign == []
    content, font = page.evaluate(
        """() => {
            const icon = document.createElement('i');
            icon.className = 'fa fa-arrow-left';  // what Button(icon="arrow-left") shows
            document.body.appendChild(icon);
            const before = getComputedStyle(icon, '::before');
            const found = [before.content, before.fontFamily];
            icon.remove();
            return found;
        }"""
    )
    assert content == '"\uf060"' and "Font Awesome" in font


# --- A bad address: French notice, defaults, markup inert ------------------------------

BAD_QUERY = (
    "foret=%3Cb%3Egras%3C%2Fb%3E&hauteur_min=abc&%3Cimg+src%3Dx+onerror%3Dwindow.pwned%3D1%3E=1"
)


@pytest.fixture(scope="module")
def bad_query(browser, voila: VoilaServer) -> Iterator[object]:
    tab = new_tab(browser)
    open_dashboard(tab, voila, "trees_dashboard.ipynb", BAD_QUERY)
    wait_for_widgets(tab)
    yield tab
    close_tab(tab)


def test_bad_query_shows_a_french_notice_and_the_defaults(bad_query) -> None:
    text = notice(bad_query)
    assert "Une partie de l'adresse de cette page n'a pas été comprise" in text
    assert "« <b>gras</b> » n'est pas un choix possible pour « foret »" in text
    assert "« hauteur_min » attend un nombre entier, pas « abc »" in text
    assert "paramètres acceptés : foret, hauteur_min" in text
    summary = bad_query.inner_text(".rr-summary")
    assert summary == "13 arbres remarquables (toutes forêts, au moins 0 m)"
    assert_no_traceback(bad_query)


def test_markup_in_the_query_is_shown_as_text(bad_query) -> None:
    assert "<img src=x onerror=window.pwned=1>" in notice(bad_query)
    assert bad_query.locator(".rr-parameters-notice img, .rr-parameters-notice b").count() == 0
    assert bad_query.evaluate("window.pwned") is None


def test_notice_is_accessible(bad_query) -> None:
    assert run_axe(bad_query) == []


# --- Changing a control: the address follows, and reopens the same view ----------------


def test_changing_a_control_updates_the_shareable_url(page, voila: VoilaServer) -> None:
    open_dashboard(page, voila, "trees_dashboard.ipynb", {"hauteur_min": 30})
    wait_for_widgets(page)
    history = page.evaluate("history.length")
    verte = "?foret=For%C3%AAt%20domaniale%20Verte&hauteur_min=30"
    page.select_option(".rr-controls select", label=FORETS[0])
    page.wait_for_function(f"location.search === {json.dumps(verte)}")
    page.select_option(".rr-controls select", label="Toutes")  # back to the default
    page.wait_for_function("location.search === '?hauteur_min=30'")
    page.select_option(".rr-controls select", label=FORETS[0])
    page.wait_for_function(f"location.search === {json.dumps(verte)}")
    assert page.evaluate("history.length") == history  # replaced, not pushed
    page.goto(page.url)  # the address as someone else receives it
    page.wait_for_selector("#loading", state="detached")
    page.wait_for_selector(".rr-summary", state="visible")
    assert page.inner_text(".rr-summary") == f"3 arbres remarquables ({FORETS[0]}, au moins 30 m)"


# --- Errors: a French message and an incident id, the traceback in the log --------------


@pytest.mark.parametrize("name", ["broken.ipynb", "broken_before_import.ipynb"])
def test_an_error_shows_a_french_message_with_an_incident_id(
    page, voila: VoilaServer, name: str
) -> None:
    open_dashboard(page, voila, name)
    message = page.inner_text(".rr-incident")
    assert "Ce tableau de bord n'a pas pu s'afficher entièrement" in message
    ident = re.search(r"référence d'incident ([0-9A-F]{6})", message).group(1)
    assert_no_traceback(page)
    assert "Ce texte ne doit pas s'afficher" not in page.inner_text("body")
    assert run_axe(page) == []
    deadline = time.monotonic() + 10
    while f"Incident {ident}" not in voila.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert f"Incident {ident}" in voila.log()


# --- Loading, closing, the server's own pages --------------------------------------------


def test_loading_state_says_what_is_happening(page, voila: VoilaServer) -> None:
    page.route("**/voila/static/voila.js*", lambda route: route.abort())  # stay loading
    page.goto(voila.url("/voila/render/broken_before_import.ipynb"))
    assert page.get_attribute("#loading", "role") == "status"
    text = page.inner_text("#loading_text")
    assert re.fullmatch(r"Chargement des données… \(étape \d+ sur \d+\)", text), text
    assert page.locator("#rendered_cells").is_hidden()


def test_closing_the_tab_stops_its_kernel(browser, voila: VoilaServer) -> None:
    tab = new_tab(browser)
    open_dashboard(tab, voila, "broken.ipynb")
    tab.wait_for_load_state("networkidle")  # Voilà's unload handler is in place
    kernel = json.loads(tab.text_content("#jupyter-config-data"))["kernelId"]
    with tab.expect_event("close"):
        tab.close(run_before_unload=True)
    deadline = time.monotonic() + 20
    while f"Kernel shutdown: {kernel}" not in voila.log() and time.monotonic() < deadline:
        time.sleep(0.2)
    tab.context.close()  # only now: closing the browser context could drop the beacon
    assert f"Kernel shutdown: {kernel}" in voila.log()


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/", "Tableaux de bord en direct"), ("/voila/render/inconnu.ipynb", "Page introuvable")],
)
def test_server_pages_are_french_and_accessible(
    page, voila: VoilaServer, path: str, heading: str
) -> None:
    page.goto(voila.url(path))
    assert page.inner_text("h1") == heading
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("header a.rr-home").get_attribute("href") == GALLERY_URL
    assert run_axe(page) == []


# --- Every gallery notebook that reads its parameters live -------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("notebook", GALLERY_CASES)
def test_gallery_dashboard_renders_its_first_variant(
    page, voila: VoilaServer, gallery_voila: VoilaServer, notebook: Path
) -> None:
    """The first variant of the gallery record, as a deep link: accepted (no notice),
    controls, chart and (if the notebook has one) map shown, no traceback, accessible."""
    record = nbformat.read(notebook, as_version=4).metadata.get("reuse", {})
    variants = record.get("variants") or [{"parameters": {}}]
    page.set_default_timeout(3 * TIMEOUT_MS)  # may wait for its kernel's first run
    open_dashboard(page, gallery_voila, f"notebooks/{notebook.name}", variants[0]["parameters"])
    incident = page.locator(".rr-incident")
    assert incident.count() == 0, f"{notebook.name} failed: {incident.first.inner_text()}"
    wait_for_widgets(page, map_shown=shows_a_map(notebook))
    assert notice(page) == ""
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt").count() == 0
    assert_no_traceback(page)
    assert page.errors == []
    assert run_axe(page) == []
