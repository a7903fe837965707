"""The Explorateur notebook runs offline on representative snapshots, and live.

Each run is executed once with papermill; what the page drew (the dashboard runtime's
last view, :data:`RESULTS`) is compared here with counts made directly with pandas from
``load_dataset``. Live runs read the loopback portal (``OPENDATA_SOURCE=live``): one that
computes every view, one that refuses ``group_by`` (the views then come from the
export), one serving a dataset the registry has never seen, without ODSQL; each must show
the offline numbers, or draw its map, series and facets, without an English word of
error. The view-choosing logic is tested on every registry dataset in
``test_analyses_explore_plan.py``.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from explore_portal import as_portal_dataset, serve_explore_portal
from notebook_runs import (
    MAX_EXECUTED_BYTES,
    Run,
    address_after_changes,
    address_notice,
    address_state,
    assert_light_and_clean,
    execute,
    execute_runs,
    open_addresses,
)
from portal_data import make_dataset

from analyses.explore import POINT_LIMIT
from analyses.explore_page import open_dataset
from analyses.explore_sources import catalogue
from rouen_opendata import load_dataset
from rouen_opendata.snapshots import read_meta

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
    "conteneurs": {"dataset_id": "donmetdec_pav"},  # 2,937 real drop-off points
    "inconnu": {"dataset_id": "jeu-inconnu"},
}
DEEP_LINKS = {
    "permis": "&".join(f"{name}={value}" for name, value in PERMIS.items()),
    "portail": "dataset_id=jeu-du-portail",  # an id only the live portal could know
    "date": "dataset_id=permis-construire&debut=hier",
}
RESULTS = "results = dict(view)"
"""What the page drew: :func:`analyses.explore_page.shown` and the reason of a failure."""
ENGLISH = re.compile(r"\b(Error|Exception|Traceback|refused|rejected|portal)\b")
"""Words of an English error message: none may reach a page."""
NEVER_SEEN = "comptages-inedits"


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def visited(tmp_path_factory) -> dict[str, Run]:
    return open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)


def _live(folder, parameters: dict, *served, refuse: str | None = None) -> tuple[Run, list]:
    with (
        serve_explore_portal(*served, refuse=refuse) as portal,
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setenv("OPENDATA_SOURCE", "live")
        patch.setenv("OPENDATA_PORTAL_URL", portal.url)
        patch.setenv("OPENDATA_MAX_RETRIES", "0")
        run = execute(NAME, parameters, folder / "live.ipynb", RESULTS)
        return run, list(portal.requests)


@pytest.fixture(scope="module")
def live_run(tmp_path_factory) -> tuple[dict, list]:
    """The « permis » run against the loopback portal serving the snapshot's rows."""
    served = as_portal_dataset(open_dataset("permis-construire", source="snapshot"))
    run, requests = _live(tmp_path_factory.mktemp("live"), PERMIS, served)
    return run.results, requests


@pytest.fixture(scope="module")
def refused_run(tmp_path_factory) -> tuple[Run, list]:
    """The « permis » run against a portal refusing every ``group_by``."""
    served = as_portal_dataset(open_dataset("permis-construire", source="snapshot"))
    return _live(tmp_path_factory.mktemp("refused"), PERMIS, served, refuse="group_by")


@pytest.fixture(scope="module")
def never_seen_run(tmp_path_factory) -> tuple[Run, list]:
    """A dataset no registry knows (fields named freely) on a portal without ODSQL."""
    served = make_dataset(NEVER_SEEN, rows=240)
    run, requests = _live(
        tmp_path_factory.mktemp("never-seen"), {"dataset_id": NEVER_SEEN}, served, refuse="odsql"
    )
    return run, served


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


def test_popups_use_the_portals_field_labels(executed):
    run = executed["defaults"]
    labels = {f["name"]: f["label"] for f in read_meta("arbres-remarquables")["fields"]}
    popups = re.findall(r'<div class="rr-popup">(.*?)</div>', run.widget_texts)
    assert len(popups) == run.results["map"]["items"]
    shown = set(re.findall(r"<strong>(.*?)</strong>", " ".join(popups)))
    assert shown and shown <= set(labels.values())
    assert not shown & {n for n, label in labels.items() if n != label}
    assert not shown & {"species_fr", "trunk_diameter", "name", "forest"}  # notebook names


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


