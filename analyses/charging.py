"""Charging points for electric vehicles: stations, power classes, coverage, distances.

The IRVE table (``load_dataset("bornes-irve")``) has one row per charging point
(*point de charge*, pdc) with its station id, power (``puissance_nominale``, kW) and
the station's INSEE commune code. Stations are rebuilt from it; a station's class is
that of its most powerful point. Distances from stops to stations are haversine
distances, by :func:`analyses.geo.nearest_target`.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rouen_opendata.formatting import format_compact

from .communes import NAME, count_by_commune, density_by_commune
from .geo import assign_communes, nearest_target

log = logging.getLogger(__name__)

STATION = "id_station_itinerance"
POWER = "puissance_nominale"


@dataclass(frozen=True)
class PowerClass:
    """A band of maximum power, in kW: ``low`` ≤ power < ``high``."""

    label: str
    low: float
    high: float


POWER_CLASSES = (
    PowerClass("Normale (moins de 22 kW)", 0.0, 22.0),
    PowerClass("Accélérée (22 à 49 kW)", 22.0, 50.0),
    PowerClass("Rapide (50 kW et plus)", 50.0, math.inf),
)
"""Power classes, slowest first (their colours: ``widgets.charging_board.POWER_COLORS``)."""
DISTANCE_BOUNDS = (300, 500, 1000, 2000, 5000)
"""Limits (metres) of the distance classes of :func:`distance_classes`."""
PER_INHABITANTS = 10_000
"""Coverage is given in charging points per this many inhabitants."""


def power_class(kw: pd.Series) -> pd.Series:
    """Label of the :data:`POWER_CLASSES` band of each power (missing when unknown)."""
    labels = pd.Series(pd.NA, index=kw.index, dtype="string")
    for band in POWER_CLASSES:
        labels[(kw >= band.low) & (kw < band.high)] = band.label
    return labels


def power_thresholds(points: pd.DataFrame) -> list[float]:
    """Choices for a minimum power: 0 (every point) then each power found, ascending."""
    found = sorted({float(p) for p in points[POWER].dropna() if p > 0})
    return [0.0, *found]


def at_least(points: pd.DataFrame, min_kw: float) -> pd.DataFrame:
    """Charging points of ``min_kw`` or more (all of them for 0)."""
    return points[points[POWER].fillna(0) >= min_kw] if min_kw > 0 else points


def charging_stations(points: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """One row per station, from one row per charging point.

    Columns: ``station_id``, ``name``, ``address``, ``operator``, ``commune`` (name from
    the INSEE code; missing when not in ``communes``), ``points``, ``max_kw``,
    ``power_class``, ``free`` (some point is free of charge), ``lat``, ``lon``.
    """
    free = points["gratuit"].astype("string").str.lower().isin(["true", "1", "oui"])
    table = (
        points.assign(_free=free)
        .groupby(STATION, sort=True)
        .agg(
            name=("nom_station", "first"),
            address=("adresse_station", "first"),
            operator=("nom_amenageur", "first"),
            code=("code_insee_commune", "first"),
            points=(POWER, "size"),
            max_kw=(POWER, "max"),
            free=("_free", "any"),
            lat=("lat", "first"),
            lon=("lon", "first"),
        )
    )
    names = communes.set_index("code_insee")[NAME].astype("string")
    table["commune"] = table["code"].astype("string").map(names)
    table["power_class"] = power_class(table["max_kw"])
    table.index.name = "station_id"
    columns = ["name", "address", "operator", "commune", "points", "max_kw", "power_class"]
    return table.reset_index()[["station_id", *columns, "free", "lat", "lon"]]


def nearest_station(stops: pd.DataFrame, stations: pd.DataFrame) -> pd.DataFrame:
    """Each stop with the distance to its nearest station and that station's name.

    Adds ``distance_m`` (NaN when there is no station, or the stop has no position)
    and ``nearest`` to a copy of ``stops`` (``lat``/``lon`` columns in both frames).
    """
    result = stops.copy()
    result["distance_m"] = np.nan
    result["nearest"] = pd.Series(pd.NA, index=stops.index, dtype="string")
    near = nearest_target(stops, stations)
    result.loc[near.index, "distance_m"] = near["distance_m"]
    names = stations["name"].astype("string").to_numpy()
    result.loc[near.index, "nearest"] = names[near["target"].to_numpy()]
    return result


def metres_text(metres: float) -> str:
    """``300`` → « 300 m », ``1000`` → « 1 km », ``1500`` → « 1,5 km »."""
    if metres < 1000:
        return f"{format_compact(metres)} m"
    return f"{format_compact(metres / 1000)} km"


def distance_labels(bounds: tuple[int, ...] = DISTANCE_BOUNDS) -> list[str]:
    """French labels of the classes cut at ``bounds``: « moins de 300 m » … « 5 km et plus »."""
    labels = [f"moins de {metres_text(bounds[0])}"]
    for low, high in zip(bounds[:-1], bounds[1:], strict=True):
        same_unit = (low >= 1000) == (high >= 1000)
        left = metres_text(low).rsplit(" ", 1)[0] if same_unit else metres_text(low)
        labels.append(f"{left} à {metres_text(high)}")
    return [*labels, f"{metres_text(bounds[-1])} et plus"]


def distance_classes(distances: pd.Series, bounds: tuple[int, ...] = DISTANCE_BOUNDS) -> pd.Series:
    """Number of distances in each class (label → count, nearest class first).

    Classes are [0, b₀), [b₀, b₁) … [bₙ, ∞); missing distances are not counted.
    """
    values = distances.dropna().to_numpy(dtype=float)
    edges = np.searchsorted(np.asarray(bounds, dtype=float), values, side="right")
    counts = np.bincount(edges, minlength=len(bounds) + 1)
    return pd.Series(counts, index=distance_labels(bounds), name="stops", dtype="int64")


def share_within(distances: pd.Series, metres: float) -> float | None:
    """Share (0–1) of the known distances strictly below ``metres``; None when none."""
    known = distances.dropna()
    return float((known < metres).mean()) if len(known) else None


def coverage(points: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Charging points and stations per commune, and points per 10,000 inhabitants.

    Every commune of ``communes`` is listed (0 when it has no point). Columns:
    ``commune``, ``population``, ``points``, ``stations``, ``per_10k`` (missing when the
    population is unknown or zero).
    """
    names = communes.set_index("code_insee")[NAME].astype("string")
    commune = points["code_insee_commune"].astype("string").map(names)
    unknown = int(commune.isna().sum())
    if unknown:
        log.info("%d charging points with a commune code outside the reference table", unknown)
    counts = count_by_commune(commune, communes, keep_others=False)
    table = density_by_commune(counts, communes)
    stations = points.groupby(commune)[STATION].nunique()
    table["stations"] = stations.reindex(table.index, fill_value=0).astype("int64")
    table["per_10k"] = table["per_1000"] * PER_INHABITANTS / 1000
    table = table.rename(columns={"count": "points"})
    table.index.name = "commune"
    return table.reset_index()[["commune", "population", "points", "stations", "per_10k"]]


