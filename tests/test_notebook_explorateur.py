"""The Explorateur notebook runs offline on representative snapshots, and live.

Each run is executed once with papermill; the notebook records what it shows in the
metadata of an invisible output (``reuse-results``), compared here with counts made
directly with pandas from ``load_dataset``. One run reads the loopback portal
(``OPENDATA_SOURCE=live``) and must show the same numbers as the offline run. The
view-choosing logic is tested on every registry dataset in
``test_analyses_explore_plan.py``.
"""

from __future__ import annotations

import html

import pandas as pd
import pytest
from explore_portal import as_portal_dataset, serve_explore_portal
from notebook_runs import (
    MAX_EXECUTED_BYTES,
    Run,
    address_after_changes,
    address_state,
    assert_light_and_clean,
    execute,
    execute_runs,
)

from analyses.explore_page import open_dataset
from analyses.explore_sources import catalogue
from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "explorateur"
PERMIS = {
    "dataset_id": "permis-construire",
    "filtre": "nom_commune:Rouen",
    "debut": "2021-01-01",
    "fin": "2022-12-31",
    "mesure": "nb_lgt_crees",
}
RUNS = {
    "defaults": {},  # the remarkable trees: real data, a map, no dates
    "permis": PERMIS,  # map, time series with a measure, filter and period
    "compteurs": {"dataset_id": "eco-counter-data", "mesure": "counts"},  # 483,409 rows
    "conteneurs": {"dataset_id": "donmetdec_pav"},  # 3,120 points: clusters
    "inconnu": {"dataset_id": "jeu-inconnu"},
}


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME))


@pytest.fixture(scope="module")
def live_run(tmp_path_factory) -> tuple[dict, list]:
    """The « permis » run against the loopback portal serving the snapshot's rows."""
    served = as_portal_dataset(open_dataset("permis-construire", source="snapshot"))
    with serve_explore_portal(served) as portal, pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPENDATA_SOURCE", "live")
        patch.setenv("OPENDATA_PORTAL_URL", portal.url)
        run = execute(NAME, PERMIS, tmp_path_factory.mktemp("live") / "permis.ipynb")
        return run.results, list(portal.requests)


def test_defaults_explore_the_remarkable_trees(executed):
    run = executed["defaults"]
    shown = run.results
    frame = load_dataset("arbres-remarquables").frame
    assert shown["key"] == "arbres-remarquables" and shown["mode"] == "snapshot"
    assert shown["views"] == ["indicateurs", "carte", "barres", "champs", "tableau"]
    assert shown["count"] == len(frame) and shown["preview_rows"] == len(frame)
    assert shown["map"] == {"kind": "points", "located": int(frame["lat"].notna().sum()),
                            "items": int(frame["lat"].notna().sum())}  # fmt: skip
    assert dict(shown["bars"]["foret"]) == frame["forest"].value_counts().to_dict()  # portal name
    assert shown["coverage"]["description"] == pytest.approx(frame["description"].notna().mean())
    texts = run.widget_texts
    assert "Explorer : Arbres remarquables de la Métropole Rouen Normandie (2019)" in texts
    assert "Réutiliser ces données" in texts
    # URLs are escaped in the page: & as &amp; in the links, quotes never raw.
    assert html.escape(shown["urls"]["count"], quote=True) in run.raw_texts
    assert "Données d'exemple générées" not in texts  # real data: no warning banner


def test_a_filtered_period_with_a_measure_matches_pandas(executed):
    run = executed["permis"]
    shown = run.results
    frame = load_dataset("permis-construire").frame
    chosen = frame[
        (frame["nom_commune"] == "Rouen")
        & frame["date_reelle_autorisation"].between("2021-01-01", "2022-12-31")
    ]
    assert shown["problems"] == [] and shown["count"] == len(chosen) > 0
    assert shown["measure"] == "nb_lgt_crees"
    assert shown["series_total"] == chosen["nb_lgt_crees"].sum()
    assert shown["granularity"] == "semaine"  # two years: 105 weeks, 730 days
    dates = chosen["date_reelle_autorisation"]
    first = dates.min() - pd.Timedelta(days=dates.min().day_of_week)
    assert shown["series_points"] == (dates.max() - first).days // 7 + 1
    assert dict(shown["bars"]["etat"]) == chosen["etat"].value_counts().to_dict()
    assert shown["map"]["located"] == len(chosen)
    assert "nom_commune%20%3D%20%22Rouen%22" in shown["urls"]["count"]
    assert "Données d'exemple générées" in run.widget_texts


def test_half_a_million_hourly_counts_are_summed_per_week(executed):
    shown, size = executed["compteurs"].results, executed["compteurs"].size
    frame = load_dataset("eco-counter-data").frame
    assert shown["count"] == len(frame) and "carte" not in shown["views"]
    assert shown["granularity"] == "semaine"
    assert shown["series_total"] == frame["counts"].sum()
    assert shown["bars"]["name"][0][1] == frame["name"].value_counts().max()
    assert size < MAX_EXECUTED_BYTES


def test_thousands_of_points_are_grouped(executed):
    run = executed["conteneurs"]
    shown = run.results
    frame = load_dataset("donmetdec-pav").frame
    assert shown["map"]["kind"] == "clusters" and shown["map"]["located"] == len(frame)
    assert shown["map"]["items"] < len(frame) / 5
    assert "serie" not in shown["views"]


def test_an_unknown_dataset_gets_a_french_message_not_a_traceback(executed):
    run = executed["inconnu"]
    shown = run.results
    assert "count" not in shown
    assert shown["problem"].startswith("« jeu-inconnu » n'est pas un jeu de données disponible")
    texts = run.widget_texts
    assert "Jeu de données introuvable" in texts
    for title, _ in catalogue():
        assert title in texts


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_live_run_shows_the_offline_numbers_through_aggregations(executed, live_run):
    live, requests = live_run
    offline = executed["permis"].results
    assert live["mode"] == "live" and live["problem"] == ""
    for key in ("count", "bars", "coverage", "series_total", "series_points", "granularity", "map"):
        assert live[key] == offline[key], key
    grouped = [r.params["group_by"][0] for r in requests if "group_by" in r.params]
    assert any(g.startswith("date_format(date_reelle_autorisation") for g in grouped)
    assert "nom_commune" in grouped
    assert sum("/exports/" in r.path for r in requests) == 1  # the map's points


def test_another_dataset_clears_the_other_choices_from_the_address():
    query = "&".join(f"{name}={value}" for name, value in PERMIS.items())
    trees = "arbres-remarquables-metropole-rouen-normandie-2019"
    changes = [("dataset_id", "donmetdec_pav"), ("dataset_id", trees)]
    states = address_after_changes(NAME, query, changes)
    cleared = {"filtre": "", "debut": "", "fin": "", "mesure": ""}
    assert states == [
        # the filter, period and measure of the permits reset with the dataset
        ({"dataset_id": "donmetdec_pav", **cleared}, address_state("dataset_id=donmetdec_pav")),
        ({"dataset_id": trees, **cleared}, address_state("")),
    ]
