"""Tiny gallery built once per module from tests/fixtures/gallery (sphinx-gallery style)."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rouen_gallery.build import Builder
from rouen_gallery.settings import BuildSettings

FIXTURES = Path(__file__).parent / "fixtures" / "gallery"
ROOT = Path(__file__).resolve().parent.parent

# ok.ipynb (+1 variant), broken, hangs, no_parameters, xss
N_ENTRIES = 6
N_OK = 3
N_FAILED = 3
FAILED = {"broken": "failed", "hangs": "timeout", "no-parameters": "failed"}

pytestmark = pytest.mark.slow


def _settings(tmp: Path) -> BuildSettings:
    shared = tmp / "shared"
    if not shared.exists():
        shutil.copytree(
            ROOT / "widgets", shared / "widgets", ignore=shutil.ignore_patterns("__pycache__")
        )
    return BuildSettings(
        notebooks_dir=tmp / "notebooks",
        site_dir=tmp / "site",
        cache_dir=tmp / "cache",
        external_file=tmp / "external.yaml",
        shared_code=(shared / "widgets",),
        thumbnails="drawn",
        progress=False,
        jobs=2,
    )


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tinybuild")
    shutil.copytree(FIXTURES, tmp / "notebooks")
    settings = _settings(tmp)
    summary = Builder(settings).build()
    return settings, summary


def _trees_at_least(metres: int) -> int:
    """What the ok fixture should print, computed here from the snapshot."""
    from rouen_opendata import load_dataset

    trees, _ = load_dataset("arbres-remarquables")
    heights = trees["height"].str.extract(r"(\d+)")[0].astype(int)
    return int((heights >= metres).sum())


def _statuses(summary) -> dict[str, str]:
    return {row.slug: row.status for row in summary.rows}


def test_summary_lists_every_entry_and_isolates_failures(gallery):
    _, summary = gallery
    statuses = _statuses(summary)
    assert len(statuses) == N_ENTRIES
    assert sum(s == "ok" for s in statuses.values()) == N_OK
    assert {slug: statuses[slug] for slug in FAILED} == FAILED
    assert len(summary.failures) == N_FAILED
    assert not any(row.cached for row in summary.rows)


def _reuse_slugs() -> set[str]:
    """The reuses of the fixtures, read from their records (one card each)."""
    return {
        json.loads(p.read_text(encoding="utf-8"))["metadata"]["reuse"]["slug"]
        for p in FIXTURES.glob("*.ipynb")
    }


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="rr-card[ "].*?</li>\s*(?=<li class="rr-card|</ul>)', html, re.S)


def test_index_has_one_card_per_reuse_with_its_variants_inside(gallery):
    settings, _ = gallery
    html = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    cards = _cards(html)
    assert len(cards) == len(_reuse_slugs()) == N_ENTRIES - 1
    assert html.count("rr-card--failed") == N_FAILED
    assert "Échec de la mise à jour : Erreur à l&#39;exécution de la cellule 2 : ValueError" in html
    ok_card = next(c for c in cards if 'href="reutilisations/ok.html"' in c)
    assert (
        'Aussi :</span> <a href="reutilisations/ok-grands.html">Fixture : grands arbres</a>'
        in ok_card
    )
    # The variant's own description is searchable from its reuse's card.
    assert "seulement les arbres de 30 mètres et plus" in ok_card
    for img in re.findall(r'<img src="([^"]+)"', html):
        assert (settings.site_dir / img).exists(), f"broken thumbnail {img}"
    # Words for citizens: no tool name as a kind, no run time on the cards.
    assert "· Notebook" not in html and "exécuté en" not in html


def test_index_filters_cards_first_with_a_citizen_vocabulary(gallery):
    from rouen_gallery.cards import EAGER_CARDS
    from rouen_gallery.record import TAGS

    settings, _ = gallery
    html = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    line, more = html.split('<details class="rr-more">')
    assert 'name="theme"' in line and 'name="tag"' not in line
    more = more.split("</details>")[0]
    for facet in ("data", "tag", "dataset", "audience"):
        assert f'name="{facet}"' in more
    chips = set(re.findall(r'name="tag" value="([^"]+)"', html))
    assert chips == {"arbres"} and chips <= set(TAGS)  # the ok fixture's « test » is no chip
    # The xss fixture's tag is not in the vocabulary: searchable, escaped, but no chip.
    assert "&lt;b&gt;tag&lt;/b&gt;" in html and "<b>tag</b>" not in html
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == len(_cards(html))
    assert ['loading="lazy"' in tag for tag in images] == [
        i >= EAGER_CARDS for i in range(len(images))
    ]
    assert all('width="400" height="250"' in tag for tag in images)


def test_every_notebook_uses_the_citizen_vocabulary_and_describes_its_variants():
    from rouen_gallery.record import TAGS

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        record = json.loads(path.read_text(encoding="utf-8"))["metadata"]["reuse"]
        assert set(record["tags"]) <= set(TAGS), path.name
        descriptions = [v["description"] for v in record.get("variants", [])]
        assert len(set(descriptions)) == len(descriptions), f"{path.name}: copied descriptions"
        assert record["description"] not in descriptions, path.name


def test_a_variant_without_description_is_refused():
    from rouen_gallery.exceptions import RecordError
    from rouen_gallery.record import notebook_record

    nb = json.loads((FIXTURES / "ok.ipynb").read_text(encoding="utf-8"))
    del nb["metadata"]["reuse"]["variants"][0]["description"]
    with pytest.raises(RecordError, match="variants.0.description : champ obligatoire absent"):
        notebook_record(nb, FIXTURES / "ok.ipynb")


def test_health_page_lists_every_run_for_maintainers(gallery):
    settings, summary = gallery
    html = (settings.site_dir / "sante.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr[ >].*?</tr>", html.split("<tbody>")[1], re.S)
    assert len(rows) == len(summary.rows) == N_ENTRIES
    hangs = next(r for r in rows if ">hangs<" in r)
    assert "trop longue" in hangs and 'class="rr-health--failed"' in hangs
    seconds = {row.slug: row.seconds for row in summary.rows}
    ok = next(r for r in rows if ">ok<" in r)
    assert f"<td>{seconds['ok']:.1f}</td>".replace(".", ",") in ok
    assert 'href="sante.html"' in (settings.site_dir / "index.html").read_text(encoding="utf-8")


def test_one_page_per_entry_with_parameters_in_french(gallery):
    settings, _ = gallery
    pages = sorted(p.stem for p in (settings.site_dir / "reutilisations").glob("*.html"))
    assert len(pages) == N_ENTRIES
    variant = (settings.site_dir / "reutilisations" / "ok-grands.html").read_text(encoding="utf-8")
    assert "<dt>Réglages de cette version</dt><dd>Hauteur minimale : 30.</dd>" in variant
    assert "Fixture de test : seulement les arbres de 30 mètres et plus." in variant
    assert 'Une version de <a href="ok.html">Fixture qui fonctionne</a>' in variant
    # Built without a public Voilà address: no button towards the builder's own machine.
    assert "127.0.0.1" not in variant and "tableau de bord interactif</a>" not in variant
    assert f"ARBRES={_trees_at_least(30)}" in variant
    default = (settings.site_dir / "reutilisations" / "ok.html").read_text(encoding="utf-8")
    assert f"ARBRES={_trees_at_least(0)}" in default
    assert '<a href="ok-grands.html">Fixture : grands arbres</a>' in default
    assert '"@type": "CreativeWork"' in default
    assert "Voir le code" in default
    assert "MIT (code)" not in default and "Code sous licence MIT ;" in default


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (
            "https://tableaux.example.org/",
            "https://tableaux.example.org/voila/render/ok.ipynb?hauteur_min=30",
        ),
        ("http://127.0.0.1:8866", ""),
        ("http://localhost:8866", ""),
        ("", ""),
    ],
)
def test_live_dashboard_link_only_to_a_published_voila(base, expected):
    from rouen_gallery.entries import notebook_entries
    from rouen_gallery.site import voila_link

    variant = notebook_entries(FIXTURES / "ok.ipynb")[1]
    assert voila_link(base, variant) == expected


def test_widget_javascript_is_local_and_pinned(gallery):
    settings, _ = gallery
    page = (settings.site_dir / "reutilisations" / "ok.html").read_text(encoding="utf-8")
    assert "@*" not in page and "unpkg.com" not in page
    # Folders named by their content's hash (rouen_gallery/assets.py).
    assert "../assets/vendor/html-manager-" in page
    assert list(settings.site_dir.glob("assets/vendor/html-manager-*/html-manager.js"))
    assert list(settings.site_dir.glob("assets/vendor/jupyter-leaflet-*/index.js"))
    assert "application/vnd.jupyter.widget-state+json" in page


def test_catalog_follows_the_reuse_model_with_run_health(gallery):
    settings, _ = gallery
    catalog = json.loads((settings.site_dir / "catalog.json").read_text(encoding="utf-8"))
    reuses = {r["slug"]: r for r in catalog["reuses"]}
    assert len(reuses) == N_ENTRIES
    ok = reuses["ok"]
    for key in (
        "title",
        "slug",
        "description",
        "type",
        "topic",
        "tags",
        "authors",
        "datasets",
        "image",
        "url",
        "licence",
    ):
        assert key in ok
    assert ok["datasets"][0]["id"] == "arbres-remarquables-metropole-rouen-normandie-2019"
    assert ok["health"]["status"] == "ok"
    assert reuses["hangs"]["health"]["status"] == "timeout"


class _Injected(HTMLParser):
    """Collects what a browser would execute: script bodies, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        kind = dict(attrs).get("type") or "text/javascript"
        self._in_script = tag == "script" and ("javascript" in kind or kind == "module")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in ("svg",) and any(n == "onload" for n, _ in attrs):
            self.found.append("svg onload")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"script: {data[:60]}")


