"""Electricity and gas consumption per commune (Agence ORE schema).

Rows are one commune × year × filière (``Electricité``, ``Gaz``) × grand secteur, with
the consumption in MWh (``conso_totale_mwh``) and the number of delivery points
(``nb_sites``). Rows with fewer than 11 sites are not published (statistical secrecy),
so every total here is a total of the published rows.

:class:`EnergyData` keeps the labelled rows and the communes once; its
:meth:`EnergyData.view` is what the « énergie des communes » page shows for one set of
parameter values (drawing it is :mod:`widgets.energy_board`'s job). Pure computations:
no widget, no colour, no HTML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .communes import ALL_COMMUNES, CODE, NAME, commune_choices

log = logging.getLogger(__name__)

ALL_FILIERES = "Toutes"
ALL_SECTORS = "Tous"
FILIERES = {"Electricité": "Électricité", "Gaz": "Gaz"}
"""Published filière → French label (the schema writes « Electricité » without accent)."""
SECTORS = {
    "RESIDENTIEL": "Résidentiel",
    "TERTIAIRE": "Tertiaire",
    "INDUSTRIE": "Industrie",
    "AGRICULTURE": "Agriculture",
    "INCONNU": "Non affecté",
}
"""Published grand secteur code → French label, in display order."""
MWH_PER_GWH = 1000.0
ROW_CODE = "code_commune"
"""INSEE code of a row's commune (the schema's name for it)."""


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """The published rows with French ``filiere_fr`` and ``secteur`` columns."""
    out = frame.copy()
    out["filiere_fr"] = out["filiere"].map(FILIERES).fillna(out["filiere"]).astype("string")
    out["secteur"] = (
        out["code_grand_secteur"].map(SECTORS).fillna(out["code_grand_secteur"]).astype("string")
    )
    return out


def choices(labelled: pd.DataFrame) -> dict[str, list]:
    """Accepted parameter values: communes, filières, secteurs, years (ascending)."""
    present = set(labelled["secteur"])
    return {
        "commune": commune_choices(labelled[[NAME]].drop_duplicates()),
        "filiere": [
            ALL_FILIERES,
            *[f for f in FILIERES.values() if f in set(labelled["filiere_fr"])],
        ],
        "secteur": [ALL_SECTORS, *[s for s in SECTORS.values() if s in present]],
        "annee": sorted(int(y) for y in labelled["annee"].dropna().unique()),
    }


def select(
    labelled: pd.DataFrame,
    *,
    commune: str = ALL_COMMUNES,
    filiere: str = ALL_FILIERES,
    secteur: str = ALL_SECTORS,
) -> pd.DataFrame:
    """Rows of one commune (or all), one filière (or both), one secteur (or all)."""
    keep = pd.Series(True, index=labelled.index)
    if commune != ALL_COMMUNES:
        keep &= labelled[NAME].eq(commune)
    if filiere != ALL_FILIERES:
        keep &= labelled["filiere_fr"].eq(filiere)
    if secteur != ALL_SECTORS:
        keep &= labelled["secteur"].eq(secteur)
    return labelled[keep.fillna(False)]


def yearly(rows: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """MWh per year (index ``annee``), one column per value of ``by`` (or ``total``)."""
    if by is None:
        return rows.groupby("annee")["conso_totale_mwh"].sum().to_frame("total")
    table = rows.pivot_table(
        index="annee", columns=by, values="conso_totale_mwh", aggfunc="sum", fill_value=0.0
    )
    order = list(SECTORS.values()) + list(FILIERES.values())
    table = table[sorted(table.columns, key=lambda c: order.index(c) if c in order else 99)]
    table.columns.name = None
    return table


def by_commune(rows: pd.DataFrame, year: int, communes: pd.DataFrame) -> pd.DataFrame:
    """Per commune in ``year``: MWh, sites, MWh per site, population, MWh per inhabitant.

    Columns: ``code_insee``, ``conso_mwh``, ``sites``, ``mwh_par_site``, ``population``,
    ``mwh_par_habitant``; indexed by commune name, largest consumption first. The
    population is joined by INSEE code (``code_commune`` of the rows). Communes without a
    published row that year are absent.
    """
    chosen = rows[rows["annee"].eq(year).fillna(False)]
    table = chosen.groupby(ROW_CODE).agg(
        **{NAME: (NAME, "first")},
        conso_mwh=("conso_totale_mwh", "sum"),
        sites=("nb_sites", "sum"),
    )
    table["sites"] = table["sites"].astype("int64")
    table["mwh_par_site"] = table["conso_mwh"] / table["sites"].replace(0, np.nan)
    population = communes.set_index(CODE)["population"].astype("float64")
    table["population"] = population.reindex(table.index.astype(str))
    table["mwh_par_habitant"] = table["conso_mwh"] / table["population"].replace(0, np.nan)
    table = table.rename_axis(CODE).reset_index().set_index(NAME)
    return table.sort_values("conso_mwh", ascending=False, kind="stable")


def change(rows: pd.DataFrame, first: int, last: int) -> float | None:
    """Relative change of the total MWh from ``first`` to ``last`` (0.1 = +10 %).

    None when either year has no published consumption.
    """
    totals = rows.groupby("annee")["conso_totale_mwh"].sum()
    start, end = totals.get(first), totals.get(last)
    if start is None or end is None or not start > 0:
        return None
    return float(end / start - 1)


def changes_by_commune(rows: pd.DataFrame, first: int, last: int) -> pd.Series:
    """Relative change of each commune's MWh from ``first`` to ``last`` (missing if absent)."""
    totals = rows.pivot_table(index=NAME, columns="annee", values="conso_totale_mwh", aggfunc="sum")
    if first not in totals.columns or last not in totals.columns:
        return pd.Series(dtype="float64", name="evolution")
    start = totals[first].replace(0, np.nan)
    return (totals[last] / start - 1).rename("evolution")


