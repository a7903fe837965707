"""A tiny gallery built live against the loopback portal, build after build: cold, unchanged,
one dataset changed on the portal, then a portal that accepts connections and stays silent.

One provenance per page: the notebook's banner, the sources block, the downloads and
catalog.json say the same thing about the read; a fallback is said in French, listed in
the build summary and marked in catalog.json's health.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from portal_data import snapshot_dataset
from portal_server import serve_portal

from rouen_gallery.build import Builder
from rouen_gallery.settings import BuildSettings
from rouen_opendata import breaker, prefetch, snapshots

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "live" / "reads_trees.ipynb"
ROOT = Path(__file__).resolve().parent.parent
KEY = "arbres-remarquables"
SLUGS = ("reads-trees", "reads-trees-grands")  # the fixture and its variant read the trees
READ_TIMEOUT = 1.0
ATOM = "{http://www.w3.org/2005/Atom}"
EXPORT = "arbres-remarquables-metropole-rouen-normandie-2019.csv"
"""The registry's file name: the snapshot's and the live export's (the same format)."""
ENGLISH_ERRORS = re.compile(
    r"Error\b|Exception|Traceback|timed out|could not be reached|/tmp/|Apikey|"
    r"\b(the portal|failed)\b"
)


def _says(page: str, text: str) -> bool:
    """Whether a page shows ``text``, in its HTML or in a widget's state (JSON-escaped)."""
    escaped = json.dumps(text)[1:-1]
    return text in page or escaped in page or escaped.replace("/", "\\/") in page


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def _trees(rows: list[dict], at_least: int) -> int:
    return sum(int(str(r["hauteur"]).split()[0]) >= at_least for r in rows)


def _build(settings: BuildSettings, portal) -> tuple:
    before = portal.request_count
    start = time.monotonic()
    summary = Builder(settings).build()
    return summary, portal.request_count - before, time.monotonic() - start


def _catalog(settings: BuildSettings) -> dict[str, dict]:
    catalog = json.loads((settings.site_dir / "catalog.json").read_text(encoding="utf-8"))
    return {r["slug"]: r for r in catalog["reuses"]}


