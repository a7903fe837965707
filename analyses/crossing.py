"""Several datasets on one map: layers in one shape, counted side by side per commune.

Each layer turns one dataset into points with the same columns — ``nom``, ``detail``,
``commune``, ``lat``, ``lon`` — so a map, a table and a CSV export can treat them alike.
A layer's commune comes from the dataset's own commune field when it has one, else from
the nearest commune centroid of the reference table (:func:`analyses.geo.nearest_centroid`,
an approximation); :attr:`LayerSpec.commune_basis` says which, for the page to tell.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rouen_opendata import gtfs

from .charging import charging_stations
from .communes import NAME, count_by_commune
from .geo import nearest_centroid

log = logging.getLogger(__name__)

OUTSIDE = "Hors Métropole"
"""Commune of points too far from every commune centroid (e.g. Astuce stops in Caudebec)."""
OUTSIDE_M = 5000.0
"""Points farther than this from every centroid are counted as ``OUTSIDE``."""
CANCELLED = "Annulé"
"""State of a cancelled permit (``etat``): such permits are not on the map."""
COLUMNS = ["nom", "detail", "commune", "lat", "lon"]
FIELD, NEAREST = "champ commune du jeu", "centroïde de commune le plus proche"


@dataclass(frozen=True)
class LayerSpec:
    """One layer the citizen can pick."""

    key: str
    """Parameter value (``arrets``, ``bornes``…)."""
    label: str
    """French name in the layer switcher, the legend, the table and the CSV."""
    unit: str
    """What one point is, in the plural (« arrêts », « stations »)."""
    color: str
    dataset: str
    """Registry key of the dataset behind the layer."""
    commune_basis: str
    """``FIELD`` or ``NEAREST``: how the layer's points get their commune."""
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
            "arrets", "Arrêts Astuce", "arrêts", "#E63027", "astuce-gtfs", NEAREST,
            "Arrêt", "Quais",
        ),
        LayerSpec(
            "compteurs", "Compteurs vélo", "compteurs", "#0B7FAB", "eco-counter-sites", FIELD,
            "Compteur", "Mise en service",
        ),
        LayerSpec(
            "bornes", "Bornes de recharge", "stations", "#F2A900", "bornes-irve", FIELD,
            "Station", "Recharge",
        ),
        LayerSpec(
            "conteneurs", "Conteneurs à déchets", "conteneurs", "#2E7D32", "donmetdec-pav",
            FIELD, "Conteneur", "Adresse",
        ),
        LayerSpec(
            "arbres", "Arbres remarquables", "arbres", "#7B4A12", "arbres-remarquables",
            NEAREST, "Arbre", "Essence",
        ),
        LayerSpec(
            "permis", "Permis de construire", "autorisations", "#8E44AD", "permis-construire",
            FIELD, "Autorisation", "Date",
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


def _frame(nom, detail, commune, lat, lon) -> pd.DataFrame:
    frame = pd.DataFrame({"nom": nom, "detail": detail, "commune": commune, "lat": lat, "lon": lon})
    for column in ("nom", "detail", "commune"):
        frame[column] = frame[column].astype("string")
    return frame.reset_index(drop=True)


def _decimal(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def stops_layer(stops: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Astuce stops grouped by station; commune of the nearest centroid (5 km at most)."""
    stations = gtfs.stations(stops)
    commune = nearest_centroid(stations, communes, NAME, max_m=OUTSIDE_M, outside=OUTSIDE)
    detail = stations["platforms"].map(lambda n: f"{n} quai{'s' if n > 1 else ''}")
    return _frame(stations["name"], detail, commune, stations["lat"], stations["lon"])


def counters_layer(sites: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Bike counters; commune from the dataset."""
    year = sites["installation_date"].dt.year
    detail = year.map(lambda y: f"installé en {y}" if pd.notna(y) else "")
    return _frame(sites["name"], detail, sites["commune"], sites["lat"], sites["lon"])


def chargers_layer(points: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Charging stations (:func:`analyses.charging.charging_stations`, points de charge
    counted); commune from the dataset's INSEE code."""
    stations = charging_stations(points, communes)
    detail = [
        f"{n} point{'s' if n > 1 else ''} de charge, jusqu'à {_decimal(kw)} kW"
        for n, kw in zip(stations["points"], stations["max_kw"], strict=True)
    ]
    return _frame(stations["name"], detail, stations["commune"], stations["lat"], stations["lon"])


def containers_layer(pav: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Waste containers (type as name, address as detail); commune from the dataset."""
    return _frame(pav["pavtyp"], pav["adresse"], pav["commune"], pav["lat"], pav["lon"])


def trees_layer(trees: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Remarkable trees; commune of the nearest centroid (the dataset names the forest)."""
    commune = nearest_centroid(trees, communes, NAME, max_m=OUTSIDE_M, outside=OUTSIDE)
    return _frame(trees["name"], trees["species_fr"], commune, trees["lat"], trees["lon"])


def permits_layer(permits: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Planning permissions creating dwellings, cancelled ones left out; commune from the
    dataset."""
    kept = permits[~permits["etat"].eq(CANCELLED).fillna(False)]
    nom = [
        f"{kind} — {n} logement{'s' if n > 1 else ''}"
        for kind, n in zip(kept["type_dau"], kept["nb_lgt_crees"], strict=True)
    ]
    detail = [
        f"autorisé en {day.year}, {str(state).lower()}"
        for day, state in zip(kept["date_reelle_autorisation"], kept["etat"], strict=True)
    ]
    return _frame(nom, detail, kept["nom_commune"], kept["lat"], kept["lon"])


BUILDERS: dict[str, Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]] = {
    "arrets": stops_layer,
    "compteurs": counters_layer,
    "bornes": chargers_layer,
    "conteneurs": containers_layer,
    "arbres": trees_layer,
    "permis": permits_layer,
}


def build_layers(
    frames: Mapping[str, pd.DataFrame], communes: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Layer key → points (``COLUMNS``) from each layer's dataset frame, keyed by layer."""
    layers = {key: BUILDERS[key](frame, communes)[COLUMNS] for key, frame in frames.items()}
    for key, layer in layers.items():
        log.debug(
            "layer %s: %d points, %d without commune",
            key,
            len(layer),
            layer["commune"].isna().sum(),
        )
    return layers


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
