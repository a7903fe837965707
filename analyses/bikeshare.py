"""Lovélo bike share (GBFS): stations, bikes at one instant, density, distance from stops.

The tables are ``load_dataset("lovelo-gbfs", table="station_information")`` (one row
per station: ``station_id``, ``name``, ``address``, ``lat``/``lon``, ``capacity``) and
``table="station_status"`` (``num_bikes_available``, ``num_docks_available``,
``is_renting``… at the feed's ``last_updated``). Stations are placed in their commune
by point-in-polygon on the real outlines; distances are haversine, vectorised.

:class:`BikeshareData` keeps the placed stations, the stops and the density once; its
:meth:`BikeshareData.view` is what the « Lovélo » page shows for one commune and one
walking distance (drawing it is :mod:`widgets.bikeshare_board`'s job). Pure
computations: no widget, no colour, no HTML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from analyses import transit
from rouen_opendata.formatting import format_date, format_number
from rouen_opendata.gbfs import updated_ago_fr

from .communes import ALL_COMMUNES, CODE, NAME
from .geo import DISTANCE_COLUMN, assign_communes, nearest_target

log = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
AVAILABLE, EMPTY, FULL, CLOSED = (
    "Des vélos et des places",
    "Aucun vélo",
    "Aucune place libre",
    "Hors service",
)
"""State of a station at the feed's instant, as the map's legend says it."""
NEAR, FAR = "Arrêt proche d'une station", "Arrêt plus loin"
"""Whether a stop has a station within the walking distance, as the map's legend says it."""
PER_INHABITANTS = 10_000
"""Station density is given per 10,000 inhabitants."""
DISTANCE_BANDS = (300, 500, 1000)
"""Limits (m) of the distance bands from a stop to its nearest station."""
WALKING_DISTANCES = (200, 300, 500, 1000)
"""The walking distances (m) from a stop to a station a visitor may choose."""