def test_thousands_of_real_drop_off_points_are_all_on_the_map(executed):
    run = executed["conteneurs"]
    shown = run.results
    frame = load_dataset("donmetdec-pav").frame
    located = int(frame["lat"].notna().sum())
    assert shown["map"]["located"] == located > 2000
    # Each point up to the limit, counted circles beyond (analyses tests draw both).
    if located <= POINT_LIMIT:
        assert shown["map"] == {"kind": "points", "located": located, "items": located}
    else:
        assert shown["map"]["kind"] == "clusters" and shown["map"]["items"] < located / 5
    assert "serie" not in shown["views"]
    assert "Données d'exemple générées" not in run.widget_texts  # real data


def test_an_unknown_dataset_gets_a_french_message_not_a_traceback(executed):
    run = executed["inconnu"]
    shown = run.results
    assert "count" not in shown
    assert shown["problem"].startswith("« jeu-inconnu » n'est pas un jeu de données disponible")
    texts = run.widget_texts
    assert "Jeu de données introuvable" in texts
    # One short sentence first; every dataset one may choose behind the disclosure.
    assert len(shown["problem"]) < 160
    disclosure = texts.partition("<summary>Jeux disponibles hors ligne</summary>")[2]
    disclosure = disclosure.partition("</details>")[0]
    for title, _ in catalogue():
        assert title not in shown["problem"] and title in disclosure


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


def test_a_portal_refusing_group_by_still_gives_the_offline_numbers(executed, refused_run):
    run, requests = refused_run
    live, offline = run.results, executed["permis"].results
    assert live["mode"] == "live" and live["computed_on"] == "export"
    for key in ("count", "bars", "coverage", "series_total", "series_points", "granularity", "map"):
        assert live[key] == offline[key], key
    assert sum("/exports/" in r.path for r in requests) == 1  # the whole export, once
    assert "Calculs faits sur l'export du jeu" in run.widget_texts
    assert not ENGLISH.search(run.widget_texts) and run.errors == []


def test_a_dataset_never_seen_draws_its_map_series_and_facets(never_seen_run):
    run, served = never_seen_run
    shown = run.results
    assert shown["problem"] == "" and shown["key"] is None
    assert shown["views"] == ["indicateurs", "carte", "serie", "barres", "champs", "tableau"]
    assert shown["count"] == len(served.rows) and shown["map"]["located"] == len(served.rows)
    assert shown["series_total"] == len(served.rows)
    counters = pd.Series([r["compteur"] for r in served.rows]).value_counts().to_dict()
    assert dict(shown["bars"]["compteur"]) == counters
    assert "Quand ? Selon « Date »" in run.widget_texts  # the portal's labels
    assert not ENGLISH.search(run.widget_texts) and run.errors == []


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


def test_a_deep_link_shows_what_the_same_parameters_show(executed, visited):
    linked, run = visited["permis"].results, executed["permis"].results
    assert linked["parameters"] == {**PERMIS} and address_notice(visited["permis"]) == ""
    for key in ("count", "bars", "series_total", "series_points", "granularity", "map"):
        assert linked[key] == run[key], key


def test_a_link_to_a_dataset_not_offered_offline_says_so_in_french(visited):
    run = visited["portail"]
    assert run.results["problem"].startswith("« jeu-du-portail » n'est pas un jeu de données")
    assert "Jeu de données introuvable" in run.widget_texts and run.errors == []


def test_a_link_with_a_bad_date_keeps_the_dataset_and_says_why(visited):
    run = visited["date"]
    assert run.results["dataset_id"] == "permis-de-construire-metropole-rouen-normandie"
    assert run.results["parameters"]["debut"] == ""
    assert "« hier » n'est pas une date" in address_notice(run)
