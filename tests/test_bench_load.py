"""bench/bench_load.py's own pieces (fast, no server started): percentiles and their line,
the files a viewer fetches, the pages of a site, the nginx config written from deploy/."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "bench_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench_load", None)


def test_percentiles_interpolate_between_ranks_and_ignore_order(bench):
    values = [0.4, 0.1, 0.3, 0.2, 0.5]
    assert bench.percentile(values, 50) == pytest.approx(0.3)
    assert bench.percentile(values, 0) == pytest.approx(0.1)
    assert bench.percentile(values, 100) == pytest.approx(0.5)
    assert bench.percentile(values, 95) == pytest.approx(0.48)
    assert bench.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert bench.percentile([7.0], 95) == 7.0
    assert math.isnan(bench.percentile([], 50))


def test_spread_reports_milliseconds_and_says_none_when_empty(bench):
    assert bench.spread([0.010, 0.020, 0.030]) == "p50 20 ms, p95 29 ms, max 30 ms (n=3)"
    assert bench.spread([]) == "none"


def test_a_viewer_fetches_the_page_s_own_files_not_other_pages_or_sites(bench):
    html = (
        '<link rel="stylesheet" href="../assets/site-0123456789.css">'
        '<script src="/assets/vendor/lib-0123456789/index.js"></script>'
        '<img src="../thumbnails/arbres.png?v=2" alt="">'
        '<a href="../index.html">Accueil</a> <a href="./">Dossier</a>'
        '<a href="https://data.metropole-rouen-normandie.fr/">Portail</a>'
        '<a href="#haut">Haut</a>'
    )
    base = "http://127.0.0.1:9000/"
    files = bench.own_files(html, base + "reutilisations/arbres.html", base)
    assert files == {
        base + "assets/site-0123456789.css",
        base + "assets/vendor/lib-0123456789/index.js",
        base + "thumbnails/arbres.png",
    }


def test_site_pages_lists_every_html_page_index_first(bench, tmp_path):
    (tmp_path / "reutilisations").mkdir()
    for name in ("sante.html", "index.html", "reutilisations/arbres.html", "catalog.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert bench.site_pages(tmp_path) == ["index.html", "reutilisations/arbres.html", "sante.html"]


def test_nginx_config_is_the_deploy_file_with_this_run_s_ports_and_folders(bench, tmp_path):
    site = tmp_path / "site"
    conf = bench.nginx_config(tmp_path, site, [41001, 41002, 41003], 42000).read_text()
    assert "listen 127.0.0.1:42000;" in conf and "listen 80;" not in conf
    for port in (41001, 41002, 41003):
        assert f"server 127.0.0.1:{port};" in conf
    assert "8866" not in conf and "8867" not in conf
    assert f"root {site};" in conf and f"root {ROOT / 'deploy'};" in conf
    assert "/srv/reutilisations" not in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf
    assert "proxy_pass http://rr_voila;" in conf  # the deploy file's own routing is kept


def test_tally_keeps_the_most_dashboards_open_at_once(bench):
    tally = bench.Tally()
    tally.opened()
    tally.opened()
    tally.closed()
    tally.opened()
    tally.closed()
    tally.closed()
    assert (tally.live, tally.peak_live) == (0, 2)
