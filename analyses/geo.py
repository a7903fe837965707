"""Distances on the ground: haversine, nearest point, points assigned to communes.

Coordinates are WGS84 degrees in ``lat``/``lon`` columns, as ``load_dataset`` gives
them. At the scale of the Métropole (about 50 km across) the haversine distance on a
sphere of mean Earth radius is within 0.5 % of the geodesic distance.

Points are assigned to communes by point-in-polygon on the real outlines
(:func:`assign_communes`, shapely 2); a point outside every outline is reported, never
given to the nearest commune.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

log = logging.getLogger(__name__)

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), in metres."""
DISTANCE_COLUMN = "distance_m"
"""Column added by :func:`nearest_point` and :func:`nearest_by_group`."""


def haversine_m(
    lat1: float | np.ndarray | pd.Series,
    lon1: float | np.ndarray | pd.Series,
    lat2: float | np.ndarray | pd.Series,
    lon2: float | np.ndarray | pd.Series,
) -> np.ndarray | float:
    """Great-circle distance in metres between points given in degrees (broadcasts).

    Parameters
    ----------
    lat1, lon1
        First point(s).
    lat2, lon2
        Second point(s); arrays broadcast against the first ones.

    Returns
    -------
    numpy.ndarray or float
        Distances in metres.
    """
    phi1, phi2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dphi = phi2 - phi1
    dlambda = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    distance = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(distance) if np.ndim(distance) == 0 else distance


def _located(frame: pd.DataFrame, lat: str, lon: str) -> pd.DataFrame:
    located = frame.dropna(subset=[lat, lon])
    if len(located) < len(frame):
        log.info("%d points without coordinates ignored", len(frame) - len(located))
    return located


def nearest_point(
    frame: pd.DataFrame, lat: float, lon: float, *, lat_col: str = "lat", lon_col: str = "lon"
) -> pd.Series | None:
    """The row of ``frame`` closest to (``lat``, ``lon``), with its ``distance_m``.

    Returns None when ``frame`` has no located row. Ties go to the first row.
    """
    located = _located(frame, lat_col, lon_col)
    if located.empty:
        return None
    distances = haversine_m(lat, lon, located[lat_col].to_numpy(), located[lon_col].to_numpy())
    position = int(np.argmin(distances))
    row = located.iloc[position].copy()
    row[DISTANCE_COLUMN] = float(distances[position])
    return row


def nearest_by_group(
    frame: pd.DataFrame,
    lat: float,
    lon: float,
    by: str,
    *,
    lat_col: str = "lat",
    lon_col: str = "lon",
) -> pd.DataFrame:
    """The closest row of each group of ``frame[by]``, nearest group first.

    Columns: those of ``frame`` plus ``distance_m``; one row per group value.
    """
    located = _located(frame, lat_col, lon_col)
    distances = haversine_m(lat, lon, located[lat_col].to_numpy(), located[lon_col].to_numpy())
    ranked = located.assign(**{DISTANCE_COLUMN: distances}).sort_values(
        DISTANCE_COLUMN, kind="stable"
    )
    return ranked.drop_duplicates(subset=[by]).reset_index(drop=True)


