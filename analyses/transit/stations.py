"""Stations of a GTFS feed and the modes and lines known to serve them."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from .modes import MODES, UNKNOWN_MODE, mode_from_name, routes_with_modes

log = logging.getLogger(__name__)


def stations(stops: pd.DataFrame) -> pd.DataFrame:
    """One row per station: parent stations, and stops that have no parent.

    Columns: station_id, name, lat, lon, platforms (stops where one boards: child
    stops, or the stop itself when it has no parent),
    wheelchair (True when a platform is accessible, False when all say they are not,
    NA when the feed does not tell).
    """
    is_station = stops["location_type"].fillna(0).eq(1) | stops["parent_station"].isna()
    table = stops.loc[is_station, ["stop_id", "stop_name", "stop_lat", "stop_lon"]]
    table = table.rename(
        columns={"stop_id": "station_id", "stop_name": "name", "stop_lat": "lat", "stop_lon": "lon"}
    )
    boarding = stops[stops["location_type"].fillna(0).eq(0)]  # platforms, and lone stops
    flags = boarding["wheelchair_boarding"].fillna(0)
    by_station = platform_station(boarding)
    summary = pd.DataFrame(
        {
            "platforms": by_station.value_counts(),
            "accessible": flags.eq(1).groupby(by_station).any(),
            "refused": flags.eq(2).groupby(by_station).all(),
        }
    )
    table = table.merge(summary, left_on="station_id", right_index=True, how="left")
    table["platforms"] = table["platforms"].fillna(0).astype("int64")
    wheelchair = pd.Series(pd.NA, index=table.index, dtype="boolean")
    wheelchair[table["refused"].eq(True)] = False
    wheelchair[table["accessible"].eq(True)] = True
    table["wheelchair"] = wheelchair
    table = table.drop(columns=["accessible", "refused"])
    return table.sort_values("name").reset_index(drop=True)


def platform_station(stops: pd.DataFrame) -> pd.Series:
    """Station of each stop (its parent_station, or itself), indexed like ``stops``."""
    return stops["parent_station"].fillna(stops["stop_id"]).astype("string")


def _normalise(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def terminus_stations(trips: pd.DataFrame, stops: pd.DataFrame) -> pd.DataFrame:
    """(route_id, station_id) pairs of the termini named by trip headsigns.

    A headsign reads ``<stop name> <COMMUNE>`` (``Boulingrin ROUEN``), sometimes after a
    ``|``. The longest stop name it starts with gives the station; names shared by
    several stations are skipped rather than guessed.
    """
    names: dict[str, set[str]] = {}
    for name, station in zip(stops["stop_name"], platform_station(stops), strict=True):
        if isinstance(name, str) and name.strip():
            names.setdefault(_normalise(name), set()).add(station)
    pairs = []
    for route_id, headsign in (
        trips[["route_id", "trip_headsign"]].drop_duplicates().itertuples(index=False)
    ):
        if not isinstance(headsign, str):
            continue
        text = _normalise(headsign.split("|")[-1])
        matches = [n for n in names if text == n or text.startswith(n + " ")]
        if matches and len(found := names[max(matches, key=len)]) == 1:
            pairs.append((route_id, next(iter(found))))
    frame = pd.DataFrame(pairs, columns=["route_id", "station_id"], dtype="string")
    return frame.drop_duplicates().reset_index(drop=True)


def _ordered(values: Iterable[str], order: Iterable[str]) -> tuple[str, ...]:
    rank = {value: i for i, value in enumerate(order)}
    return tuple(sorted(set(values), key=lambda v: (rank.get(v, len(rank)), v)))


def station_modes(
    stops: pd.DataFrame,
    routes: pd.DataFrame,
    trips: pd.DataFrame,
    stop_times: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Stations with the modes and lines known to serve them.

    With ``stop_times`` every line calling at a platform counts for its station.
    Without it (partial feed) only termini named by headsigns and stations whose name
    tells the mode (lifts, river piers) are known. Columns: those of :func:`stations`,
    plus ``modes`` and ``lines`` (tuples), ``mode`` (main mode, or ``UNKNOWN_MODE``),
    ``route_ids`` (tuple) and ``basis`` (``horaires``, ``terminus``, ``nom`` or ``""``).
    """
    table = stations(stops)
    lines = routes_with_modes(routes).set_index("route_id")
    if stop_times is not None:
        served = (
            stop_times[["trip_id", "stop_id"]]
            .drop_duplicates()
            .merge(trips[["trip_id", "route_id"]], on="trip_id")
        )
        station_of = dict(zip(stops["stop_id"], platform_station(stops), strict=True))
        served = served.assign(station_id=served["stop_id"].map(station_of))
        pairs, basis = served[["route_id", "station_id"]].drop_duplicates(), "horaires"
    else:
        pairs, basis = terminus_stations(trips, stops), "terminus"
    pairs = pairs[pairs["route_id"].isin(lines.index)]
    served_by: dict[str, list[str]] = {}
    for route_id, station_id in pairs.itertuples(index=False):
        served_by.setdefault(str(station_id), []).append(str(route_id))
    order = list(lines.index)
    table["route_ids"] = [_ordered(served_by.get(s, ()), order) for s in table["station_id"]]
    short_name, mode_of = dict(lines["route_short_name"]), dict(lines["mode"])
    table["lines"] = [tuple(short_name[r] for r in ids) for ids in table["route_ids"]]
    modes = [_ordered((mode_of[r] for r in ids), MODES) for ids in table["route_ids"]]
    by_name = [mode_from_name(name) for name in table["name"]]
    table["modes"] = [
        m if m or named is None else (named,) for m, named in zip(modes, by_name, strict=True)
    ]
    table["mode"] = [m[0] if m else UNKNOWN_MODE for m in table["modes"]]
    table["basis"] = [
        basis if r else ("nom" if m else "")
        for r, m in zip(table["route_ids"], table["modes"], strict=True)
    ]
    log.debug(
        "modes known for %d of %d stations (%s)", (table["basis"] != "").sum(), len(table), basis
    )
    return table