def _page(settings: BuildSettings, slug: str = SLUGS[0]) -> str:
    """The page's text, HTML entities decoded (« n'a » is written « n&#39;a »)."""
    page = settings.site_dir / "reutilisations" / f"{slug}.html"
    return html.unescape(page.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("livebuild")
    (tmp / "notebooks").mkdir()
    shutil.copy(FIXTURE, tmp / "notebooks" / FIXTURE.name)
    shutil.copytree(ROOT / "widgets", tmp / "shared" / "widgets")
    settings = BuildSettings(
        notebooks_dir=tmp / "notebooks",
        site_dir=tmp / "site",
        cache_dir=tmp / "cache",
        external_file=tmp / "external.yaml",
        shared_code=(tmp / "shared" / "widgets",),
        thumbnails="drawn",
        progress=False,
        jobs=2,
    )
    dataset = snapshot_dataset(KEY)
    results: dict[str, dict] = {}
    with serve_portal(dataset) as portal, pytest.MonkeyPatch.context() as env:
        env.setenv("OPENDATA_SOURCE", "live")
        env.setenv("OPENDATA_PORTAL_URL", portal.url)
        env.setenv("OPENDATA_READ_TIMEOUT", str(READ_TIMEOUT))
        env.setenv("OPENDATA_MAX_RETRIES", "1")
        env.delenv("OPENDATA_PREFETCH_DIR", raising=False)
        prefetch.forget()
        breaker.reset()

        def step(name: str) -> None:
            summary, requests, seconds = _build(settings, portal)
            results[name] = {
                "summary": summary,
                "requests": requests,
                "seconds": seconds,
                "catalog": _catalog(settings),
                "page": _page(settings),
                "variant": _page(settings, SLUGS[1]),
                "feed": (settings.site_dir / "feed.xml").read_text(encoding="utf-8"),
                "download": (settings.site_dir / "donnees" / KEY / EXPORT).read_bytes(),
            }

        step("cold")
        results["cold"]["served"] = [r.path for r in portal.requests]
        manifest = settings.cache_dir / "live" / KEY / "manifest.json"
        results["cold"]["manifest"] = json.loads(manifest.read_text(encoding="utf-8"))
        step("unchanged")
        dataset.rows = [
            r for r in dataset.rows if r["identifiant"] != dataset.rows[0]["identifiant"]
        ]
        dataset.modified = "2026-11-30T08:00:00+00:00"
        step("changed")
        results["changed"]["rows"] = list(dataset.rows)
        portal.faults.silent = 1000
        step("silent")
        portal.faults.silent = 0
    prefetch.forget()
    breaker.reset()
    return settings, results


def test_a_cold_live_build_reads_each_dataset_once_for_every_notebook(builds):
    _, results = builds
    cold = results["cold"]
    assert cold["summary"].ok and not cold["summary"].fallbacks
    # One metadata request and one export for the whole build; the kernels asked nothing.
    assert cold["requests"] == 2
    assert [p.rsplit("/", 1)[-1] for p in cold["served"]] == [
        snapshot_dataset(KEY).dataset_id,
        "csv",
    ]


def test_every_place_of_a_page_says_the_data_was_read_live(builds):
    settings, results = builds
    cold = results["cold"]
    for slug in SLUGS:
        dataset = cold["catalog"][slug]["datasets"][0]
        assert dataset["read"] == "live" and dataset["fallback"] is None
        assert dataset["generated"] is False and dataset["rows"] == 13
        assert cold["catalog"][slug]["health"]["status"] == "ok"
    page = cold["page"]
    assert "Lues en direct sur le portail le " in page
    assert "lues en direct sur le portail le " in page  # the notebook's own sources footer
    assert f"ARBRES={_trees(snapshot_dataset(KEY).rows, 0)}" in page
    served = hashlib.sha256(cold["download"]).hexdigest()
    assert served == cold["manifest"]["files"][EXPORT]["sha256"]


def test_unchanged_data_asks_for_metadata_only_and_reruns_nothing(builds):
    _, results = builds
    unchanged = results["unchanged"]
    assert unchanged["requests"] == 1
    assert all(row.cached for row in unchanged["summary"].rows)


def test_changed_data_reruns_its_reuses_and_says_what_changed(builds):
    _, results = builds
    changed = results["changed"]
    assert changed["requests"] == 2
    assert not any(row.cached for row in changed["summary"].rows)
    assert f"ARBRES={_trees(changed['rows'], 0)}" in changed["page"]
    assert f"ARBRES={_trees(changed['rows'], 30)}" in changed["variant"]
    assert "1 ligne(s) retirée(s), modifié le 30/11/2026" in changed["page"]
    assert changed["catalog"][SLUGS[0]]["datasets"][0]["data_date"] == "2026-11-30"


def test_the_feed_lists_the_change_and_the_updated_reuses(builds):
    settings, results = builds
    root = ET.fromstring(results["changed"]["feed"])
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    title = entries[0].find(f"{ATOM}title").text
    assert title.startswith("Arbres remarquables") and "1 ligne(s) retirée(s)" in title
    pages = {link.get("href") for link in entries[0].findall(f"{ATOM}link")}
    assert pages == {f"reutilisations/{slug}.html" for slug in SLUGS}
    content = entries[0].find(f"{ATOM}content").text
    assert "Fixture qui lit les arbres" in content and "Fixture : grands arbres lus" in content
    per_dataset = ET.parse(settings.site_dir / "flux" / f"{KEY}.xml").getroot()
    assert per_dataset.tag == f"{ATOM}feed" and per_dataset.find(f"{ATOM}entry") is not None
    index = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="feed.xml"' in index


def test_a_silent_portal_falls_back_in_one_timeout_and_says_so_in_french(builds):
    _, results = builds
    silent, cold = results["silent"], results["cold"]
    reason = f"le portail n'a pas répondu dans les {READ_TIMEOUT:g} s".replace(".", ",")
    assert silent["requests"] == 1  # the metadata request that timed out; kernels asked nothing
    assert silent["summary"].fallbacks == {KEY: reason}
    assert f"repli sur la copie hors ligne {KEY} : {reason}" in silent["summary"].table()
    for slug in SLUGS:
        record = silent["catalog"][slug]
        assert record["health"]["status"] == "fallback"
        assert record["datasets"][0]["read"] == "snapshot"
        assert record["datasets"][0]["fallback"] == reason
    page = silent["page"]
    assert reason in page and "Copie hors ligne du 13/08/2026" in page
    assert _says(page, "Données hors ligne du 13/08/2026")  # the notebook's banner
    assert not ENGLISH_ERRORS.search(_visible_text(page))
    assert silent["download"] == (snapshots.snapshot_path(KEY) / EXPORT).read_bytes()
    # About a snapshot build (the cold one ran the same notebooks) plus one timeout.
    assert silent["seconds"] < cold["seconds"] + 2 * READ_TIMEOUT + 5
