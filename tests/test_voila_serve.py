"""The live dashboards' server over plain HTTP: safety, French pages, kernel cap.

One Voilà, started like ``make serve`` with the repository's config on a copy of
``tests/fixtures/voila`` plus files it must never serve; one preheated kernel per
dashboard and a cap of ONE visitor kernel, so that the cap can be reached. Raw HTTP
(http.client) because a browser would normalise the ``../`` of the traversal URLs
before sending them. What a browser shows is in test_voila_browser.py.
"""

from __future__ import annotations

import ast
import http.client
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from voila_server import VoilaServer, run_voila, wait_for_pools

from rouen_gallery.serve import CONFIG_DIR, voila_command

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "voila"
DASHBOARDS = ("broken.ipynb", "broken_before_import.ipynb", "trees_dashboard.ipynb")
GALLERY_URL = "https://galerie.example.org/reutilisations-test/"
CANARIES = ("CANARY-SECRET-PY", "CANARY-NOTES", "CANARY-ENV", "root:x:0:0", "read_parameters(")
"""Text that must never come back: file contents, /etc/passwd, notebook source."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    root = tmp_path_factory.mktemp("voila-root")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    (root / "secret.py").write_text("TOKEN = 'CANARY-SECRET-PY'\n")
    (root / "notes.txt").write_text("CANARY-NOTES\n")
    (root / ".env").write_text("PASSWORD=CANARY-ENV\n")
    (root / ".hidden").mkdir()
    shutil.copy(FIXTURES / "assets" / "pictogramme.svg", root / ".hidden" / "picto.svg")
    env = {
        "GALLERY_VOILA_POOL_SIZE": "1",
        "GALLERY_VOILA_MAX_KERNELS": "1",
        "GALLERY_SITE_URL": GALLERY_URL,
    }
    with run_voila(root, env=env) as running:
        wait_for_pools(running, 2)  # broken_before_import never gets that far
        yield running


def get(
    server: VoilaServer, path: str, method: str = "GET", headers: dict | None = None, body: str = ""
) -> tuple[int, dict, str]:
    """Status, headers and body of ``path`` sent exactly as written (no normalising)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        return response.status, dict(response.getheaders()), text
    finally:
        connection.close()


