"""Kernels that cost only while used: an idle visitor's kernel is stopped, and their page
comes back by itself, same address, same parameters, at their next action.

A Voilà with a 10-second idle cull (``GALLERY_VOILA_CULL_IDLE``; checked every 2 s)
serves the fixture tree dashboard. Chromium, skipped with the reason when absent.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from voila_server import VoilaServer, run_voila, wait_for_pools

from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)
if chromium_path() is None:
    pytest.skip(
        "no Chromium on this machine (CI installs Debian's chromium)", allow_module_level=True
    )

from test_voila_browser import FIXTURES, FORETS, new_tab  # noqa: E402

DASHBOARD = "trees_dashboard.ipynb"
CULL_IDLE = 10


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    root = tmp_path_factory.mktemp("cull")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    pools = {"default": {"pool_size": 0}, DASHBOARD: {"pool_size": 2}}
    env = {"GALLERY_VOILA_CULL_IDLE": str(CULL_IDLE)}
    with run_voila(
        root,
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
        "--VoilaKernelManager.fill_delay=0",
        env=env,
    ) as server:
        wait_for_pools(server, 2)
        yield server


@pytest.fixture
def tab() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield new_tab(browser)
        browser.close()


def open_dashboard(page, voila: VoilaServer, query: dict) -> str:
    """Open the dashboard; its kernel id once its widgets are shown."""
    page.goto(voila.url(f"/voila/render/{DASHBOARD}?{urlencode(query)}"))
    page.wait_for_selector("#loading", state="detached")
    page.wait_for_selector(".rr-summary", state="visible")
    return kernel_of(page)


def kernel_of(page) -> str:
    return json.loads(page.text_content("#jupyter-config-data"))["kernelId"]


def kernel_alive(voila: VoilaServer, kernel: str) -> bool:
    try:
        with urllib.request.urlopen(voila.url(f"/api/kernels/{kernel}"), timeout=5):
            return True
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def wait_until_culled(voila: VoilaServer, kernel: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while kernel_alive(voila, kernel):
        assert time.monotonic() < deadline, f"kernel {kernel} not culled:\n{voila.log()[-2000:]}"
        time.sleep(0.5)


def test_a_culled_dashboard_reopens_with_its_parameters_at_the_next_action(
    tab, voila: VoilaServer
) -> None:
    first = open_dashboard(tab, voila, {"hauteur_min": 30})
    tab.select_option(".rr-controls select", label=FORETS[0])  # state written by a control
    verte = "?foret=For%C3%AAt%20domaniale%20Verte&hauteur_min=30"
    tab.wait_for_function(f"location.search === {json.dumps(verte)}")
    summary = f"3 arbres remarquables ({FORETS[0]}, au moins 30 m)"
    tab.wait_for_function(
        f"document.querySelector('.rr-summary').innerText === {json.dumps(summary)}"
    )
    wait_until_culled(voila, first)
    assert "Culling" in voila.log()  # stopped by the idle cull, not by the page

    with tab.expect_navigation():
        tab.click("h1")  # the visitor comes back and acts
    tab.wait_for_selector("#loading", state="detached")
    tab.wait_for_selector(".rr-summary", state="visible")
    second = kernel_of(tab)
    assert second != first and kernel_alive(voila, second)
    assert tab.evaluate("location.search") == verte
    assert tab.inner_text(".rr-summary") == summary
    assert "connexion" not in tab.inner_text("body").lower()

    tab.select_option(".rr-controls select", label="Toutes")  # the new kernel answers
    tab.wait_for_function("location.search === '?hauteur_min=30'")
    assert tab.errors == []


def test_a_page_whose_new_kernel_is_gone_too_asks_before_reloading(tab, voila: VoilaServer) -> None:
    open_dashboard(tab, voila, {"hauteur_min": 30})
    navigations = []
    tab.on("framenavigated", lambda frame: navigations.append(frame.url))
    # Every kernel looks gone: the visitor coming back to the tab reopens the page once,
    # then no loop. (The tab's return checks at once; an action within 5 s of the load's
    # check would wait for the next one.)
    tab.route("**/api/kernels/*", lambda route: route.fulfill(status=404, body="{}"))
    with tab.expect_navigation():
        tab.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    tab.wait_for_selector(".rr-resume button", state="visible")
    note = tab.inner_text(".rr-resume")
    assert "ne répond plus" in note and "Recharger" in note
    tab.wait_for_timeout(1500)
    assert len(navigations) == 1, navigations
