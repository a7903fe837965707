"""What the « points d'apport volontaire » dashboard shows for a commune, a type and a point.

:class:`DropoffData` reads the containers once: each container's commune is the one
whose outline contains it (point in polygon, :func:`analyses.geo.assign_communes`), the
free-text commune of the dataset is kept as ``commune_saisie`` and compared with it
(:func:`analyses.communes.spellings`). :meth:`DropoffData.view` gives the figures of one
choice (containers shown, counts per 1,000 inhabitants and per km², the nearest
container of each type); drawing them is :mod:`widgets.dropoff_board`'s job. Pure
computations: no widget, no colour, no HTML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import geo
from .communes import (
    ALL_COMMUNES,
    CODE,
    NAME,
    Spellings,
    count_by_commune,
    density_by_commune,
    spellings,
)

log = logging.getLogger(__name__)

ALL_TYPES = "Tous"
"""Parameter value meaning « every type of container »."""
KINDS = ("Emballages en verre", "Emballages recyclables", "Ordures ménagères", "Textile")
"""The container types the page offers, in this order (``pavtyp`` values)."""
TOWN_HALL = (49.4431, 1.0994)
"""Rouen town hall (lat, lon): the notebook's default point."""


def accept_latitude(value: Any) -> float:
    """``value`` as a latitude; ``ValueError`` (French) outside the Métropole."""
    geo.latitude_check(float(value))
    return float(value)


def accept_longitude(value: Any) -> float:
    """``value`` as a longitude; ``ValueError`` (French) outside the Métropole."""
    geo.longitude_check(float(value))
    return float(value)


@dataclass(frozen=True)
class DropoffView:
    """The figures of one choice of commune, type and point."""

    kind: str
    """The type chosen (``ALL_TYPES`` for every type)."""
    where: str
    """The commune chosen (``ALL_COMMUNES`` for the whole Métropole)."""
    shown: pd.DataFrame
    """Containers of the type in the commune (or the Métropole, those outside every
    outline included): what the map shows."""
    count: int
    """Containers of the type counted in the commune (or in any commune)."""
    per_1000: float | None
    """``count`` per 1,000 inhabitants; None when the population is unknown."""
    per_km2: float
    """``count`` per km²."""
    density: pd.DataFrame
    """:func:`analyses.communes.density_by_commune` of the type, every commune,
    best equipped per 1,000 inhabitants first."""
    nearest: pd.DataFrame
    """The nearest container of each type to the point, nearest first (``distance_m``)."""


@dataclass(frozen=True)
class DropoffData:
    """The containers with their commune, read once; :meth:`view` for each choice."""

    containers: pd.DataFrame
    """Every container: ``commune`` = official name of the outline it lies in (missing
    outside every outline), ``commune_saisie`` = the dataset's own spelling."""
    communes: pd.DataFrame
    """The communes reference table (``load_dataset("communes-metropole")``)."""
    spellings: Spellings
    """The dataset's spellings compared with the outlines."""
    outside_count: int
    """Containers inside no commune outline: on the map, in no commune's count."""
    types: list[str]
    """The types of :data:`KINDS` present in the data."""
    population_year: int
    """Millésime of the INSEE populations."""

    @classmethod
    def from_frames(cls, containers: pd.DataFrame, communes: pd.DataFrame) -> DropoffData:
        """Place each container in its commune's outline (the free text is kept aside)."""
        placed = geo.assign_communes(containers, communes)
        typed = spellings(containers["commune"], placed.code, communes)
        frame = containers.assign(
            commune_saisie=containers["commune"],
            commune=placed.code.map(communes.set_index(CODE)[NAME]),
        )
        present = set(frame["pavtyp"])
        log.info(
            "%d containers, %d outside every outline, %d spellings of %d communes",
            len(frame),
            placed.outside_count,
            typed.distinct,
            len(communes),
        )
        return cls(
            containers=frame,
            communes=communes,
            spellings=typed,
            outside_count=placed.outside_count,
            types=[kind for kind in KINDS if kind in present],
            population_year=int(communes["population_millesime"].iloc[0]),
        )

    @property
    def type_choices(self) -> list[str]:
        """The « Conteneur » drop-down's options: every type, then each type."""
        return [ALL_TYPES, *self.types]

    @property
    def codes(self) -> pd.Series:
        """Commune name → INSEE code (how the commune outlines are keyed)."""
        return self.communes.set_index(NAME)[CODE]

    def view(self, values: dict[str, Any]) -> DropoffView:
        """The figures for ``values`` (``commune``, ``type_conteneur``, ``lat``, ``lon``).

        The nearest container is sought among every container of the type, whatever its
        commune: the one next door may be in the neighbouring commune.
        """
        kind, where = values["type_conteneur"], values["commune"]
        frame = self.containers
        of_type = frame if kind == ALL_TYPES else frame[frame["pavtyp"].eq(kind)]
        shown = of_type if where == ALL_COMMUNES else of_type[of_type["commune"].eq(where)]
        # Containers outside every outline have no commune: on the map, in no commune's count.
        density = density_by_commune(
            count_by_commune(of_type["commune"], self.communes, keep_others=False), self.communes
        )
        area = density if where == ALL_COMMUNES else density.loc[[where]]
        count, population = int(area["count"].sum()), float(area["population"].sum())
        return DropoffView(
            kind=kind,
            where=where,
            shown=shown,
            count=count,
            per_1000=count / population * 1000 if population else None,
            per_km2=count / float(area["superficie_km2"].sum()),
            density=density.sort_values("per_1000", ascending=False, kind="stable"),
            nearest=geo.nearest_by_group(of_type, values["lat"], values["lon"], "pavtyp"),
        )
