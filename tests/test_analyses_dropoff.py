"""What the drop-off points page computes for a commune, a type and a point (no widget).

Two square communes and six containers: their commune is the square they lie in (one
typed with another commune's name, one in no square), distances are written out here.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analyses.communes import ALL_COMMUNES
from analyses.dropoff import (
    ALL_TYPES,
    KINDS,
    DropoffData,
    accept_latitude,
    accept_longitude,
)

GLASS, TEXTILE = "Emballages en verre", "Textile"


def _square(lat: float, lon: float, half: float = 0.05) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


COMMUNES = pd.DataFrame(
    {
        "code_insee": ["76540", "76231"],
        "nom_commune": ["Rouen", "Elbeuf"],
        "population": [100_000, 20_000],
        "population_millesime": [2023, 2023],
        "superficie_km2": [20.0, 10.0],
        "geo_shape": [_square(49.44, 1.09), _square(49.29, 1.01)],
    }
)
CONTAINERS = pd.DataFrame(
    {
        "pavtyp": [GLASS, GLASS, TEXTILE, GLASS, "Autre", GLASS],
        "adresse": ["1 rue", "2 rue", "3 rue", "4 rue", "5 rue", "6 rue"],
        # The fourth lies in Elbeuf but is typed « ROUEN »; the last lies in no square.
        "commune": ["Rouen", "ROUEN", "Rouen", "ROUEN", "Elbeuf", "Ailleurs"],
        "lat": [49.44, 49.45, 49.43, 49.29, 49.30, 49.60],
        "lon": [1.09, 1.10, 1.08, 1.01, 1.02, 1.30],
    }
)


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def data() -> DropoffData:
    return DropoffData.from_frames(CONTAINERS, COMMUNES)


def _values(**changed) -> dict:
    return {"commune": ALL_COMMUNES, "type_conteneur": ALL_TYPES, "lat": 49.44, "lon": 1.09} | (
        changed
    )


def test_each_container_gets_the_commune_of_its_outline(data):
    assert data.containers["commune"].tolist()[:5] == [
        "Rouen",
        "Rouen",
        "Rouen",
        "Elbeuf",
        "Elbeuf",
    ]
    assert pd.isna(data.containers["commune"].iloc[5])
    assert data.containers["commune_saisie"].tolist() == CONTAINERS["commune"].tolist()
    assert data.outside_count == 1
    # Rouen, ROUEN, Elbeuf: « Ailleurs » lies in no outline, it is no spelling of a commune.
    assert data.spellings.distinct == 3
    assert data.spellings.reconciled == 1  # « ROUEN »
    assert data.spellings.disagreeing_points == 1  # « ROUEN » lying in Elbeuf
    assert data.population_year == 2023


def test_only_known_types_are_offered_in_their_order(data):
    assert data.types == [GLASS, TEXTILE]
    assert data.type_choices == [ALL_TYPES, GLASS, TEXTILE]
    assert KINDS.index(GLASS) < KINDS.index(TEXTILE)


def test_every_commune_every_type(data):
    view = data.view(_values())
    assert len(view.shown) == 6  # the one outside every outline is on the map
    assert view.count == 5  # but counted in no commune
    assert view.per_1000 == pytest.approx(5 / 120_000 * 1000)
    assert view.per_km2 == pytest.approx(5 / 30.0)
    assert view.density.index.tolist() == ["Elbeuf", "Rouen"]  # 2 / 20,000 > 3 / 100,000
    assert view.density["count"].tolist() == [2, 3]


def test_one_commune_one_type(data):
    view = data.view(_values(commune="Elbeuf", type_conteneur=GLASS))
    assert view.shown["adresse"].tolist() == ["4 rue"]
    assert view.count == 1
    assert view.per_1000 == pytest.approx(1 / 20_000 * 1000)
    assert view.per_km2 == pytest.approx(0.1)
    # The density of the type is still given for every commune.
    assert view.density["count"].to_dict() == {"Rouen": 2, "Elbeuf": 1}


def test_the_nearest_of_each_type_whatever_its_commune(data):
    view = data.view(_values(commune="Elbeuf", lat=49.44, lon=1.09))
    assert view.nearest["pavtyp"].tolist() == [GLASS, TEXTILE, "Autre"]
    assert view.nearest["adresse"].tolist() == ["1 rue", "3 rue", "5 rue"]
    assert view.nearest["distance_m"].tolist() == pytest.approx(
        [0.0, _metres(49.44, 1.09, 49.43, 1.08), _metres(49.44, 1.09, 49.30, 1.02)]
    )
    glass = data.view(_values(type_conteneur=GLASS, lat=49.29, lon=1.01))
    assert glass.nearest["adresse"].tolist() == ["4 rue"]


def test_a_point_outside_the_metropole_is_refused_in_french():
    assert accept_latitude(49.4431) == 49.4431
    assert accept_longitude("1.0994") == pytest.approx(1.0994)
    with pytest.raises(ValueError, match="la latitude 48.853 est hors de la Métropole"):
        accept_latitude(48.853)
    with pytest.raises(ValueError, match="la longitude 2.35 est hors de la Métropole"):
        accept_longitude(2.35)
