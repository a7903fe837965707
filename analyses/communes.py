"""Per-commune counts and ratios against the communes reference table.

The reference table is ``load_dataset("communes-metropole")`` (``nom_commune``,
``population``, ``superficie_km2``, ``lat``/``lon``). Its populations and areas are
approximate generated values: ratios computed with them illustrate the method.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

ALL_COMMUNES = "Toutes"
"""Parameter value meaning « every commune »."""
NAME = "nom_commune"


def commune_choices(communes: pd.DataFrame, extra: Iterable[str] = ()) -> list[str]:
    """``Toutes`` then the commune names in French alphabetical order (accents ignored)."""
    names = sorted({*communes[NAME].dropna().astype(str), *extra}, key=sort_key)
    return [ALL_COMMUNES, *names]


def sort_key(name: str) -> str:
    """Sort key ignoring case and accents (« Étienne » sorts with « Etienne »)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def count_by_commune(
    commune: pd.Series, communes: pd.DataFrame, *, keep_others: bool = True
) -> pd.Series:
    """Number of rows per commune name, every commune of the table listed (0 when none).

    Parameters
    ----------
    commune
        One commune name per point (missing values are not counted).
    communes
        Reference table; its names come first, in its order.
    keep_others
        Also keep names absent from the table (« Hors Métropole »…), after the others.
    """
    counts = commune.dropna().astype(str).value_counts()
    names = list(communes[NAME].astype(str))
    others = [n for n in counts.index if n not in set(names)] if keep_others else []
    if others:
        log.info("names outside the reference table: %s", others)
    return counts.reindex(names + others, fill_value=0).astype("int64").rename("count")


def density_by_commune(counts: pd.Series, communes: pd.DataFrame) -> pd.DataFrame:
    """Counts with the commune's population and area, per 1,000 inhabitants and per km².

    Columns: ``count``, ``population``, ``superficie_km2``, ``per_1000``, ``per_km2``;
    indexed by commune name (communes of ``counts`` found in the table only). A zero or
    missing population or area gives a missing ratio, never an infinite one.
    """
    table = communes.set_index(NAME)[["population", "superficie_km2"]]
    frame = table.join(counts.rename("count"), how="inner")
    population = frame["population"].astype("float64").replace(0, np.nan)
    area = frame["superficie_km2"].astype("float64").replace(0, np.nan)
    frame["per_1000"] = frame["count"] / population * 1000
    frame["per_km2"] = frame["count"] / area
    frame.index.name = NAME
    return frame[["count", "population", "superficie_km2", "per_1000", "per_km2"]]
