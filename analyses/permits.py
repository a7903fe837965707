"""Planning permissions creating dwellings (Sitadel lists): selections, counts, rankings.

Functions take the frame of ``load_dataset("permis-construire")``, or of a real dataset
with the same fields (see ``docs/schemas/permis-de-construire.md``): one row per
authorisation with its type (``type_dau``: PC, PA, DP), state (``etat``), date of
authorisation, commune, dwellings created (``nb_lgt_crees``), floor area and dwelling
type, plus a point. Call :func:`prepare` first.

Dwellings are counted on authorisations that are not cancelled (``etat`` « Annulé »):
a cancelled permit will build nothing. The counts are by year of authorisation, not of
construction: many authorised dwellings are built one to three years later, or never.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .communes import CODE, sort_key

log = logging.getLogger(__name__)

ALL_COMMUNES, ALL_TYPES, ALL_YEARS = "Toutes", "Tous", 0
"""Parameter values meaning no filter."""
CANCELLED = "Annulé"
TYPES = {
    "PC": "Permis de construire",
    "PA": "Permis d'aménager",
    "DP": "Déclaration préalable",
}
"""Sitadel authorisation types (type_dau) and their French names."""
DWELLING_TYPES = ("Individuel pur", "Individuel groupé", "Collectif", "Résidence")
"""Sitadel dwelling types, from the single house to the residence (students, elderly)."""
ROW_CODE = "code_insee_commune"
"""INSEE code of an authorisation's commune."""


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed copy with ``annee`` (year of authorisation) and ``active`` (not cancelled)."""
    out = frame.copy()
    out["date_reelle_autorisation"] = pd.to_datetime(out["date_reelle_autorisation"])
    out["annee"] = out["date_reelle_autorisation"].dt.year.astype("int64")
    out["nb_lgt_crees"] = out["nb_lgt_crees"].astype("float64")
    out["surf_plancher_m2"] = out["surf_plancher_m2"].astype("float64")
    out["active"] = out["etat"].astype("string").ne(CANCELLED).fillna(True).astype(bool)
    return out


def years(rows: pd.DataFrame) -> list[int]:
    """Years of authorisation present, in order."""
    return sorted(int(y) for y in rows["annee"].unique())


def communes(rows: pd.DataFrame) -> list[str]:
    """Commune names present, in French alphabetical order."""
    return sorted(rows["nom_commune"].dropna().astype(str).unique(), key=sort_key)


def check_commune(rows: pd.DataFrame, commune: str) -> str:
    """``commune`` if « Toutes » or present (any case), else ``ValueError`` in French."""
    if commune == ALL_COMMUNES:
        return commune
    by_key = {name.casefold(): name for name in communes(rows)}
    if str(commune).strip().casefold() not in by_key:
        raise ValueError(f"la commune « {commune} » n'a pas d'autorisation dans les données")
    return by_key[str(commune).strip().casefold()]


def check_year(rows: pd.DataFrame, annee: int) -> int:
    """``annee`` if 0 (every year) or present, else ``ValueError`` in French."""
    known = years(rows)
    if annee != ALL_YEARS and annee not in known:
        raise ValueError(
            f"l'année {annee} n'est pas dans les données "
            f"({known[0]} à {known[-1]}, ou 0 pour toutes)"
        )
    return annee


def check_type(rows: pd.DataFrame, type_dau: str) -> str:
    """``type_dau`` if « Tous » or a type present (PC, PA, DP), else ``ValueError``."""
    present = sorted(rows["type_dau"].dropna().unique())
    if type_dau != ALL_TYPES and type_dau not in present:
        raise ValueError(f"le type « {type_dau} » est inconnu (types : Tous, {', '.join(present)})")
    return type_dau


def select(
    rows: pd.DataFrame,
    commune: str = ALL_COMMUNES,
    annee: int = ALL_YEARS,
    type_dau: str = ALL_TYPES,
) -> pd.DataFrame:
    """Authorisations of one commune, one year and one type, or all."""
    keep = pd.Series(True, index=rows.index)
    if commune != ALL_COMMUNES:
        keep &= rows["nom_commune"] == commune
    if annee != ALL_YEARS:
        keep &= rows["annee"] == annee
    if type_dau != ALL_TYPES:
        keep &= rows["type_dau"] == type_dau
    return rows[keep]


def totals(rows: pd.DataFrame) -> dict[str, float]:
    """Authorisations, cancelled ones, dwellings and floor area of those not cancelled."""
    active = rows[rows["active"]]
    return {
        "permits": int(len(rows)),
        "cancelled": int((~rows["active"]).sum()),
        "dwellings": float(active["nb_lgt_crees"].sum()),
        "floor_area": float(active["surf_plancher_m2"].sum()),
    }


def yearly(rows: pd.DataFrame, all_years: list[int] | None = None) -> pd.Series:
    """Dwellings authorised (not cancelled) per year; every year of ``all_years`` listed."""
    counts = rows[rows["active"]].groupby("annee")["nb_lgt_crees"].sum()
    return counts.reindex(all_years or years(rows), fill_value=0.0).rename("logements")


def by_commune(rows: pd.DataFrame) -> pd.Series:
    """Dwellings authorised (not cancelled) per commune, largest first."""
    counts = rows[rows["active"]].groupby("nom_commune")["nb_lgt_crees"].sum()
    return counts.sort_values(ascending=False, kind="stable").rename("logements")


def by_dwelling_type(rows: pd.DataFrame) -> pd.Series:
    """Dwellings authorised (not cancelled) per dwelling type, in Sitadel's order."""
    counts = rows[rows["active"]].groupby("type_lgt")["nb_lgt_crees"].sum()
    order = [*DWELLING_TYPES, *sorted(set(counts.index) - set(DWELLING_TYPES))]
    return counts.reindex(order, fill_value=0.0).rename("logements")


def commune_year_table(rows: pd.DataFrame, all_years: list[int] | None = None) -> pd.DataFrame:
    """Dwellings authorised per commune (rows, by total) and year (columns), plus a total."""
    active = rows[rows["active"]]
    table = active.pivot_table(
        index="nom_commune", columns="annee", values="nb_lgt_crees", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=all_years or years(rows), fill_value=0)
    table["Total"] = table.sum(axis=1)
    table = table.sort_values("Total", ascending=False, kind="stable")
    table.columns = [str(c) for c in table.columns]
    return table.astype("int64")


def per_1000_by_commune(rows: pd.DataFrame, communes: pd.DataFrame) -> pd.Series:
    """Dwellings authorised (not cancelled) per 1,000 inhabitants, by INSEE code.

    Every commune of the reference table is listed (0 when it has no authorisation);
    rows are joined to it by ``code_insee_commune``, never by name. A zero population
    gives a missing ratio.
    """
    active = rows[rows["active"]]
    dwellings = active.groupby(active[ROW_CODE].astype(str))["nb_lgt_crees"].sum()
    population = communes.set_index(CODE)["population"].astype("float64").replace(0, np.nan)
    population.index = population.index.astype(str)
    per_1000 = dwellings.reindex(population.index, fill_value=0) / population * 1000
    return per_1000.rename("per_1000")