def _executable_injections(html: str) -> list[str]:
    parser = _Injected()
    parser.feed(html)
    return parser.found


def test_text_from_records_and_markdown_is_escaped_or_sanitised(gallery):
    settings, _ = gallery
    page = (settings.site_dir / "reutilisations" / "xss.html").read_text(encoding="utf-8")
    index = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    catalog = (settings.site_dir / "catalog.json").read_text(encoding="utf-8")
    assert _executable_injections(page) == []
    assert _executable_injections(index) == []
    # The payloads are still there as text: escaped, not dropped.
    assert "&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt;" in index
    assert "Titre <script>alert('titre')</script>" in json.loads(catalog)["reuses"][-1]["title"]


def test_no_change_rebuild_is_skipped(gallery):
    settings, _ = gallery
    summary = Builder(settings).build()
    assert summary.unchanged
    assert all(row.cached for row in summary.rows)


def _rebuild(settings) -> dict[str, bool]:
    summary = Builder(settings).build()
    assert not summary.unchanged
    return {row.slug: row.cached for row in summary.rows}


def _page_bodies(settings) -> dict[str, int]:
    """Cached page bodies by entry: modification time (ns) of ``page.html``."""
    return {
        path.parent.name: path.stat().st_mtime_ns for path in settings.cache_dir.glob("*/page.html")
    }


