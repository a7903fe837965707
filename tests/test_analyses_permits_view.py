"""What the « permis de construire » page shows for a choice, on a small known table.

Expected figures are written out by hand from the six authorisations below.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analyses import permits as pc
from analyses.permits_view import PermitData


def square(lon: float, lat: float) -> dict:
    """A small square outline (GeoJSON) around a point."""
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def permits_frame() -> pd.DataFrame:
    """Six authorisations in Rouen and Elbeuf, 2021 to 2023, one cancelled."""
    return pd.DataFrame(
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
            "lat": [49.443, 49.444, 49.287, 49.445, 49.288, 49.446],
            "lon": [1.093, 1.094, 1.007, 1.095, 1.008, 1.096],
        }
    )  # fmt: skip


def communes_frame() -> pd.DataFrame:
    """Rouen, Elbeuf and a commune without any authorisation (Sahurs)."""
    return pd.DataFrame(
        {
            "code_insee": ["76540", "76231", "76660"],
            "nom_commune": ["Rouen", "Elbeuf", "Sahurs"],
            "population": [110_000, 16_000, 0],
            "population_millesime": [2023, 2023, 2023],
            "geo_shape": [square(1.09, 49.44), square(1.00, 49.28), square(0.94, 49.36)],
        }
    )


@pytest.fixture
def data() -> PermitData:
    return PermitData.from_frames(permits_frame(), communes_frame())


def test_choices_and_checks(data):
    assert data.years == [2021, 2022, 2023]
    assert data.commune_names == ["Elbeuf", "Rouen"]
    assert data.population_year == 2023
    assert data.checks["commune"]("rOUEN") == "Rouen"
    assert data.checks["annee"](0) == 0 and data.checks["type_dau"]("PA") == "PA"
    with pytest.raises(ValueError, match="l'année 2031 n'est pas dans les données"):
        data.checks["annee"](2031)
    with pytest.raises(ValueError, match="la commune « Paris » n'a pas d'autorisation"):
        data.checks["commune"]("Paris")


def test_one_commune_one_year_compared_with_the_year_before(data):
    view = data.view({"commune": "Rouen", "annee": 2022, "type_dau": pc.ALL_TYPES})
    assert (view["commune"], view["annee"], view["years"]) == ("Rouen", 2022, [2021, 2022, 2023])
    assert list(view["rows"]["num_dau"]) == ["PC 076 540 23 X0003"]
    assert view["totals"] == {"permits": 1, "cancelled": 0, "dwellings": 1.0, "floor_area": 120.0}
    # Rouen in 2021: 40 dwellings, the cancelled permit of 100 left out.
    assert view["previous"] == {
        "permits": 2,
        "cancelled": 1,
        "dwellings": 40.0,
        "floor_area": 2600.0,
    }
    assert view["yearly"].to_dict() == {2021: 40.0, 2022: 1.0, 2023: 25.0}
    # Rankings, ratios and the table cover every commune, not only the chosen one.
    assert view["communes"].to_dict() == {"Elbeuf": 12.0, "Rouen": 1.0}
    assert view["per_1000"]["76231"] == pytest.approx(12 / 16_000 * 1000)
    assert view["per_1000"]["76540"] == pytest.approx(1 / 110_000 * 1000)
    assert pd.isna(view["per_1000"]["76660"])  # no population: no ratio
    assert view["kinds"].to_dict() == {
        "Individuel pur": 1.0,
        "Individuel groupé": 0.0,
        "Collectif": 0.0,
        "Résidence": 0.0,
    }
    assert view["table"].loc["Rouen"].tolist() == [40, 1, 25, 66]
    assert view["table"].loc["Elbeuf"].tolist() == [0, 12, 3, 15]


def test_first_year_and_one_type(data):
    view = data.view({"commune": pc.ALL_COMMUNES, "annee": 2021, "type_dau": "PC"})
    assert view["previous"] is None  # 2020 is not in the data
    assert view["totals"]["permits"] == 2 and view["totals"]["dwellings"] == 40.0
    assert view["yearly"].to_dict() == {2021: 40.0, 2022: 0.0, 2023: 28.0}
    assert list(view["table"].columns) == ["2021", "2022", "2023", "Total"]
    assert view["table"]["Total"].to_dict() == {"Rouen": 65, "Elbeuf": 3}