@dataclass
class EnergyData:
    """The published rows (French labels added) and the communes, kept once at load.

    Attributes
    ----------
    rows
        :func:`with_labels` of the consumption rows.
    communes
        The commune table (``code_insee``, ``nom_commune``, ``population``…).
    choices
        :func:`choices` of the rows: the values each parameter accepts.
    population_year
        Millésime of the INSEE populations (``population_millesime``).
    """

    rows: pd.DataFrame
    communes: pd.DataFrame
    choices: dict[str, list]
    population_year: int

    @classmethod
    def from_frames(cls, consumption: pd.DataFrame, communes: pd.DataFrame) -> EnergyData:
        """From the ``energie-communes`` and ``communes-metropole`` tables."""
        rows = with_labels(consumption)
        log.info("%d consumption rows, %d communes", len(rows), len(communes))
        year = int(communes["population_millesime"].iloc[0])
        return cls(rows, communes, choices(rows), year)

    @property
    def first_year(self) -> int:
        """The first published year: every change is counted from it."""
        return int(self.choices["annee"][0])

    def population(self, commune: str) -> float:
        """Population of one commune, or of the whole Métropole (``ALL_COMMUNES``)."""
        table = self.communes
        chosen = table if commune == ALL_COMMUNES else table[table[NAME].eq(commune)]
        return float(chosen["population"].sum())

    def view(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every figure the page shows for ``commune``, ``filiere``, ``secteur``, ``annee``.

        Keys: ``commune``, ``year``, ``total_mwh``, ``sites``, ``per_site`` and
        ``per_inhabitant`` (MWh; None without sites or inhabitants), ``first_mwh`` (the
        first year's total), ``change`` (relative, None in the first year), ``yearly``
        (GWh per year, one column per sector, or per filière when a sector is chosen),
        ``stack`` (the column stacked: ``secteur`` or ``filiere_fr``), ``per_commune``
        (:func:`by_commune` with each commune's ``evolution`` since the first year).
        """
        year, first, commune = int(values["annee"]), self.first_year, values["commune"]
        chosen = select(self.rows, filiere=values["filiere"], secteur=values["secteur"])
        local = select(chosen, commune=commune)
        in_year = local[local["annee"].eq(year)]
        total, sites = float(in_year["conso_totale_mwh"].sum()), int(in_year["nb_sites"].sum())
        per_commune = by_commune(chosen, year, self.communes)
        if year > first:
            per_commune["evolution"] = changes_by_commune(chosen, first, year)
        else:
            per_commune["evolution"] = float("nan")
        stack = "secteur" if values["secteur"] == ALL_SECTORS else "filiere_fr"
        population = self.population(commune)
        return {
            "commune": commune,
            "year": year,
            "total_mwh": total,
            "sites": sites,
            "per_site": total / sites if sites else None,
            "per_inhabitant": total / population if population else None,
            "first_mwh": float(local.loc[local["annee"].eq(first), "conso_totale_mwh"].sum()),
            "change": change(local, first, year) if year > first else None,
            "yearly": yearly(local, stack) / MWH_PER_GWH,
            "stack": stack,
            "per_commune": per_commune,
        }
