"""Several datasets on one map: layers in one shape, counted side by side per commune.

Each layer turns one dataset into points with the same columns — ``nom``, ``detail``,
``commune``, ``lat``, ``lon`` — so a map, a table and a CSV export can treat them alike.
Every point's commune is the one whose real outline contains it
(:func:`analyses.geo.assign_communes`, point-in-polygon), whatever the dataset writes
(a free-text name, a code, nothing): the layers are counted alike. A point inside no
outline is counted ``OUTSIDE``, not forced into the nearest commune.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyses import transit
from rouen_opendata.formatting import format_compact

from .charging import charging_stations
from .communes import CODE, NAME, count_by_commune
from .geo import assign_communes

log = logging.getLogger(__name__)

OUTSIDE = "Hors Métropole"
"""Commune of points inside no commune outline (e.g. Astuce stops in Caudebec-en-Caux)."""
CANCELLED = "Annulé"
"""State of a cancelled permit (``etat``): such permits are not on the map."""
COLUMNS = ["nom", "detail", "commune", "lat", "lon"]


@dataclass(frozen=True)
class LayerSpec:
    """One layer the citizen can pick."""

    key: str
    """Parameter value (``arrets``, ``bornes``…)."""
    label: str
    """French name in the layer switcher, the legend, the table and the CSV."""
    unit: str
    """What one point is, in the plural (« arrêts », « stations »)."""
    dataset: str
    """Registry key of the dataset behind the layer."""
    name_label: str
    """What ``nom`` is for this layer (« Arrêt », « Conteneur »), for popups."""
    detail_label: str
    """What ``detail`` is (« Quais », « Adresse »)."""

    def popup(self) -> dict[str, str]:
        """Column → French label of a point's facts on the map."""
        return {"nom": self.name_label, "detail": self.detail_label, "commune": "Commune"}


LAYERS: dict[str, LayerSpec] = {
    spec.key: spec
    for spec in (
        LayerSpec(
            "arrets", "Arrêts Astuce", "arrêts", "astuce-gtfs",
            "Arrêt", "Quais",
        ),
        LayerSpec(
            "compteurs", "Compteurs vélo", "compteurs", "eco-counter-sites",
            "Compteur", "Mise en service",
        ),
        LayerSpec(
            "bornes", "Bornes de recharge", "stations", "bornes-irve",
            "Station", "Recharge",
        ),
        LayerSpec(
            "conteneurs", "Conteneurs à déchets", "conteneurs", "donmetdec-pav",
            "Conteneur", "Adresse",
        ),
        LayerSpec(
            "arbres", "Arbres remarquables", "arbres", "arbres-remarquables",
            "Arbre", "Essence",
        ),
        LayerSpec(
            "permis", "Permis de construire", "autorisations", "permis-construire",
            "Autorisation", "Date",
        ),
    )
}  # fmt: skip
"""Every layer, in display order."""
DATASETS_TABLES = {"astuce-gtfs": "stops"}
"""Table to load for multi-table datasets."""


def parse_layers(text: str) -> list[str]:
    """Layer keys from comma-separated text, in display order, without duplicates.

    Raises ``ValueError`` in French naming the unknown keys and the possible ones.
    Empty text gives an empty list.
    """
    asked = [part.strip().lower() for part in str(text).split(",") if part.strip()]
    unknown = [key for key in dict.fromkeys(asked) if key not in LAYERS]
    if unknown:
        names = ", ".join(f"« {key} »" for key in unknown)
        raise ValueError(
            f"{names} : couche{'s' if len(unknown) > 1 else ''} inconnue"
            f"{'s' if len(unknown) > 1 else ''} (couches possibles, séparées par des "
            f"virgules : {', '.join(LAYERS)})."
        )
    return [key for key in LAYERS if key in asked]


def _frame(nom, detail, lat, lon) -> pd.DataFrame:
    frame = pd.DataFrame({"nom": nom, "detail": detail, "lat": lat, "lon": lon})
    for column in ("nom", "detail"):
        frame[column] = frame[column].astype("string")
    return frame.reset_index(drop=True)


def stops_layer(stops: pd.DataFrame) -> pd.DataFrame:
    """Astuce stops grouped by station (the platforms of a stop count once)."""
    stations = transit.stations(stops)
    detail = stations["platforms"].map(lambda n: f"{n} quai{'s' if n > 1 else ''}")
    return _frame(stations["name"], detail, stations["lat"], stations["lon"])


def counters_layer(sites: pd.DataFrame) -> pd.DataFrame:
    """Bike counters, with their year of installation."""
    year = sites["installation_date"].dt.year
    detail = year.map(lambda y: f"installé en {y}" if pd.notna(y) else "")
    return _frame(sites["name"], detail, sites["lat"], sites["lon"])


