"""Dwellings authorised per commune, year and type, cancelled permits left out."""

from __future__ import annotations

import pandas as pd
import pytest

from analyses import permits as pc


@pytest.fixture
def rows() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "num_dau": [f"PC 076 540 2{i} X000{i}" for i in range(6)],
            "type_dau": ["PC", "PC", "PA", "DP", "PC", "PC"],
            "etat": ["Terminé", "Annulé", "Autorisé", "Commencé", "Terminé", "Autorisé"],
            "date_reelle_autorisation": pd.to_datetime(
                ["2021-03-01", "2021-05-02", "2022-01-10", "2022-06-01", "2023-02-01", "2023-09-09"]
            ),
            "code_insee_commune": ["76540", "76540", "76231", "76540", "76231", "76540"],
            "nom_commune": ["Rouen", "Rouen", "Elbeuf", "Rouen", "Elbeuf", "Rouen"],
            "nb_lgt_crees": pd.array([40, 100, 12, 1, 3, 25], dtype="Int64"),
            "surf_plancher_m2": [2600.0, 6000.0, 1300.0, 120.0, 330.0, 1700.0],
            "type_lgt": ["Collectif", "Collectif", "Individuel groupé", "Individuel pur",
                         "Individuel groupé", "Résidence"],
        }
    )  # fmt: skip
    return pc.prepare(frame)


def test_prepare_and_choices(rows):
    assert pc.years(rows) == [2021, 2022, 2023]
    assert pc.communes(rows) == ["Elbeuf", "Rouen"]
    assert list(rows["active"]) == [True, False, True, True, True, True]
    assert pc.check_commune(rows, "rOUEN") == "Rouen"
    assert pc.check_year(rows, 0) == 0 and pc.check_type(rows, "PA") == "PA"


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (pc.check_commune, "Paris", "la commune « Paris » n'a pas d'autorisation"),
        (pc.check_year, 2019, "l'année 2019 n'est pas dans les données"),
        (pc.check_type, "PD", "le type « PD » est inconnu"),
    ],
)
def test_unknown_choices_are_refused_in_french(rows, check, value, message):
    with pytest.raises(ValueError, match=message):
        check(rows, value)


def test_totals_leave_cancelled_permits_out(rows):
    figures = pc.totals(pc.select(rows, "Rouen"))
    assert figures == {"permits": 4, "cancelled": 1, "dwellings": 66.0, "floor_area": 4420.0}
    assert pc.totals(pc.select(rows, annee=2022, type_dau="PA"))["dwellings"] == 12


def test_yearly_lists_every_year(rows):
    yearly = pc.yearly(pc.select(rows, "Elbeuf"), pc.years(rows))
    assert yearly.to_dict() == {2021: 0.0, 2022: 12.0, 2023: 3.0}


def test_rankings_and_dwelling_types(rows):
    assert pc.by_commune(rows).to_dict() == {"Rouen": 66.0, "Elbeuf": 15.0}
    kinds = pc.by_dwelling_type(rows)
    assert list(kinds.index) == list(pc.DWELLING_TYPES)
    assert kinds.to_dict() == {
        "Individuel pur": 1.0,
        "Individuel groupé": 15.0,
        "Collectif": 40.0,
        "Résidence": 25.0,
    }


def test_commune_year_table_has_totals_largest_first(rows):
    table = pc.commune_year_table(rows)
    assert list(table.columns) == ["2021", "2022", "2023", "Total"]
    assert list(table.index) == ["Rouen", "Elbeuf"]
    assert table.loc["Rouen"].tolist() == [40, 1, 25, 66]


def test_dwellings_per_1000_inhabitants_joined_by_code(rows):
    communes = pd.DataFrame(
        {
            "code_insee": ["76540", "76231", "76005", "76999"],
            "nom_commune": ["Rouen (autre graphie)", "Elbeuf", "Amfreville-la-Mi-Voie", "Vide"],
            "population": [100_000, 15_000, 3_000, 0],
        }
    )
    per_1000 = pc.per_1000_by_commune(rows, communes)
    assert list(per_1000.index) == ["76540", "76231", "76005", "76999"]
    # Rouen: 40 + 1 + 25 dwellings (the cancelled 100 left out); Elbeuf: 12 + 3.
    assert per_1000["76540"] == pytest.approx(66 / 100)
    assert per_1000["76231"] == pytest.approx(15 / 15)
    assert per_1000["76005"] == 0 and pd.isna(per_1000["76999"])
