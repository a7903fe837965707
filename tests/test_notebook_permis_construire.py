"""The « permis de construire » notebook: authorisations, dwellings per commune and year.

Dwellings are counted here with pandas on the authorisations that are not cancelled.
"""

from __future__ import annotations

import pandas as pd
import pytest
from notebook_runs import (
    Run,
    address_after_changes,
    address_notice,
    address_state,
    assert_light_and_clean,
    assert_refused,
    execute_runs,
    open_addresses,
)

from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "permis-construire"
RUNS = {
    "defaults": {},
    "rouen": {"commune": "Rouen"},
    "2023-pa": {"annee": 2023, "type_dau": "PA"},
    "unknown-dataset": {"jeu_de_donnees": "permis-inconnu", "commune": "elbeuf"},
}
DEEP_LINKS = {
    "elbeuf-2023": "commune=elbeuf&annee=2023",
    "wrong-type": "annee=2022&type_dau=XX",
}
"""Addresses a visitor opens in Voilà (a kernel that is not preheated)."""
DWELLING_TYPES = ["Individuel pur", "Individuel groupé", "Collectif", "Résidence"]


@pytest.fixture(scope="module")
def permits() -> pd.DataFrame:
    frame = load_dataset(NAME).frame
    return frame.assign(
        annee=frame["date_reelle_autorisation"].dt.year,
        nb=frame["nb_lgt_crees"].astype(float),
        active=frame["etat"].ne("Annulé").astype(bool),
    )


RESULTS = """
def pairs(chart):
    return [[label, value] for label, value in zip(chart.labels, chart.values, strict=True)]


results = {
    "dataset": data.key,
    "problem": data.problem,
    "generated": provenance.generated,
    "totals": view["totals"],
    "previous": view["previous"],
    "cards": {name: card.text for name, card in figures.cards.items()},
    "map_points": len(figures.permit_layer.data["features"]),
    "map_dwellings": sum(
        int(f["properties"]["Logements"].replace("\\u202f", ""))
        for f in figures.permit_layer.data["features"]
    ),
    "yearly": pairs(figures.per_year),
    "ranking": pairs(figures.ranking),
    "kinds": pairs(figures.per_kind),
    "table_rows": len(view["table"]),
    "choropleth": {
        f["properties"]["Commune"]: f["properties"][figures.choropleth.value_label]
        for f in figures.choropleth.data["features"]
    },
}
"""
"""What the tests read from a run: ``view`` is what the page drew for its values, ``figures``
the page's figures (``widgets.permits_board.PermitFigures``)."""


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def deep_linked(tmp_path_factory) -> dict[str, Run]:
    return open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)


def _select(permits, commune=None, year=None, kind=None):
    keep = pd.Series(True, index=permits.index)
    if commune:
        keep &= permits["nom_commune"] == commune
    if year:
        keep &= permits["annee"] == year
    if kind:
        keep &= permits["type_dau"] == kind
    return permits[keep]


def _permit_features(run: Run) -> list[dict]:
    (layer,) = [m for m in run.models("LeafletGeoJSONModel") if m["name"] == "Autorisations"]
    return layer["data"]["features"]


def _number(text: str) -> float:
    return float(text.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))


def _check_choropleth(run, permits, year=None, kind=None):
    """Dwellings per 1,000 inhabitants, joined here by INSEE code."""
    communes = load_dataset("communes-metropole").frame.set_index("code_insee")
    chosen = _select(permits, None, year, kind)
    chosen = chosen[chosen["active"]]
    dwellings = chosen.groupby(chosen["code_insee_commune"].astype(str))["nb"].sum()
    per_1000 = dwellings.reindex(communes.index, fill_value=0) / communes["population"] * 1000
    shown = run.results["choropleth"]
    assert set(shown) == set(communes["nom_commune"])
    by_name = per_1000.rename(index=communes["nom_commune"])
    for name, text in shown.items():
        assert _number(text) == pytest.approx(by_name[name], abs=0.05), name


