"""The « carte croisée » notebook counts any combination of its layers right.

Each run is executed once with papermill; ``RESULTS`` reads what the page drew through
the dashboard runtime: the crossed table, the map's layers, the CSV link and its
sources. The counts are compared with counts made here directly from the
snapshots: the communes of stops, containers and trees found here by a point-in-polygon
test written out (``shapely.contains_xy`` per outline); the generated layers by their
own commune field (their points are drawn inside the commune they name).
"""

from __future__ import annotations

import html
import io
from urllib.parse import unquote, urlencode

import pandas as pd
import pytest
import shapely
from notebook_runs import (
    Run,
    address_notice,
    assert_light_and_clean,
    assert_refused,
    execute_runs,
    open_addresses,
)

from analyses import transit
from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "carte-croisee"
ALL_LAYERS = "arrets,compteurs,bornes,conteneurs,arbres,permis"
RUNS = {
    "defaults": {},
    "trees-only": {"couches": "arbres"},
    "all-in-rouen": {"couches": ALL_LAYERS, "commune": "Rouen"},
    "stops-and-permits-in-elbeuf": {"couches": "permis,arrets", "commune": "Elbeuf"},
    "none": {"couches": ""},
}
DEEP_LINKS = {
    "trees-and-permits-in-elbeuf": urlencode({"couches": "permis,arbres", "commune": "Elbeuf"}),
    "unknown-layer-and-commune": "couches=arbres%2Cvelos&commune=Paris",
}
"""Query strings of dashboard addresses, as a visitor's browser sends them."""
LABELS = {
    "arrets": "Arrêts Astuce",
    "compteurs": "Compteurs vélo",
    "bornes": "Bornes de recharge",
    "conteneurs": "Conteneurs à déchets",
    "arbres": "Arbres remarquables",
    "permis": "Permis de construire",
}


RESULTS = """
from analyses import crossing
from widgets.crossing_board import SHARE

table = view["table"]
results = {
    "layers": view["keys"],
    "table": {name: {k: int(v) for k, v in row.items()} for name, row in table.iterrows()},
    "cards": {key: figures.cards[key].figure for key in view["keys"]},
    "card_labels": [card.label for card in figures.card_row.children],
    "chart_labels": figures.chart.labels,
    "chart_series": figures.chart.series,
    "chart_values": figures.chart.values,
    "csv_rows": figures.download.rows,
    "csv_href": figures.download.href,
    "csv_filename": figures.download.filename,
    "map_layers": sorted(
        (layer.name for layer in figures.map.map.layers if layer in figures.layers.values()),
        key=[spec.label for spec in crossing.LAYERS.values()].index,
    ),
    "map_points": {key: len(layer.data["features"]) for key, layer in figures.layers.items()},
    "banner": figures.page.banner.value,
    "choropleth": {
        f["properties"]["Commune"]: f["properties"][SHARE]
        for f in figures.share_layer.data["features"]
    },
    "sources": [prov.key for prov in view["sources"]],
}
"""
"""What the tests read from a run: ``view`` is what the page drew for its values
(:meth:`analyses.crossing_view.CrossingData.view`), ``figures`` the notebook's
:class:`widgets.crossing_board.CrossingBoard`."""


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def deep_linked(tmp_path_factory) -> dict[str, Run]:
    """Each of ``DEEP_LINKS`` opened in Voilà (a kernel that is not preheated)."""
    return open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)


def _outline_commune(points: pd.DataFrame, communes: pd.DataFrame) -> pd.Series:
    """Commune whose outline contains each point, « Hors Métropole » when none does."""
    found = pd.Series("Hors Métropole", index=points.index, dtype="string")
    for name, outline in zip(communes["nom_commune"], communes["geo_shape"], strict=True):
        hit = shapely.contains_xy(shapely.geometry.shape(outline), points["lon"], points["lat"])
        found[hit & found.eq("Hors Métropole")] = name
    return found


@pytest.fixture(scope="module")
def direct() -> dict[str, pd.Series]:
    """Layer key → number of points per commune, counted straight from the snapshots."""
    communes = load_dataset("communes-metropole").frame
    stations = transit.stations(load_dataset("astuce-gtfs", table="stops").frame)
    chargers = load_dataset("bornes-irve").frame
    codes = chargers.groupby("id_station_itinerance")["code_insee_commune"].first()
    permits = load_dataset("permis-construire").frame
    return {
        "arrets": _outline_commune(stations, communes).value_counts(),
        "compteurs": load_dataset("eco-counter-sites").frame["commune"].value_counts(),
        "bornes": codes.map(communes.set_index("code_insee")["nom_commune"]).value_counts(),
        "conteneurs": _outline_commune(
            load_dataset("donmetdec-pav").frame, communes
        ).value_counts(),
        "arbres": _outline_commune(
            load_dataset("arbres-remarquables").frame, communes
        ).value_counts(),
        "permis": permits.loc[permits["etat"] != "Annulé", "nom_commune"].value_counts(),
    }


def _column(shown: dict, key: str) -> dict[str, int]:
    return {name: row[key] for name, row in shown["table"].items() if row[key]}


def _csv(shown: dict) -> pd.DataFrame:
    text = unquote(shown["csv_href"].split(",", 1)[1])
    return pd.read_csv(io.StringIO(text.removeprefix("\ufeff")), sep=";")


def _assert_counts(shown: dict, keys: list[str], direct: dict[str, pd.Series]) -> None:
    assert shown["layers"] == keys
    for key in keys:
        assert _column(shown, key) == direct[key].to_dict(), key
    csv = _csv(shown).set_index("Commune")
    assert list(csv.columns) == [LABELS[key] for key in keys]
    assert len(csv) == shown["csv_rows"] == len(shown["table"])
    for key in keys:
        assert csv[LABELS[key]].to_dict() == {n: r[key] for n, r in shown["table"].items()}
    assert shown["map_layers"] == [LABELS[key] for key in keys]


