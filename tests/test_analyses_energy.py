"""Energy consumption per commune: labels, selections, per-site and per-inhabitant ratios."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analyses import energy
from rouen_opendata import load_dataset


def _rows() -> pd.DataFrame:
    rows = [
        # commune, year, filière, secteur, MWh, sites
        ("A", 2018, "Electricité", "RESIDENTIEL", 100.0, 50),
        ("A", 2018, "Gaz", "RESIDENTIEL", 200.0, 20),
        ("A", 2023, "Electricité", "RESIDENTIEL", 90.0, 50),
        ("A", 2023, "Gaz", "INDUSTRIE", 150.0, 12),
        ("B", 2018, "Electricité", "TERTIAIRE", 40.0, 30),
        ("B", 2023, "Electricité", "TERTIAIRE", 60.0, 30),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "nom_commune", "annee", "filiere", "code_grand_secteur", "conso_totale_mwh", "nb_sites"
        ],
    )  # fmt: skip
    # Rows carry the INSEE code the population is joined by; B's name differs from the table's.
    frame["code_commune"] = frame["nom_commune"].map({"A": "76001", "B": "76002"})
    return energy.with_labels(frame)


COMMUNES = pd.DataFrame(
    {"code_insee": ["76001", "76002"], "nom_commune": ["A", "Le B"], "population": [100, 0]}
)


def test_labels_are_french_and_choices_follow_the_data():
    rows = _rows()
    assert set(rows["filiere_fr"]) == {"Électricité", "Gaz"}
    assert set(rows["secteur"]) == {"Résidentiel", "Industrie", "Tertiaire"}
    choices = energy.choices(rows)
    assert choices["secteur"] == ["Tous", "Résidentiel", "Tertiaire", "Industrie"]
    assert choices["filiere"] == ["Toutes", "Électricité", "Gaz"]
    assert choices["annee"] == [2018, 2023] and choices["commune"][:2] == ["Toutes", "A"]


def test_select_and_yearly_stack():
    rows = _rows()
    gas = energy.select(rows, filiere="Gaz")
    assert gas["conso_totale_mwh"].sum() == 350.0
    assert len(energy.select(rows, commune="B", secteur="Tertiaire")) == 2
    by_sector = energy.yearly(rows, "secteur")
    assert list(by_sector.columns) == ["Résidentiel", "Tertiaire", "Industrie"]
    assert by_sector.loc[2023].tolist() == [90.0, 60.0, 150.0]
    assert energy.yearly(rows)["total"].to_dict() == {2018: 340.0, 2023: 300.0}


def test_by_commune_ratios_and_missing_population():
    table = energy.by_commune(_rows(), 2023, COMMUNES)
    assert list(table.index) == ["A", "B"]  # largest first
    assert table.loc["A", "conso_mwh"] == 240.0 and table.loc["A", "sites"] == 62
    assert table.loc["A", "mwh_par_site"] == pytest.approx(240 / 62)
    assert table.loc["A", "mwh_par_habitant"] == pytest.approx(2.4)
    assert math.isnan(table.loc["B", "mwh_par_habitant"])  # population 0: no ratio
    assert table.loc["B", "population"] == 0  # joined by code, not by name
    assert table.loc["A", "code_insee"] == "76001"


def test_changes_from_first_year():
    rows = _rows()
    assert energy.change(rows, 2018, 2023) == pytest.approx(300 / 340 - 1)
    assert energy.change(rows, 2018, 2030) is None
    changes = energy.changes_by_commune(rows, 2018, 2023)
    assert changes.to_dict() == pytest.approx({"A": 240 / 300 - 1, "B": 0.5})
    assert energy.changes_by_commune(rows, 2017, 2023).empty


def test_snapshot_totals_match_a_direct_sum():
    frame = load_dataset("energie-communes").frame
    rows = energy.with_labels(frame)
    last = int(frame["annee"].max())
    direct = frame[frame["annee"] == last].groupby("nom_commune")["conso_totale_mwh"].sum()
    table = energy.by_commune(rows, last, load_dataset("communes-metropole").frame)
    assert table["conso_mwh"].to_dict() == pytest.approx(direct.to_dict())
    assert table.index[0] == direct.idxmax()