def nearest_target(points: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """For every located row of ``points``, the nearest located row of ``targets``.

    Distances from every point to every target are computed at once (a thousand
    points by a hundred targets is a small matrix). Ties go to the first target.

    Returns
    -------
    pandas.DataFrame
        Indexed like the located rows of ``points``: ``distance_m``, and ``target``, the
        position (``iloc``) of the nearest row in ``targets``. Empty when either frame has
        no located row.
    """
    located = points[["lat", "lon"]].dropna()
    usable = np.flatnonzero(targets["lat"].notna().to_numpy() & targets["lon"].notna().to_numpy())
    if located.empty or not len(usable):
        return pd.DataFrame(
            {DISTANCE_COLUMN: pd.Series(dtype="float64"), "target": pd.Series(dtype="int64")}
        )
    distances = haversine_m(
        located["lat"].to_numpy()[:, None],
        located["lon"].to_numpy()[:, None],
        targets["lat"].to_numpy()[usable][None, :],
        targets["lon"].to_numpy()[usable][None, :],
    )
    closest = distances.argmin(axis=1)
    return pd.DataFrame(
        {
            DISTANCE_COLUMN: distances[np.arange(len(closest)), closest],
            "target": usable[closest],
        },
        index=located.index,
    )


@dataclass(frozen=True)
class CommuneAssignment:
    """Which commune each point lies in, and the points that lie in none."""

    code: pd.Series
    """INSEE code per point (string, missing outside every outline or without
    coordinates), indexed like the points."""
    outside: pd.DataFrame
    """The located points inside no outline (e.g. Paris, or a stop beyond the Métropole)."""
    unlocated: int
    """Points without coordinates."""

    @property
    def outside_count(self) -> int:
        return len(self.outside)


def assign_communes(
    points: pd.DataFrame,
    communes: pd.DataFrame,
    *,
    code: str = "code_insee",
    shape: str = "geo_shape",
) -> CommuneAssignment:
    """The commune whose outline contains each point (point-in-polygon, shapely STRtree).

    A point on the boundary shared by two communes goes to the first of them in the
    table's order; a point inside no outline gets no code and is listed in ``outside``.

    Parameters
    ----------
    points
        Rows with ``lat``/``lon``.
    communes
        One row per commune with its ``code`` and its outline ``shape`` (GeoJSON
        geometry dicts, as ``load_dataset("communes-metropole")`` gives them).
    """
    outlines = np.array([shapely.geometry.shape(s) for s in communes[shape]], dtype=object)
    codes = communes[code].astype("string").to_numpy()
    lat, lon = points["lat"].to_numpy(float), points["lon"].to_numpy(float)
    located = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon)))
    inside, which = shapely.STRtree(outlines).query(
        shapely.points(lon[located], lat[located]), predicate="intersects"
    )
    # STRtree pairs come unordered: keep the first outline (table order) of each point.
    order = np.lexsort((which, inside))
    inside, which = inside[order], which[order]
    first = np.unique(inside, return_index=True)[1]
    found = np.full(len(points), pd.NA, dtype=object)
    found[located[inside[first]]] = codes[which[first]]
    result = pd.Series(found, index=points.index, dtype="string")
    outside = points.iloc[np.setdiff1d(located, located[inside])]
    if len(outside):
        log.info("%d of %d points inside no commune outline", len(outside), len(located))
    return CommuneAssignment(result, outside, len(points) - len(located))


def disc_radius_m(area_km2: float) -> float:
    """Radius (m) of the disc as large as an area (a commune): √(area / π)."""
    return math.sqrt(max(float(area_km2), 0.0) / math.pi) * 1000


def within_m(frame: pd.DataFrame, lat: float, lon: float, radius_m: float) -> pd.Series:
    """True for the rows of ``frame`` less than ``radius_m`` from (``lat``, ``lon``)."""
    distance = haversine_m(lat, lon, frame["lat"].to_numpy(), frame["lon"].to_numpy())
    return pd.Series(np.asarray(distance) < radius_m, index=frame.index)


METROPOLE_BOUNDS = ((49.20, 0.70), (49.62, 1.36))
"""(south, west), (north, east): a box around the Métropole with a margin, in degrees."""


def latitude_check(value: float) -> None:
    """Raise ``ValueError`` (French) unless ``value`` is a latitude in the Métropole's box."""
    (south, _), (north, _) = METROPOLE_BOUNDS
    if not south <= value <= north:
        raise ValueError(
            f"la latitude {value} est hors de la Métropole (entre {south} et {north} attendu)"
        )


def longitude_check(value: float) -> None:
    """Raise ``ValueError`` (French) unless ``value`` is a longitude in the Métropole's box."""
    (_, west), (_, east) = METROPOLE_BOUNDS
    if not west <= value <= east:
        raise ValueError(
            f"la longitude {value} est hors de la Métropole (entre {west} et {east} attendu)"
        )
