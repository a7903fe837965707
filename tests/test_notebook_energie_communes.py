"""The « consommation d'énergie par commune » notebook shows the snapshot's numbers.

Each run is executed once with papermill; ``RESULTS`` reads what the page drew through
the dashboard runtime (``view`` is the last view drawn, ``figures`` the notebook's
:class:`widgets.energy_board.EnergyFigures`). The figures are compared with sums made here
directly with pandas from the snapshot.
"""

from __future__ import annotations

import pandas as pd
import pytest
from notebook_runs import Run, assert_light_and_clean, assert_refused, execute_runs

from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "energie-communes"
RUNS = {
    "defaults": {},
    "rouen": {"commune": "Rouen"},
    "gaz-industrie-2020": {"filiere": "Gaz", "secteur": "Industrie", "annee": 2020},
}


RESULTS = """
per_commune = view["per_commune"]
ranking, per_inhabitant, choropleth = figures.ranking, figures.per_inhabitant, figures.choropleth
results = {
    "total_mwh": view["total_mwh"],
    "sites": view["sites"],
    "per_site": view["per_site"],
    "per_inhabitant": view["per_inhabitant"],
    "change": view["change"],
    "total_card": figures.cards["total"].text,
    "yearly": {
        str(year): dict(values)
        for year, values in view["yearly"].to_dict(orient="index").items()
    },
    "ranking": [[label, v] for label, v in zip(ranking.labels, ranking.values, strict=True)],
    "per_inhabitant_ranking": [
        [label, value]
        for label, value in zip(per_inhabitant.labels, per_inhabitant.values, strict=True)
    ],
    "changes": {k: v for k, v in per_commune["evolution"].dropna().items()},
    "table_rows": len(per_commune),
    "download_rows": figures.download.rows,
    "choropleth": {
        f["properties"]["Commune"]: f["properties"][choropleth.value_label]
        for f in choropleth.data["features"]
    },
    "choropleth_breaks": choropleth.breaks,
}
"""
"""What the tests read from a run: ``view`` is what the page drew for its values."""


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return load_dataset("energie-communes").frame


@pytest.fixture(scope="module")
def population() -> pd.Series:
    return load_dataset("communes-metropole").frame.set_index("nom_commune")["population"]


def test_the_map_colours_the_communes_by_consumption_per_inhabitant(executed, rows):
    """Per inhabitant joined here by INSEE code; the figures are still labelled generated."""
    run = executed["defaults"]
    shown = run.results
    communes = load_dataset("communes-metropole").frame.set_index("code_insee")
    in_year = _year(rows, int(rows["annee"].max()))
    mwh = in_year.groupby(in_year["code_commune"].astype(str))["conso_totale_mwh"].sum()
    per_head = (mwh / communes["population"]).rename(index=communes["nom_commune"])
    assert set(shown["choropleth"]) == set(communes["nom_commune"])
    for name, text in shown["choropleth"].items():
        value = float(text.split("\u00a0MWh")[0].replace("\u202f", "").replace(",", "."))
        assert value == pytest.approx(per_head[name], abs=0.05), name
    breaks = shown["choropleth_breaks"]
    assert len(breaks) == 4 and breaks == sorted(breaks)
    assert "pas de donnée" not in run.widget_texts  # every commune has a published row
    assert "données d'exemple générées" in run.widget_texts
    assert "approchée" not in run.widget_texts  # the populations are the INSEE's


def _year(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    return rows[rows["annee"] == year]


def test_defaults_show_the_last_year_for_the_whole_metropole(executed, rows, population):
    run = executed["defaults"]
    shown = run.results
    first, last = int(rows["annee"].min()), int(rows["annee"].max())
    assert shown["parameters"] == {
        "commune": "Toutes",
        "filiere": "Toutes",
        "secteur": "Tous",
        "annee": last,
    }
    in_year = _year(rows, last)
    total = in_year["conso_totale_mwh"].sum()
    assert shown["total_mwh"] == pytest.approx(total)
    assert shown["sites"] == int(in_year["nb_sites"].sum())
    assert shown["per_site"] == pytest.approx(total / in_year["nb_sites"].sum())
    assert shown["per_inhabitant"] == pytest.approx(total / population.sum())
    start = _year(rows, first)["conso_totale_mwh"].sum()
    assert shown["change"] == pytest.approx(total / start - 1)
    per_commune = (
        in_year.groupby("nom_commune")["conso_totale_mwh"].sum().sort_values(ascending=False)
    )
    ranking = dict(shown["ranking"])
    assert list(ranking)[0] == per_commune.index[0]
    assert list(ranking.values()) == pytest.approx(list(per_commune.head(15) / 1000))
    per_head = (per_commune / population.reindex(per_commune.index)).sort_values(ascending=False)
    assert shown["per_inhabitant_ranking"][0][0] == per_head.index[0]
    assert shown["per_inhabitant_ranking"][0][1] == pytest.approx(per_head.iloc[0])
    assert shown["table_rows"] == shown["download_rows"] == in_year["nom_commune"].nunique()
    assert shown["total_card"] in run.widget_texts.replace(
        '</span> <span class="rr-kpi-unit">', "\u00a0"
    )


def test_defaults_stack_sectors_year_by_year(executed, rows):
    shown = executed["defaults"].results
    direct = rows.pivot_table(
        index="annee", columns="code_grand_secteur", values="conso_totale_mwh", aggfunc="sum"
    )
    assert sorted(shown["yearly"]) == [str(y) for y in direct.index]
    for year, values in shown["yearly"].items():
        assert sum(values.values()) == pytest.approx(direct.loc[int(year)].sum() / 1000)
        assert values["Résidentiel"] == pytest.approx(direct.loc[int(year), "RESIDENTIEL"] / 1000)


def test_one_commune(executed, rows, population):
    run = executed["rouen"]
    shown = run.results
    rouen = rows[rows["nom_commune"] == "Rouen"]
    last = int(rows["annee"].max())
    total = _year(rouen, last)["conso_totale_mwh"].sum()
    assert shown["total_mwh"] == pytest.approx(total)
    assert shown["per_inhabitant"] == pytest.approx(total / population["Rouen"])
    first = _year(rouen, int(rows["annee"].min()))["conso_totale_mwh"].sum()
    assert shown["changes"]["Rouen"] == pytest.approx(total / first - 1)
    assert "Rouen" in dict(shown["ranking"])  # the ranking keeps every commune, Rouen in colour
    assert "Consommation en 2023, Rouen" in run.widget_texts


def test_gas_in_industry_in_2020(executed, rows):
    shown = executed["gaz-industrie-2020"].results
    chosen = rows[(rows["filiere"] == "Gaz") & (rows["code_grand_secteur"] == "INDUSTRIE")]
    total = _year(chosen, 2020)["conso_totale_mwh"].sum()
    assert shown["total_mwh"] == pytest.approx(total)
    first = _year(chosen, int(rows["annee"].min()))["conso_totale_mwh"].sum()
    assert shown["change"] == pytest.approx(total / first - 1)
    assert {name for values in shown["yearly"].values() for name in values} == {"Gaz"}
    by_commune = _year(chosen, 2020).groupby("nom_commune")["conso_totale_mwh"].sum()
    assert shown["ranking"][0][0] == by_commune.idxmax()
    assert shown["table_rows"] == len(by_commune)


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_a_wrong_commune_fails_with_a_french_message(tmp_path):
    assert_refused(NAME, {"commune": "Paris"}, tmp_path, "« Paris » n'est pas un choix possible")
