"""Per-commune counts and ratios against the communes reference table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyses.communes import (
    ALL_COMMUNES,
    commune_choices,
    count_by_commune,
    density_by_commune,
    sort_key,
    spellings,
)


@pytest.fixture
def communes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nom_commune": ["Rouen", "Évreux-sur-Seine", "Elbeuf", "Vide"],
            "population": [1000, 2000, 500, 0],
            "superficie_km2": [10.0, 4.0, 0.0, 1.0],
        }
    )


def test_choices_start_with_all_and_ignore_accents(communes):
    assert commune_choices(communes) == [
        ALL_COMMUNES,
        "Elbeuf",
        "Évreux-sur-Seine",
        "Rouen",
        "Vide",
    ]
    assert sort_key("Étienne") == sort_key("etienne")


def test_counts_list_every_commune_and_keep_others_last(communes):
    names = pd.Series(["Rouen", "Rouen", "Elbeuf", None, "Hors Métropole"])
    counts = count_by_commune(names, communes)
    assert counts.to_dict() == {
        "Rouen": 2,
        "Évreux-sur-Seine": 0,
        "Elbeuf": 1,
        "Vide": 0,
        "Hors Métropole": 1,
    }
    assert "Hors Métropole" not in count_by_commune(names, communes, keep_others=False)


def test_density_per_1000_and_per_km2_never_infinite(communes):
    counts = count_by_commune(pd.Series(["Rouen"] * 5 + ["Elbeuf", "Vide"]), communes)
    density = density_by_commune(counts, communes)
    assert density.loc["Rouen", "per_1000"] == pytest.approx(5.0)
    assert density.loc["Rouen", "per_km2"] == pytest.approx(0.5)
    assert np.isnan(density.loc["Elbeuf", "per_km2"])  # area 0: no ratio
    assert np.isnan(density.loc["Vide", "per_1000"])  # population 0: no ratio
    assert list(density.columns) == ["count", "population", "superficie_km2", "per_1000", "per_km2"]


def test_spellings_are_reconciled_by_the_outline_code():
    reference = pd.DataFrame(
        {"code_insee": ["76108", "76540"], "nom_commune": ["Bois-Guillaume", "Rouen"]}
    )
    free_text = pd.Series(["Bois Guillaume", "Bois-Guillaume", "ROUEN", "Rouen", "Rouen", "Nulle"])
    # The fifth point says Rouen but lies in Bois-Guillaume; the last lies in no outline.
    code = pd.Series(["76108", "76108", "76540", "76540", "76108", pd.NA], dtype="string")
    report = spellings(free_text, code, reference)
    assert report.distinct == 4  # « Nulle » is outside every outline
    assert report.reconciled == 2  # « Bois Guillaume », « ROUEN »
    assert report.disagreeing_points == 1
    assert report.table["points"].sum() == code.notna().sum()
    rouen = report.table[report.table["spelling"] == "Rouen"]
    assert sorted(rouen[["nom_commune", "points"]].values.tolist()) == [
        ["Bois-Guillaume", 1],
        ["Rouen", 1],
    ]
