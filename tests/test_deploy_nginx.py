"""deploy/reutilisations.nginx.conf, run as it is: Debian's nginx on 127.0.0.1 in front of a
small static site and two Voilà processes.

The file's paths and ports are replaced, nothing else; nginx runs with a temporary
prefix (its own pid, logs and temp folders), in the foreground, stopped at the end.
Checked: pre-compressed files are sent with their encoding and hashed assets with an
immutable lifetime; a dashboard opened in Chromium through nginx draws its widgets
(page and kernel WebSocket reach the same process: sticky cookie); with every Voilà
process down the visitor gets the French « Serveur occupé » page with HTTP 503.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from nginx_config import BROTLI_MODULE, deploy_config
from voila_server import free_port, run_voila

from rouen_gallery.compress import precompress
from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
DASHBOARD = "trees_dashboard.ipynb"

if NGINX is None:
    pytest.skip("nginx is not installed (apt-get install nginx)", allow_module_level=True)


def _site(folder: Path) -> Path:
    """A tiny built site: a page and a hashed asset, pre-compressed as the build does."""
    (folder / "assets" / "vendor" / "lib-0123456789").mkdir(parents=True)
    (folder / "index.html").write_text(
        "<!DOCTYPE html><html lang=fr><title>Galerie</title>" + "<p>Bonjour</p>" * 200,
        encoding="utf-8",
    )
    (folder / "assets" / "vendor" / "lib-0123456789" / "index.js").write_text(
        "var x = 1;\n" * 500, encoding="utf-8"
    )
    precompress(folder)
    return folder


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    site = _site(tmp / "site")
    # Kernels started per visit (no pools): two processes, little memory.
    options = ("--VoilaConfiguration.preheat_kernel=False",)
    voila_root = ROOT / "tests" / "fixtures" / "voila"
    with run_voila(voila_root, *options) as first, run_voila(voila_root, *options) as second:
        port = free_port()
        conf = deploy_config(tmp, site, [first.port, second.port], port)
        check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp)], capture_output=True)
        assert check.returncode == 0, check.stderr.decode()
        nginx = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/index.html")
            yield {"base": f"http://127.0.0.1:{port}", "voila": [first, second], "tmp": tmp}
        finally:
            nginx.send_signal(signal.SIGQUIT)
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()


def _wait_for(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"nginx did not answer at {url}")


def _get(url: str, encoding: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_static_files_are_sent_pre_compressed_and_hashed_ones_kept_forever(deployment):
    base, site = deployment["base"], deployment["tmp"] / "site"
    status, headers, body = _get(f"{base}/index.html", "gzip")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert body == (site / "index.html.gz").read_bytes()
    assert headers["Cache-Control"] == "no-cache"
    asset = "/assets/vendor/lib-0123456789/index.js"
    status, headers, body = _get(base + asset, "br, gzip")
    expected = "br" if BROTLI_MODULE.exists() else "gzip"
    assert status == 200 and headers["Content-Encoding"] == expected
    assert (
        body == (site / (asset.lstrip("/") + (".br" if expected == "br" else ".gz"))).read_bytes()
    )
    assert "immutable" in headers["Cache-Control"]


def test_dashboard_through_nginx_draws_its_widgets_then_busy_page_when_voila_is_down(
    deployment,
):
    if chromium_path() is None:
        pytest.skip("no Chromium on this machine (CI installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    base = deployment["base"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith(base) else r.abort(),
            )
            page = context.new_page()
            page.goto(f"{base}/voila/render/{DASHBOARD}", timeout=120_000)
            # Drawn widgets need the kernel's WebSocket: it reached the page's process.
            page.wait_for_selector(".leaflet-container", timeout=120_000)
            assert any(c["name"] == "rr_voila" for c in context.cookies())
            context.close()
        finally:
            browser.close()
    for server in deployment["voila"]:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
    status, headers, body = _get(f"{base}/voila/render/{DASHBOARD}", "identity")
    assert status == 503
    assert "Serveur occupé" in body.decode("utf-8")
    assert headers.get("Retry-After") == "120"
