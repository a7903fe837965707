"""Real data never labelled « d'exemple », generated data always: over a built tiny gallery.

Two reuses are built as the gallery builds them: ``arbres-remarquables`` (real trees
only) and ``bornes-recharge`` (generated charging points crossed with the real communes
and Astuce stops). What each dataset *is* comes from its snapshot's ``meta.json``
(``provenance.kind``), read here independently of the registry code the build uses; every
built page, its sources list, its embedded widgets, its card on the index and
catalog.json must agree with it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from rouen_gallery.build import Builder
from rouen_gallery.settings import BuildSettings

ROOT = Path(__file__).resolve().parent.parent
REUSES = ("arbres-remarquables", "bornes-recharge")
GENERATED_WORDS = re.compile(r"donn[ée]es d['’]exemple", re.IGNORECASE)
WIDGET_STATE = re.compile(
    r'<script type="application/vnd.jupyter.widget-state\+json"[^>]*>(.*?)</script>', re.DOTALL
)
SOURCE_ITEM = re.compile(r'<ul class="rr-sources">(.*?)</ul>', re.DOTALL)

pytestmark = pytest.mark.slow


def _kind(key: str) -> str:
    meta = json.loads((ROOT / "data" / "snapshots" / key / "meta.json").read_text("utf-8"))
    return meta["provenance"]["kind"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("labels")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    for slug in REUSES:
        shutil.copy(ROOT / "notebooks" / f"{slug}.ipynb", notebooks)
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


@pytest.fixture(scope="module")
def catalog(site) -> list[dict]:
    return json.loads((site / "catalog.json").read_text("utf-8"))["reuses"]


def _widget_strings(page: str) -> list[str]:
    """Every string of the page's embedded widget state, JSON escapes decoded."""
    found = WIDGET_STATE.search(page)
    assert found, "the page embeds no widget state"
    strings: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            strings.append(html.unescape(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(found.group(1)))
    return strings


def _page(site: Path, item: dict) -> str:
    return (site / "reutilisations" / f"{item['slug']}.html").read_text("utf-8")


def test_the_catalog_says_generated_exactly_for_generated_snapshots(catalog):
    pages = {item["slug"]: item for item in catalog}
    assert set(REUSES) <= set(pages)
    kinds = {d["key"]: _kind(d["key"]) for item in catalog for d in item["datasets"]}
    # The two reuses were chosen to show both kinds: a test that sees one kind only is void.
    assert set(kinds.values()) == {"real", "generated"}, kinds
    for item in catalog:
        for dataset in item["datasets"]:
            assert dataset["generated"] == (kinds[dataset["key"]] == "generated"), dataset


def test_each_source_line_carries_the_label_of_its_own_dataset(site, catalog):
    for item in catalog:
        sources = SOURCE_ITEM.findall(_page(site, item))
        assert sources, item["slug"]
        lines = [li for block in sources for li in block.split("<li>")[1:]]
        for dataset in item["datasets"]:
            mine = [li for li in lines if f">{html.escape(dataset['title'])}</a>" in li]
            assert mine, (item["slug"], dataset["title"])
            for line in mine:
                generated = _kind(dataset["key"]) == "generated"
                assert bool(GENERATED_WORDS.search(html.unescape(line))) == generated, line
                assert ("Données réelles" in line) == (not generated), line


def test_a_page_of_real_data_only_never_says_d_exemple(site, catalog):
    real_only = [i for i in catalog if all(_kind(d["key"]) == "real" for d in i["datasets"])]
    assert {i["slug"] for i in real_only} >= {"arbres-remarquables"}
    for item in real_only:
        # The whole page: banner, sources, prose and the embedded widget state.
        page = _page(site, item)
        assert not GENERATED_WORDS.search(html.unescape(page)), item["slug"]
        assert not GENERATED_WORDS.search(" ".join(_widget_strings(page))), item["slug"]


def test_a_page_showing_generated_data_says_so_in_its_banner_and_widgets(site, catalog):
    mixed = [i for i in catalog if any(_kind(d["key"]) == "generated" for d in i["datasets"])]
    assert {i["slug"] for i in mixed} >= {"bornes-recharge"}
    for item in mixed:
        page = _page(site, item)
        assert 'class="rr-banner rr-banner--generated"' in page, item["slug"]
        assert GENERATED_WORDS.search(" ".join(_widget_strings(page))), item["slug"]


def test_the_index_badges_follow_the_datasets(site, catalog):
    index = (site / "index.html").read_text("utf-8")
    cards = re.findall(
        r'<li class="rr-card".*?</li>\s*(?=<li class="rr-card"|</ul>)', index, re.DOTALL
    )
    for item in catalog:
        if item["slug"] not in REUSES:
            continue  # a variant is listed inside its reuse's card
        card = [c for c in cards if f"reutilisations/{item['slug']}.html" in c]
        assert len(card) == 1, item["slug"]
        generated = any(d["generated"] for d in item["datasets"])
        assert ("rr-badge--generated" in card[0]) == generated, item["slug"]
