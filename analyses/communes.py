"""Per-commune counts and ratios against the communes reference table.

The reference table is ``load_dataset("communes-metropole")``: the 71 real communes
(``code_insee``, ``nom_commune`` with its article, ``population`` = INSEE population
municipale millésime 2023, ``superficie_km2`` = area of the simplified IGN outline,
``geo_shape`` = the outline). Join by INSEE code: points get theirs from
:func:`analyses.geo.assign_communes`, never from a free-text name.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

ALL_COMMUNES = "Toutes"
"""Parameter value meaning « every commune »."""
NAME = "nom_commune"
CODE = "code_insee"


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


@dataclass(frozen=True)
class Spellings:
    """How a free-text commune field compares with the commune each point lies in."""

    table: pd.DataFrame
    """One row per (spelling, commune of the outline): ``spelling``, ``code_insee``,
    ``nom_commune``, ``points``; most points first."""
    distinct: int
    """Distinct spellings in the free-text field."""
    reconciled: int
    """Spellings that are no official commune name (« Bois Guillaume »,
    « SAINT-ÉTIENNE-DU-ROUVRAY »…) and whose points the outlines gave a commune."""
    disagreeing_points: int
    """Points whose outline is another commune than the one their spelling names."""


def spellings(free_text: pd.Series, code: pd.Series, communes: pd.DataFrame) -> Spellings:
    """Compare a free-text commune field with the point-in-polygon commune of each point.

    Parameters
    ----------
    free_text
        The dataset's own commune field (free text), one value per point.
    code
        The INSEE code of each point's outline (:func:`analyses.geo.assign_communes`);
        points outside every outline (missing code) are left out.
    communes
        The reference table (``code_insee``, ``nom_commune``).
    """
    names = communes.set_index(CODE)[NAME].astype("string")
    pairs = pd.DataFrame({"spelling": free_text.astype("string"), CODE: code}).dropna()
    table = (
        pairs.groupby(["spelling", CODE])
        .size()
        .rename("points")
        .reset_index()
        .assign(**{NAME: lambda f: f[CODE].map(names)})
        .sort_values(["points", "spelling"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    by_key = {_loose(n): c for c, n in names.items()}
    named = table["spelling"].map(lambda s: by_key.get(_loose(s)))
    disagreeing = int(table.loc[named.notna() & (named != table[CODE]), "points"].sum())
    return Spellings(
        table[["spelling", CODE, NAME, "points"]],
        distinct=int(pairs["spelling"].nunique()),
        reconciled=int((~pairs["spelling"].drop_duplicates().isin(set(names))).sum()),
        disagreeing_points=disagreeing,
    )


def _loose(name: str) -> str:
    """A name with case, accents and hyphens ignored (« Bois Guillaume » = « Bois-Guillaume »)."""
    return " ".join(sort_key(name).replace("-", " ").split())