SHARE_DISTANCES = (300, 500, 1000)
"""Distances (m) whose share of stops is always shown."""
FARTHEST_COUNT = 10


def place_stops(stops: pd.DataFrame, communes: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Stops with their ``commune`` name, from the real outlines (point-in-polygon).

    Stops inside no commune outline are left out (the charging inventory stops at the
    Métropole's limits); their number is returned so the page can say so.
    """
    placed = assign_communes(stops, communes)
    names = communes.set_index("code_insee")[NAME].astype("string")
    inside = placed.code.notna()
    kept = stops[inside].assign(commune=placed.code[inside].map(names))
    return kept.reset_index(drop=True), int((~inside).sum())


@dataclass(frozen=True)
class ChargingView:
    """What the page shows for one commune (or all), minimum power and distance."""

    stations: pd.DataFrame
    """Every station with a point of the minimum power or more (the map shows them all)."""
    in_place: pd.DataFrame
    """Those of the chosen commune (all of them for the whole Métropole)."""
    near: pd.DataFrame
    """The counted stops, with ``distance_m`` to their nearest station and its name."""
    coverage: pd.DataFrame
    per_10k: float
    classes: pd.Series
    shares: dict[int, float | None]
    share: float | None
    close: int
    median: float | None
    far: pd.DataFrame
    farthest: pd.DataFrame


def charging_view(
    points: pd.DataFrame,
    communes: pd.DataFrame,
    stops: pd.DataFrame,
    commune: str | None,
    min_kw: float,
    limit_m: float,
) -> ChargingView:
    """Stations, coverage and stop distances for ``commune`` (None: the whole Métropole).

    ``stops`` come from :func:`place_stops`; for one commune only the stops inside its
    outline are counted, though their nearest station may lie in a neighbouring commune.
    """
    chosen = at_least(points, min_kw)
    stations = charging_stations(chosen, communes)
    near = nearest_station(stops, stations)
    near["distance"] = near["distance_m"].round().astype("Int64")
    table = coverage(chosen, communes)
    if commune is None:
        in_place = stations
        per_10k = table["points"].sum() / table["population"].sum() * PER_INHABITANTS
    else:
        near = near[near["commune"] == commune]
        in_place = stations[stations["commune"] == commune]
        per_10k = table.loc[table["commune"] == commune, "per_10k"].iloc[0]
    distances = near["distance_m"]
    return ChargingView(
        stations=stations,
        in_place=in_place,
        near=near,
        coverage=table,
        per_10k=float(per_10k),
        classes=distance_classes(distances),
        shares={d: share_within(distances, d) for d in SHARE_DISTANCES},
        share=share_within(distances, limit_m),
        close=int((distances < limit_m).sum()),
        median=float(distances.median()) if distances.notna().any() else None,
        far=near[near["distance_m"] >= limit_m],
        farthest=near.nlargest(FARTHEST_COUNT, "distance_m"),
    )