def chargers_layer(points: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Charging stations (:func:`analyses.charging.charging_stations`, points de charge
    counted)."""
    stations = charging_stations(points, communes)
    detail = [
        f"{n} point{'s' if n > 1 else ''} de charge, jusqu'à {format_compact(kw)} kW"
        for n, kw in zip(stations["points"], stations["max_kw"], strict=True)
    ]
    return _frame(stations["name"], detail, stations["lat"], stations["lon"])


def containers_layer(pav: pd.DataFrame) -> pd.DataFrame:
    """Waste containers (type as name, address as detail)."""
    return _frame(pav["pavtyp"], pav["adresse"], pav["lat"], pav["lon"])


def trees_layer(trees: pd.DataFrame) -> pd.DataFrame:
    """Remarkable trees, with their species."""
    return _frame(trees["name"], trees["species_fr"], trees["lat"], trees["lon"])


def permits_layer(permits: pd.DataFrame) -> pd.DataFrame:
    """Planning permissions creating dwellings, cancelled ones left out."""
    kept = permits[~permits["etat"].eq(CANCELLED).fillna(False)]
    nom = [
        f"{kind} — {n} logement{'s' if n > 1 else ''}"
        for kind, n in zip(kept["type_dau"], kept["nb_lgt_crees"], strict=True)
    ]
    detail = [
        f"autorisé en {day.year}, {str(state).lower()}"
        for day, state in zip(kept["date_reelle_autorisation"], kept["etat"], strict=True)
    ]
    return _frame(nom, detail, kept["lat"], kept["lon"])


BUILDERS: dict[str, Callable[..., pd.DataFrame]] = {
    "arrets": stops_layer,
    "compteurs": counters_layer,
    "bornes": chargers_layer,
    "conteneurs": containers_layer,
    "arbres": trees_layer,
    "permis": permits_layer,
}
NEEDS_COMMUNES = {"bornes"}
"""Builders that also take the communes table (charging stations are grouped with it)."""


def in_communes(layer: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """``layer`` with the ``commune`` whose outline holds each point (``OUTSIDE`` if none)."""
    placed = assign_communes(layer, communes)
    names = placed.code.map(communes.set_index(CODE)[NAME].astype("string"))
    return layer.assign(commune=names.fillna(OUTSIDE).astype("string"))


def build_layers(
    frames: Mapping[str, pd.DataFrame], communes: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Layer key → points (``COLUMNS``) from each layer's dataset frame, keyed by layer."""
    layers = {}
    for key, frame in frames.items():
        build = BUILDERS[key]
        points = build(frame, communes) if key in NEEDS_COMMUNES else build(frame)
        layers[key] = in_communes(points, communes)[COLUMNS]
        log.debug(
            "layer %s: %d points, %d outside every outline",
            key,
            len(layers[key]),
            layers[key]["commune"].eq(OUTSIDE).sum(),
        )
    return layers


def mean_share(table: pd.DataFrame, communes: pd.DataFrame) -> pd.Series:
    """Each commune's share of the chosen layers' totals, averaged over the layers (0 to 1),
    by INSEE code: each layer weighs the same, 13 trees as much as 3,000 containers."""
    if table.empty or not len(table.columns):
        return pd.Series(dtype="float64", name="share")
    share = shares(table).mean(axis=1)
    codes = communes.set_index(NAME)[CODE].astype(str)
    return share[share.index.isin(codes.index)].rename(index=codes).rename("share")


def crossed_table(
    layers: Mapping[str, pd.DataFrame], keys: list[str], communes: pd.DataFrame
) -> pd.DataFrame:
    """Points per commune for the layers ``keys``: one row per commune, one column per key.

    Every commune of the reference table is listed (0 when it has no point), then
    ``OUTSIDE`` when some point lies outside. Rows are sorted by total, then name.
    """
    columns = {key: count_by_commune(layers[key]["commune"], communes) for key in keys}
    table = pd.DataFrame(columns).fillna(0).astype("int64")
    if table.empty:
        table = pd.DataFrame(index=communes[NAME].astype(str))
    if OUTSIDE in table.index and not table.loc[OUTSIDE].any():
        table = table.drop(index=OUTSIDE)
    table.index.name = NAME
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return table.loc[order]


def shares(table: pd.DataFrame) -> pd.DataFrame:
    """Each commune's share of each layer's total (0 to 1); 0 for an empty layer."""
    totals = table.sum(axis=0).astype("float64").replace(0.0, np.nan)
    return table.astype("float64").div(totals, axis=1).fillna(0.0)


def labelled(table: pd.DataFrame) -> pd.DataFrame:
    """The crossed table with French headers, for display and export."""
    out = table.rename(columns={key: LAYERS[key].label for key in table.columns})
    out.index.name = "Commune"
    return out.reset_index()