def test_defaults_cross_five_layers(executed, direct):
    shown = executed["defaults"].results
    keys = ["arrets", "compteurs", "bornes", "conteneurs", "arbres"]
    _assert_counts(shown, keys, direct)
    assert shown["cards"] == {key: int(direct[key].sum()) for key in keys}
    assert shown["map_points"]["permis"] == 0  # not chosen: off the map and emptied
    assert shown["map_points"]["arrets"] == direct["arrets"].sum()
    totals = pd.DataFrame(shown["table"]).T.sum(axis=1)
    assert shown["chart_labels"] == list(
        totals.sort_values(ascending=False, kind="stable").index[:10]
    )
    rouen = shown["chart_values"]["Conteneurs à déchets"][shown["chart_labels"].index("Rouen")]
    assert rouen == pytest.approx(100 * direct["conteneurs"]["Rouen"] / direct["conteneurs"].sum())
    assert "Données d'exemple générées" in html.unescape(shown["banner"])
    assert shown["sources"] == [
        "astuce-gtfs", "eco-counter-sites", "bornes-irve", "donmetdec-pav",
        "arbres-remarquables", "communes-metropole",
    ]  # fmt: skip


def test_a_single_real_layer(executed, direct):
    shown = executed["trees-only"].results
    _assert_counts(shown, ["arbres"], direct)
    assert {k: v for k, v in shown["map_points"].items() if v} == {"arbres": direct["arbres"].sum()}
    assert shown["banner"] == ""  # trees and communes are real: no « données d'exemple »
    assert shown["sources"] == ["arbres-remarquables", "communes-metropole"]


def test_all_layers_in_one_commune(executed, direct):
    shown = executed["all-in-rouen"].results
    keys = ALL_LAYERS.split(",")
    _assert_counts(shown, keys, direct)
    assert shown["cards"] == {key: int(direct[key].get("Rouen", 0)) for key in keys}
    assert shown["card_labels"][0] == "Arrêts Astuce à Rouen"
    assert shown["map_points"] == {key: int(direct[key].get("Rouen", 0)) for key in keys}
    assert "Hors Métropole" in shown["table"]  # stops beyond the Métropole, counted apart


def test_a_commune_outside_the_top_is_added_to_the_chart(executed, direct):
    shown = executed["stops-and-permits-in-elbeuf"].results
    _assert_counts(shown, ["arrets", "permis"], direct)  # listed in display order
    assert shown["parameters"]["couches"] == "arrets,permis"
    assert "Elbeuf" in shown["chart_labels"] and len(shown["chart_labels"]) == 10
    assert shown["chart_series"] == ["Arrêts Astuce", "Permis de construire"]


def test_communes_are_coloured_by_their_mean_share_of_the_layers(executed, direct):
    shown = executed["defaults"].results
    keys = ["arrets", "compteurs", "bornes", "conteneurs", "arbres"]
    table = pd.DataFrame({key: direct[key] for key in keys}).fillna(0)
    mean = (table / table.sum()).mean(axis=1) * 100
    communes = load_dataset("communes-metropole").frame
    assert set(shown["choropleth"]) == set(communes["nom_commune"])
    for name, text in shown["choropleth"].items():
        value = float(text.split("\u00a0%")[0].replace(",", "."))
        assert value == pytest.approx(mean.get(name, 0.0), abs=0.05), name
    none = executed["none"].results["choropleth"]
    assert set(none.values()) == {"pas de donnée"}


def test_no_layer_shows_an_empty_table_not_an_error(executed):
    run = executed["none"]
    shown = run.results
    assert shown["layers"] == [] and shown["map_layers"] == [] and shown["chart_labels"] == []
    assert list(_csv(shown).columns) == ["Commune"] and shown["csv_rows"] > 0
    assert shown["sources"] == ["communes-metropole"]


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_an_address_chooses_the_layers_and_the_commune(deep_linked, direct):
    run = deep_linked["trees-and-permits-in-elbeuf"]
    shown = run.results
    assert address_notice(run) == ""
    assert shown["parameters"] == {"couches": "arbres,permis", "commune": "Elbeuf"}
    _assert_counts(shown, ["arbres", "permis"], direct)
    assert shown["cards"] == {
        key: int(direct[key].get("Elbeuf", 0)) for key in ["arbres", "permis"]
    }
    assert shown["card_labels"] == ["Arbres remarquables à Elbeuf", "Permis de construire à Elbeuf"]
    assert shown["map_points"] == {
        key: int(direct[key].get("Elbeuf", 0)) if key in ("arbres", "permis") else 0
        for key in LABELS
    }
    assert "Données d'exemple générées" in html.unescape(shown["banner"])  # the permits


def test_a_refused_address_is_said_and_the_defaults_kept(deep_linked):
    run = deep_linked["unknown-layer-and-commune"]
    notice = address_notice(run)
    assert "« velos » : couche inconnue" in notice and "« Paris »" in notice
    assert run.results["parameters"] == {
        "couches": "arrets,compteurs,bornes,conteneurs,arbres",
        "commune": "Toutes",
    }
    assert run.results["layers"] == ["arrets", "compteurs", "bornes", "conteneurs", "arbres"]
    assert_light_and_clean(deep_linked)


def test_an_unknown_layer_fails_with_a_french_message(tmp_path):
    assert_refused(NAME, {"couches": "arrets,velos"}, tmp_path, "« velos » : couche inconnue")