def _check(run, permits, commune=None, year=None, kind=None):
    shown = run.results
    rows = _select(permits, commune, year, kind)
    active = rows[rows["active"]]
    assert shown["totals"] == {
        "permits": len(rows),
        "cancelled": int((~rows["active"]).sum()),
        "dwellings": active["nb"].sum(),
        "floor_area": pytest.approx(active["surf_plancher_m2"].sum()),
    }
    assert shown["map_points"] == len(active) and shown["map_dwellings"] == active["nb"].sum()
    assert len(_permit_features(run)) == len(active)
    over_years = _select(permits, commune, None, kind)
    yearly = over_years[over_years["active"]].groupby("annee")["nb"].sum()
    yearly = yearly.reindex(sorted(permits["annee"].unique()), fill_value=0)
    assert dict(shown["yearly"]) == {str(y): v for y, v in yearly.items()}
    in_year = _select(permits, None, year, kind)
    ranking = in_year[in_year["active"]].groupby("nom_commune")["nb"].sum()
    top = ranking.sort_values(ascending=False).head(15)
    if commune is not None and commune not in top.index:
        top = pd.concat([top.head(14), ranking[[commune]]])
    assert [v for _, v in shown["ranking"]] == list(top)
    kinds = active.groupby("type_lgt")["nb"].sum().reindex(DWELLING_TYPES, fill_value=0)
    assert dict(shown["kinds"]) == kinds.to_dict()
    every_year = _select(permits, None, None, kind)
    assert shown["table_rows"] == every_year.loc[every_year["active"], "nom_commune"].nunique()
    _check_choropleth(run, permits, year, kind)


def test_defaults_show_every_authorisation(runs, permits):
    run = runs["defaults"]
    _check(run, permits)
    assert run.results["previous"] is None
    assert "Données d'exemple générées" in run.widget_texts
    assert "Autorisations non annulées de 2019 à 2024" in run.widget_texts


def test_rouen_year_after_year(runs, permits):
    run = runs["rouen"]
    assert run.results["parameters"]["commune"] == "Rouen"
    _check(run, permits, commune="Rouen")
    assert run.results["ranking"][0][0] == "Rouen"


def test_development_permits_of_2023_compared_with_2022(runs, permits):
    run = runs["2023-pa"]
    _check(run, permits, year=2023, kind="PA")
    before = _select(permits, None, 2022, "PA")
    assert run.results["previous"]["dwellings"] == before.loc[before["active"], "nb"].sum()
    assert "par rapport à 2022" in run.widget_texts


def test_an_unknown_dataset_key_explains_itself(runs, permits):
    run = runs["unknown-dataset"]
    assert run.results["dataset"] == NAME
    assert run.results["parameters"]["commune"] == "Elbeuf"  # any case is accepted
    assert "« permis-inconnu » n'est pas déclaré" in run.results["problem"]
    assert "Jeu de données demandé non disponible" in run.widget_texts
    _check(run, permits, commune="Elbeuf")


def test_no_applicant_appears_on_the_page(runs):
    facts = {"Autorisation", "Commune", "Accordée le", "Logements", "Type de logement", "État"}
    for name, run in runs.items():
        texts = run.widget_texts.lower()
        assert "demandeur" not in texts and "pétitionnaire" not in texts, name
        for feature in _permit_features(run):
            assert set(feature["properties"]) - {"style"} <= facts, name


def test_executed_pages_stay_light(runs):
    assert_light_and_clean(runs)


def test_an_unknown_year_fails_with_a_french_message(tmp_path):
    assert_refused(NAME, {"annee": 2031}, tmp_path, "l'année 2031 n'est pas")


def test_an_address_chooses_the_commune_in_any_case_and_the_year(deep_linked, permits):
    run = deep_linked["elbeuf-2023"]
    assert address_notice(run) == ""
    assert run.results["parameters"]["commune"] == "Elbeuf"
    _check(run, permits, commune="Elbeuf", year=2023)
    assert "Logements autorisés en 2023 à Elbeuf" in run.widget_texts


def test_a_wrong_type_in_the_address_is_refused_in_french(deep_linked, permits):
    run = deep_linked["wrong-type"]
    assert "le type « XX » est inconnu" in address_notice(run)
    assert run.results["parameters"]["type_dau"] == "Tous"
    _check(run, permits, year=2022)
    assert_light_and_clean(deep_linked)


def test_the_address_follows_the_controls():
    states = address_after_changes(NAME, "", [("commune", "Rouen"), ("annee", 2021)])
    assert [values for values, _ in states] == [
        {"commune": "Rouen", "annee": 0, "type_dau": "Tous"},
        {"commune": "Rouen", "annee": 2021, "type_dau": "Tous"},
    ]
    assert states[0][1] == address_state("commune=Rouen")
    assert states[1][1] == address_state("commune=Rouen&annee=2021")
