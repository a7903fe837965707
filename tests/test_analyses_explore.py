"""The Explorateur's views: pandas on the snapshot, aggregations on the (loopback) portal.

Offline figures are compared with counts made here with pandas from ``load_dataset``;
live figures, sent as ``count(*)``/``group_by``/export requests to the loopback portal
serving the same rows, must equal the offline ones. A dataset above 10,000 rows shows
that nothing pages past the API's limit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from explore_portal import ExplorePortal, as_portal_dataset, serve_explore_portal
from portal_data import make_dataset

from analyses import explore
from analyses import explore_page as page
from analyses.explore_selection import Selection
from analyses.explore_sources import DatasetInfo, DatasetUnavailableError, Source, connect
from rouen_opendata import DataProvenance, load_dataset
from rouen_opendata.frames import apply_schema
from rouen_opendata.portal_reads import OFFSET_CEILING, DatasetReads
from widgets import explore_view as view


@pytest.fixture(scope="module")
def equipements() -> Source:
    return page.open_dataset("frequentation-equipements", source="snapshot")


@pytest.fixture(scope="module")
def permis() -> Source:
    return page.open_dataset("permis-construire", source="snapshot")


# Offline: the views against pandas ------------------------------------------------------


def test_count_series_and_bars_of_a_filtered_period(equipements):
    frame = load_dataset("frequentation-equipements").frame
    chosen = frame[
        (frame["commune"] == "Rouen") & frame["date"].between("2023-01-01", "2023-06-30")
    ]
    shown = page.overview(equipements, "commune:Rouen", "2023-01-01", "2023-06-30", "entrees")
    assert shown.problems == [] and shown.count.data == len(chosen) > 0
    assert shown.granularity.key == "semaine"  # 26 weeks: days would be 181 points
    series = shown.series.data
    assert series["total"].sum() == chosen["entrees"].sum()
    assert series["n"].sum() == len(chosen)
    assert series["periode"].dt.day_of_week.eq(0).all()  # weeks start on Monday
    assert series["periode"].diff().dropna().eq(pd.Timedelta(days=7)).all()
    expected = chosen["type_equipement"].value_counts()
    bars = shown.bars["type_equipement"].data
    assert bars.counts.to_dict() == expected.to_dict()
    assert bars.distinct == chosen["type_equipement"].nunique()
    assert list(bars.counts) == sorted(bars.counts, reverse=True)


def test_coverage_is_the_share_of_non_empty_values():
    source = page.open_dataset("arbres-remarquables", source="snapshot")
    frame = load_dataset("arbres-remarquables").frame
    coverage = explore.coverage_view(source, Selection()).data.set_index("nom")
    assert coverage.loc["description", "part"] == pytest.approx(frame["description"].notna().mean())
    assert coverage.loc["geo_point_2d", "renseignes"] == frame["lat"].notna().sum()
    assert coverage.loc["geo_point_2d", "type"] == "point géographique"
    assert coverage["part"].between(0, 1).all()


def test_map_shows_points_up_to_the_limit_then_clusters(permis):
    frame = load_dataset("permis-construire").frame
    everything = explore.map_view(permis, Selection(), len(frame)).data
    assert everything.kind == "points" and len(frame) <= explore.POINT_LIMIT
    assert everything.located == frame["lat"].notna().sum()
    assert set(everything.frame.columns) == {"lat", "lon"} | {f.name for f in permis.plan.popup}
    clusters = explore.map_view(permis, Selection(), explore.POINT_LIMIT + 1).data
    assert clusters.kind == "clusters" and clusters.frame["count"].sum() == everything.located
    assert len(clusters.frame) < everything.located / 3


def test_preview_pages_stop_at_the_api_limit(equipements):
    frame = load_dataset("frequentation-equipements").frame
    columns = [f.name for f in equipements.plan.table]
    second = explore.preview_view(equipements, Selection(), 1).data
    expected = frame[columns].iloc[explore.PAGE_ROWS : 2 * explore.PAGE_ROWS].reset_index(drop=True)
    pd.testing.assert_frame_equal(second, expected)
    assert len(frame) > OFFSET_CEILING
    beyond = explore.preview_view(equipements, Selection(), 10**6)
    assert beyond.query.offset + beyond.query.limit == OFFSET_CEILING


def test_choices_offer_frequent_values_and_keep_what_was_asked(permis):
    filters = page.filter_choices(permis, "nom_commune:Nulle-Part")
    assert filters[0] == page.NO_FILTER and filters[-1] == (
        "Filtre demandé : nom_commune:Nulle-Part",
        "nom_commune:Nulle-Part",
    )
    assert ("Type d'autorisation : PC", "type_dau:PC") in filters
    measures = dict((value, label) for label, value in page.measure_choices(permis))
    assert measures["nb_lgt_crees"] == "Somme de « Logements créés »"
    shown = page.overview(permis, "nom_commune:Nulle-Part", mesure="inconnue")
    assert shown.count.data == 0 and shown.series is None
    assert "mesure « inconnue » ignorée" in shown.problems[0]


def test_reuse_texts_say_a_generated_sample_is_not_served(permis):
    texts = view.reuse_texts(permis, explore.count_view(permis, Selection()).query)
    assert texts["records_url"].startswith(permis.info.portal + "/api/explore/v2.1/")
    assert "exemple généré" in texts["note"]
    assert texts["snippet"].endswith('sep=";")')


def test_the_preview_shows_hours_of_date_times():
    source = page.open_dataset("eco-counter-data", source="snapshot")
    shown = view.preview_table(source, explore.preview_view(source, Selection(), 0).data)
    assert list(shown.columns) == [f.title for f in source.plan.table]
    assert shown["Date"].iloc[1] == "01/01/2023 01:00"


# Live: the loopback portal answers the same numbers ---------------------------------------


@pytest.fixture(scope="module")
def served(equipements, permis) -> Iterator[ExplorePortal]:
    with serve_explore_portal(as_portal_dataset(equipements), as_portal_dataset(permis)) as server:
        yield server


@pytest.fixture
def live_env(served, monkeypatch) -> ExplorePortal:
    monkeypatch.setenv("OPENDATA_PORTAL_URL", served.url)
    served.requests.clear()
    return served


def _params(request) -> dict[str, str]:
    return {key: values[0] for key, values in request.params.items()}


@pytest.mark.parametrize(
    ("key", "choices"),
    [
        ("frequentation-equipements", ("commune:Rouen", "2023-01-01", "2023-06-30", "entrees")),
        ("frequentation-equipements", ("", "", "", "")),
        ("permis-construire", ("type_dau:PC", "2020-01-01", "", "nb_lgt_crees")),
    ],
)
def test_live_aggregations_give_the_snapshot_numbers(key, choices, live_env, equipements, permis):
    offline = {"frequentation-equipements": equipements, "permis-construire": permis}[key]
    live = page.open_dataset(key, source="live")
    assert live.live and live.provenance.source == "live"
    assert live.plan.views == offline.plan.views
    assert live.plan.categories == offline.plan.categories
    a, b = page.overview(live, *choices), page.overview(offline, *choices)
    assert a.count.data == b.count.data > 0
    pd.testing.assert_frame_equal(a.coverage.data, b.coverage.data)
    for name in b.bars:
        pd.testing.assert_series_equal(a.bars[name].data.counts, b.bars[name].data.counts)
    assert a.span.data == b.span.data and a.granularity == b.granularity
    pd.testing.assert_frame_equal(a.series.data, b.series.data)
    pd.testing.assert_frame_equal(a.preview.data, b.preview.data, check_dtype=False)
    if b.map is not None:
        assert (a.map.data.kind, a.map.data.located) == (b.map.data.kind, b.map.data.located)
        pd.testing.assert_frame_equal(
            a.map.data.frame[["lat", "lon"]].round(6), b.map.data.frame[["lat", "lon"]].round(6)
        )
    records = [r for r in live_env.requests if r.path.endswith("/records")]
    grouped = [_params(r) for r in records if "group_by" in r.params]
    assert any(p["group_by"].startswith("date_format(") for p in grouped)
    assert any(
        p["select"] == "count(*) as n" and "group_by" not in p for p in map(_params, records)
    )
    for request in records:
        params = _params(request)
        if "group_by" not in params:
            assert int(params.get("offset", 0)) + int(params.get("limit", 10)) <= OFFSET_CEILING
            assert int(params.get("limit", 10)) <= 100


def test_live_map_is_one_export_request(live_env, permis):
    live = page.open_dataset("permis-construire", source="live")
    shown = page.overview(live)
    exports = [r for r in live_env.requests if "/exports/" in r.path]
    assert len(exports) == 1 and exports[0].path.endswith("/exports/csv")
    assert _params(exports[0])["select"].startswith("geo_point_2d, ")
    assert shown.map.data.located == page.overview(permis).map.data.located


@pytest.mark.parametrize("key", ["frequentation-equipements", "permis-construire"])
def test_each_live_request_is_sent_once(key, live_env):
    live = page.open_dataset(key, source="live")
    page.overview(live)
    first = len(live_env.requests)
    page.overview(live)
    assert len(live_env.requests) == first
    urls = [r.path + str(sorted(r.params.items())) for r in live_env.requests]
    assert len(urls) == len(set(urls))


def test_live_fields_found_by_type_nulls_and_shapes(monkeypatch):
    """A dataset whose point and shape are not called geo_point_2d, with empty values."""
    dataset = make_dataset("comptages", rows=240)
    shapes_only = make_dataset("emprises", rows=30)
    shapes_only.fields = [f for f in shapes_only.fields if f["name"] != "coordonnees"]
    with serve_explore_portal(dataset, shapes_only) as server:
        monkeypatch.setenv("OPENDATA_PORTAL_URL", server.url)
        live = page.open_dataset("comptages", source="live")
        types = {f["name"]: f["type"] for f in dataset.fields}
        frame = apply_schema(pd.DataFrame(dataset.rows), types, dataset="comptages")
        offline = Source(live.info, live.provenance, DatasetReads("comptages", server.url), frame)
        page.plan_source(offline)
        assert live.plan.map_field.name == "coordonnees" and live.plan.date_field.name == "date"
        a, b = (
            page.overview(live, "compteur:Quai de Paris"),
            page.overview(offline, "compteur:Quai de Paris"),
        )
        assert a.count.data == b.count.data == 48
        temperature = a.coverage.data.set_index("nom").loc["temperature", "renseignes"]
        assert temperature == b.coverage.data.set_index("nom").loc["temperature", "renseignes"] < 48
        pd.testing.assert_frame_equal(a.series.data, b.series.data)
        shapes = page.overview(page.open_dataset("emprises", source="live"))
        assert shapes.map.data.kind == "shapes" and shapes.map.data.located == 30
        assert shapes.map.data.frame["geometry"].iloc[0]["type"] == "Polygon"


def test_live_unknown_dataset_is_explained_and_a_registry_one_falls_back(portal, monkeypatch):
    monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)  # a portal with no dataset
    source, problem = page.try_open("inconnu", source="live")
    assert source is None
    assert problem.startswith("Le portail ne donne pas accès au jeu « inconnu » : le jeu")
    fallback = page.open_dataset("donmetdec_pav", source="live")
    assert not fallback.live and "introuvable" in fallback.provenance.fallback_reason
    assert "Error" not in problem + fallback.provenance.fallback_reason  # no class names
    with pytest.raises(DatasetUnavailableError):
        connect("astuce-gtfs", source="live")


def test_a_live_source_describes_the_portal_dataset(live_env):
    live = page.open_dataset("permis-de-construire-metropole-rouen-normandie", source="live")
    assert isinstance(live.info, DatasetInfo) and isinstance(live.provenance, DataProvenance)
    assert live.info.key == "permis-construire" and live.info.portal == live_env.url
    assert live.info.features == ("analyze", "geo", "timeserie")
    assert live.provenance.page_url == (
        f"{live_env.url}/explore/dataset/permis-de-construire-metropole-rouen-normandie/"
    )
    url = explore.count_view(live, Selection()).query.records_url(live.reads)
    assert parse_qs(urlsplit(url).query)["select"] == ["count(*) as n"]


# Layers one way: the Explorateur's computations read through the data layer ------------

FORBIDDEN = ("requests", "urllib", "rouen_opendata.client", "rouen_opendata.transport",
             "rouen_gallery", "widgets", "ipywidgets", "ipyleaflet", "bqplot")  # fmt: skip
"""No HTTP, no portal client, no drawing, no build or checker in ``analyses/explore*``."""


@pytest.mark.parametrize(
    "module",
    sorted(p.name for p in (Path(__file__).parent.parent / "analyses").glob("explore*.py")),
)
def test_the_explorateurs_computations_import_no_http_nor_drawing(module):
    tree = ast.parse((Path(__file__).parent.parent / "analyses" / module).read_text("utf-8"))
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    imported += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert imported, module
    bad = [name for name in imported if name.split(".")[0] in FORBIDDEN or name in FORBIDDEN]
    assert bad == [], f"{module} imports {bad}"