def close_tab(server: VoilaServer, headers: dict, page: str) -> None:
    """What a closed tab does: POST /voila/api/shutdown/<kernel> with the page's _xsrf."""
    kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)
    xsrf = re.search(r"_xsrf=([^;]+)", headers.get("Set-Cookie", ""))
    if kernel and xsrf:
        status, _, _ = get(
            server,
            f"/voila/api/shutdown/{kernel.group(1)}",
            method="POST",
            headers={
                "Cookie": f"_xsrf={xsrf.group(1)}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=f"_xsrf={xsrf.group(1)}",
        )
        assert status == 204


def visit(server: VoilaServer, path: str) -> tuple[int, str]:
    """A dashboard visit; its kernel is stopped after, as a closed tab would do."""
    status, headers, body = get(server, path)
    close_tab(server, headers, body)
    return status, body


TRAVERSALS = [
    "/voila/files/../../../../../../etc/passwd",
    "/voila/files/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/files/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/voila/files//etc/passwd",
    "/voila/files/assets/../secret.py",
    "/voila/files/trees_dashboard.ipynb",
    "/voila/files/assets/../trees_dashboard.ipynb",
    "/voila/files/TREES_DASHBOARD.IPYNB",
    "/voila/files/secret.py",
    "/voila/files/notes.txt",
    "/voila/files/.env",
    "/voila/files/.hidden/picto.svg",
    "/voila/render/../../../../../../etc/passwd",
    "/voila/render/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/voila/render/secret.py",
    "/voila/render/notes.txt",
    "/voila/render/.env",
    "/voila/static/../../../../../../../etc/passwd",
    "/voila/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/templates/rouen/static/../../../../../../../etc/passwd",
    "/voila/templates/rouen/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/templates/..%2f..%2f..%2f..%2fetc/static/passwd",
    "/voila/labextensions/../../../../../../etc/passwd",
    "/voila/tree/../../../etc",
    "/voila/tree/.hidden",
    "/voila/api/contents/secret.py",
    "/voila/api/contents/../../../etc",
    "/voila/api/contents/trees_dashboard.ipynb?content=1",
    "/voila/api/contents/trees_dashboard.ipynb?content=1&format=text",
    "/api/kernels",
    "/api/contents/trees_dashboard.ipynb",
    "/api/sessions",
    "/files/secret.py",
    "/notebooks/trees_dashboard.ipynb",
    "/lab",
    "/terminals/1",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_only_dashboards_and_their_images_are_served(server: VoilaServer, path: str) -> None:
    status, headers, body = get(server, path)
    for _ in range(3):  # /voila/render/<not a notebook> redirects to /voila/files/
        if status not in (301, 302):
            break
        status, headers, body = get(server, headers["Location"])
    leaked = [canary for canary in CANARIES if canary in body]
    assert not leaked, f"{path} → {status} leaked {leaked}"
    assert "Traceback" not in body
    if "/voila/api/contents/" in path and status == 200:
        assert '"content": null' in body  # the listing API never carries file content
    else:
        # Voilà's template-file handler answers a malformed path with a bare 500.
        assert status in (400, 403, 404, 405, 500), f"{path} → {status}"


def test_a_dashboard_image_is_served(server: VoilaServer) -> None:
    status, headers, body = get(server, "/voila/files/assets/pictogramme.svg")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    assert "<title>Arbre</title>" in body


def test_dashboard_page_is_french_and_carries_no_code(server: VoilaServer) -> None:
    status, body = visit(server, "/voila/render/trees_dashboard.ipynb")
    assert status == 200
    assert '<html lang="fr">' in body
    assert "<title>Arbres remarquables (test) · Tableau de bord</title>" in body
    assert "Chargement des données…" in body  # the loading state, before any script runs
    assert f'href="{GALLERY_URL}"' in body
    assert f'href="{GALLERY_URL}reutilisations/arbres-test.html"' in body
    assert "load_dataset(" not in body and "read_parameters(" not in body  # strip_sources


def test_dashboard_page_needs_no_other_site_and_its_libraries_are_cached(
    server: VoilaServer,
) -> None:
    status, body = visit(server, "/voila/render/trees_dashboard.ipynb")
    assert status == 200
    # No CDN (Voilà's template links Font Awesome from one): nothing blocks the page on
    # a third party, which would also learn of every visit. The gallery link only.
    for url in re.findall(r"https?://[^\s\"'<>()]+", body):
        assert url.startswith(GALLERY_URL), url
    config = re.search(r'<script id="jupyter-config-data" [^>]*>(.*?)</script>', body, re.S)
    extensions = {e["name"]: e["load"] for e in json.loads(config.group(1))["federated_extensions"]}
    assert {"jupyter-leaflet", "bqplot", "@jupyter-widgets/jupyterlab-manager"} <= set(extensions)
    assert "jupyterlab_pygments" not in extensions  # colours code; dashboards show none
    # Their files carry a content hash in their names: a returning visitor's browser
    # keeps them instead of asking again for each, every visit.
    leaflet = f"/voila/labextensions/jupyter-leaflet/{extensions['jupyter-leaflet']}"
    status, headers, _ = get(server, leaflet)
    assert status == 200 and "immutable" in headers["Cache-Control"]


def test_the_folder_listing_is_french_and_lists_dashboards_only(server: VoilaServer) -> None:
    status, _, body = get(server, "/")
    assert status == 200 and '<html lang="fr">' in body
    assert "Tableaux de bord en direct" in body
    for name in DASHBOARDS:
        assert f'href="/voila/render/{name}"' in body
    assert "secret.py" not in body and "notes.txt" not in body and ".hidden" not in body


def test_unknown_dashboard_gets_a_french_404(server: VoilaServer) -> None:
    status, _, body = get(server, "/voila/render/inconnu.ipynb")
    assert status == 404
    assert '<html lang="fr">' in body and "Page introuvable" in body
    assert f'href="{GALLERY_URL}"' in body


@pytest.mark.parametrize("dashboard", ["broken.ipynb", "broken_before_import.ipynb"])
def test_an_error_shows_an_incident_id_and_logs_the_traceback(
    server: VoilaServer, dashboard: str
) -> None:
    status, body = visit(server, f"/voila/render/{dashboard}")
    assert status == 200
    assert "n\\u0027a pas pu s\\u0027afficher" in body or "n'a pas pu s'afficher" in body
    ident = re.search(r"incident (?:<strong>|\\u003cstrong\\u003e)([0-9A-F]{6})", body).group(1)
    for secret in ("SECRET-42", "SECRET-43", "Traceback", "RuntimeError", "JSONDecodeError"):
        assert secret not in body
    assert "There was an error when executing cell" not in body  # Voilà's English text
    deadline = time.monotonic() + 10
    while ident not in server.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server.log()
    assert f"Incident {ident}" in log
    assert "SECRET-42" in log and "SECRET-43" in log  # the tracebacks went to the log


def test_kernel_cap_answers_503_in_french_then_frees_up(server: VoilaServer) -> None:
    status, headers, body = get(server, "/voila/render/broken.ipynb")
    assert status == 200
    try:
        busy_status, _, busy = get(server, "/voila/render/trees_dashboard.ipynb")
        assert busy_status == 503
        assert '<html lang="fr">' in busy
        assert "Serveur occupé, réessayez dans quelques minutes" in busy
        # ?template= forces Voilà's non-preheated path: the cap holds there too.
        cold_status, _, _ = get(server, "/voila/render/trees_dashboard.ipynb?template=lab")
        assert cold_status == 503
    finally:
        close_tab(server, headers, body)
    assert visit(server, "/voila/render/broken.ipynb")[0] == 200
    assert "visitor refused with 503" in server.log()


def test_every_setting_of_the_config_file_is_commented() -> None:
    lines = (CONFIG_DIR / "voila.py").read_text(encoding="utf-8").splitlines()
    settings = [i for i, line in enumerate(lines) if line.startswith("c.")]
    assert len(settings) >= 20
    for i in settings:
        above = i - 1
        while lines[above].startswith("c.") or lines[above].startswith(("    ", "}")):
            above -= 1  # a group of related settings under one comment
        assert lines[above].startswith("#"), f"line {i + 1} has no comment: {lines[i]}"
    ast.parse("\n".join(lines))


def test_serve_starts_voila_with_the_repository_config() -> None:
    command = voila_command(FIXTURES, 9999)
    assert command[1:4] == ["-m", "voila", str(FIXTURES)]
    assert "--port=9999" in command
    assert f"--Voila.config_file_paths={CONFIG_DIR}" in command