def test_cache_misses_follow_what_changed(gallery, tmp_path, monkeypatch):
    settings, _ = gallery
    # Touch the ok notebook's code: only its two entries re-run.
    nb_path = settings.notebooks_dir / "ok.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"][-1]["source"] += "\n# changed"
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    bodies = _page_bodies(settings)
    cached = _rebuild(settings)
    assert [s for s, c in cached.items() if not c and s != "no-parameters"] == ["ok", "ok-grands"]
    # Only their pages are rendered again; the others' nbconvert output is reused.
    after = _page_bodies(settings)
    assert after.keys() == bodies.keys() == set(cached)
    assert sorted(s for s in after if after[s] != bodies[s]) == ["ok", "ok-grands"]
    # A shared module: everything re-runs.
    (settings.shared_code[0] / "extra.py").write_text("X = 1\n", encoding="utf-8")
    cached = _rebuild(settings)
    assert not any(cached.values())
    # A snapshot the notebooks read: every notebook reading it re-runs.
    from rouen_opendata import snapshots

    real = snapshots.fingerprint

    def changed(key):
        value = real(key)
        return {**value, "modified": "2099-01-01"} if key == "arbres-remarquables" else value

    monkeypatch.setattr(snapshots, "fingerprint", changed)
    cached = _rebuild(settings)
    assert not any(cached.values())
    monkeypatch.undo()


def test_failure_keeps_last_good_output(gallery):
    settings, _ = gallery
    nb_path = settings.notebooks_dir / "ok.ipynb"
    original = nb_path.read_text(encoding="utf-8")
    nb = json.loads(original)
    nb["cells"].append(
        {
            "cell_type": "code",
            "id": "divide-by-zero",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "1 / 0",
        }
    )
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    try:
        summary = Builder(settings).build()
    finally:
        nb_path.write_text(original, encoding="utf-8")
    assert _statuses(summary)["ok"] == "failed"
    page = (settings.site_dir / "reutilisations" / "ok.html").read_text(encoding="utf-8")
    assert "ZeroDivisionError" in page
    assert "La page montre le dernier résultat valide" in page
    assert f"ARBRES={_trees_at_least(0)}" in page


def test_interrupted_build_leaves_previous_site_intact(gallery, monkeypatch):
    settings, _ = gallery
    before = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    (settings.notebooks_dir / "ok.ipynb").touch()
    nb_path = settings.notebooks_dir / "broken.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"][-1]["source"] += "\n# force a rebuild"
    nb_path.write_text(json.dumps(nb), encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Builder, "_thumbnails", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Builder(settings).build()
    assert (settings.site_dir / "index.html").read_text(encoding="utf-8") == before
    leftovers = [p.name for p in settings.site_dir.parent.iterdir() if p.name.startswith(".site")]
    assert leftovers == []