def stations(information: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """One row per station: where, how big, what it offered at the feed's instant.

    Columns: ``station_id``, ``nom`` (the published name without its number),
    ``numero``, ``adresse``, ``lat``, ``lon``, ``capacite``, ``velos``, ``places``,
    ``etat`` (one of ``STATE_COLORS``). A station missing from the status feed is
    ``CLOSED`` with unknown bikes.
    """
    merged = information.merge(
        status[["station_id", "is_renting", "num_bikes_available", "num_docks_available"]],
        on="station_id",
        how="left",
    )
    parts = merged["name"].astype("string").str.extract(r"^\s*(\d+)\s*-\s*(.+)$")
    name = parts[1].fillna(merged["name"].astype("string")).str.strip()
    bikes = merged["num_bikes_available"].astype("Int64")
    docks = merged["num_docks_available"].astype("Int64")
    renting = merged["is_renting"].astype("boolean").fillna(False)
    state = np.select(
        [
            ~renting.to_numpy(bool),
            bikes.fillna(0).eq(0).to_numpy(),
            docks.fillna(0).eq(0).to_numpy(),
        ],
        [CLOSED, EMPTY, FULL],
        AVAILABLE,
    )
    return pd.DataFrame(
        {
            "station_id": merged["station_id"].astype("string"),
            "nom": name.str.title().astype("string"),
            "numero": parts[0].astype("string"),
            "adresse": merged["address"].astype("string"),
            "lat": merged["lat"].astype("float64"),
            "lon": merged["lon"].astype("float64"),
            "capacite": merged["capacity"].astype("Int64"),
            "velos": bikes,
            "places": docks,
            "etat": pd.Series(state, index=merged.index, dtype="string"),
        }
    )


def with_communes(frame: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the ``code_insee`` and ``commune`` whose outline holds each station."""
    placed = assign_communes(frame, communes)
    names = communes.set_index(CODE)[NAME].astype("string")
    return frame.assign(**{CODE: placed.code, "commune": placed.code.map(names)})


def density_by_commune(placed: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Per commune (every one of the table): stations, docks, stations per 10,000
    inhabitants and per km².

    Columns: ``code_insee``, ``nom_commune``, ``stations``, ``capacite``, ``population``,
    ``par_10000``, ``par_km2``; most stations per inhabitant first.
    """
    counts = placed.groupby(CODE).agg(stations=("station_id", "size"), capacite=("capacite", "sum"))
    table = communes[[CODE, NAME, "population", "superficie_km2"]].set_index(CODE)
    table = table.join(counts).fillna({"stations": 0, "capacite": 0})
    table["stations"] = table["stations"].astype("int64")
    table["capacite"] = table["capacite"].astype("int64")
    population = table["population"].astype("float64").replace(0, np.nan)
    table["par_10000"] = table["stations"] / population * PER_INHABITANTS
    table["par_km2"] = table["stations"] / table["superficie_km2"].astype("float64").replace(
        0, np.nan
    )
    ordered = table.sort_values(["par_10000", NAME], ascending=[False, True], kind="stable")
    return ordered.reset_index()[
        [CODE, NAME, "stations", "capacite", "population", "par_10000", "par_km2"]
    ]


def density_table(density: pd.DataFrame, population_year: int) -> pd.DataFrame:
    """The communes that have stations, with French headers, for the page's table."""
    with_stations = density[density["stations"] > 0]
    return with_stations[[NAME, "stations", "capacite", "population", "par_10000"]].set_axis(
        [
            "Commune",
            "Stations",
            "Places",
            f"Population (INSEE {population_year})",
            "Stations pour 10 000 habitants",
        ],
        axis=1,
    )


def stops_to_stations(stops: pd.DataFrame, stations: pd.DataFrame) -> pd.DataFrame:
    """Every Astuce station (its platforms grouped, :func:`analyses.transit.stations`)
    with the nearest bike station and its distance in metres.

    Columns: ``arret``, ``lat``, ``lon``, ``station`` (name of the nearest bike station),
    ``distance_m``; nearest first.
    """
    network = transit.stations(stops).reset_index(drop=True)
    nearest = nearest_target(network, stations.reset_index(drop=True))
    located = network.loc[nearest.index]
    names = stations["nom"].reset_index(drop=True)
    return (
        pd.DataFrame(
            {
                "arret": located["name"].astype("string"),
                "lat": located["lat"],
                "lon": located["lon"],
                "station": names.iloc[nearest["target"].to_numpy()].to_numpy(),
                DISTANCE_COLUMN: nearest[DISTANCE_COLUMN].to_numpy(),
            }
        )
        .sort_values(DISTANCE_COLUMN, kind="stable")
        .reset_index(drop=True)
    )


def band_labels(limits: tuple[int, ...] = DISTANCE_BANDS) -> list[str]:
    """« moins de 300 m », « 300 à 500 m », …, « plus de 1 000 m »."""
    numbers = [format_number(limit) for limit in limits]
    labels = [f"moins de {numbers[0]}\u00a0m"]
    labels += [f"{a} à {b}\u00a0m" for a, b in zip(numbers[:-1], numbers[1:], strict=True)]
    return [*labels, f"plus de {numbers[-1]}\u00a0m"]


def distance_bands(distances: pd.Series, limits: tuple[int, ...] = DISTANCE_BANDS) -> pd.Series:
    """Number of stops in each distance band (``band_labels``), in band order."""
    bands = np.searchsorted(np.asarray(limits, float), distances.to_numpy(float), side="right")
    counts = np.bincount(bands, minlength=len(limits) + 1)
    return pd.Series(counts, index=band_labels(limits), name="arrets")


def freshness_fr(data_date: str | None, source: str, now: datetime | None = None) -> str:
    """« mis à jour il y a 12 min » for a live read; for the embedded copy, its instant
    in Paris time (« état du 28 février 2025 à 10 h 10 »)."""
    if not data_date:
        return ""
    if source == "live":
        return updated_ago_fr(data_date, now)
    instant = datetime.fromisoformat(data_date.replace("Z", "+00:00")).astimezone(PARIS)
    return f"état du {format_date(instant.date())} à {instant.hour} h {instant.minute:02d}"


@dataclass
class BikeshareData:
    """The stations, the stops and the communes' density, computed once at load.

    Attributes
    ----------
    stations
        :func:`stations` placed in their commune (:func:`with_communes`).
    stops
        :func:`stops_to_stations` placed in their commune (``code_insee``, ``commune``).
    density
        :func:`density_by_commune`: every commune of the table.
    population_year
        Millésime of the INSEE populations (``population_millesime``).
    """

    stations: pd.DataFrame
    stops: pd.DataFrame
    density: pd.DataFrame
    population_year: int

    @classmethod
    def from_frames(
        cls,
        information: pd.DataFrame,
        status: pd.DataFrame,
        stops: pd.DataFrame,
        communes: pd.DataFrame,
    ) -> BikeshareData:
        """From the GBFS ``station_information`` and ``station_status`` tables, the GTFS
        ``stops`` and the ``communes-metropole`` table."""
        placed = with_communes(stations(information, status), communes)
        nearest = with_communes(stops_to_stations(stops, placed), communes)
        log.info("%d bike stations, %d stops", len(placed), len(nearest))
        year = int(communes["population_millesime"].iloc[0])
        return cls(placed, nearest, density_by_commune(placed, communes), year)

    def view(self, values: dict[str, Any]) -> dict[str, Any]:
        """What the page shows for ``commune`` (a name or ``ALL_COMMUNES``) and ``distance``.

        Keys: ``commune``, ``distance``, ``stations`` and ``stops`` (those of the
        commune), ``near`` (per stop: a station closer than ``distance``), ``share`` (%
        of the stops near a station, None without stop), ``bands`` (stops per
        :func:`distance_bands`).
        """
        where, limit = values["commune"], int(values["distance"])
        here, stops = self.stations, self.stops
        if where != ALL_COMMUNES:
            here = here[here["commune"].eq(where).fillna(False)]
            stops = stops[stops["commune"].eq(where).fillna(False)]
        near = stops[DISTANCE_COLUMN] < limit
        return {
            "commune": where,
            "distance": limit,
            "stations": here,
            "stops": stops,
            "near": near,
            "share": 100 * float(near.mean()) if len(stops) else None,
            "bands": distance_bands(stops[DISTANCE_COLUMN]),
        }
