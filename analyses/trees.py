"""Numbers read honestly from the text fields of the remarkable trees survey.

The survey writes measures as text: ``39 m``, ``8 à 10 m``, ``44 à 68 cm``,
``120/150 ans``, ``plus de 150 ans``. :func:`parse_range` keeps what the text says — a
value, a range, or a lower bound — and never invents a single figure: a midpoint is
only computed on request (:func:`midpoint`), and the page says when it shows one.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

import pandas as pd

from rouen_opendata.formatting import format_compact

log = logging.getLogger(__name__)

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"^{_NUMBER}\s*(?:à|/|-|–)\s*{_NUMBER}\s*(\w*)$")
_SINGLE = re.compile(rf"^{_NUMBER}\s*(\w*)$")
_AT_LEAST = re.compile(rf"^(?:plus de|au moins|>)\s*{_NUMBER}\s*(\w*)$")
_SPECIES_SPLIT = re.compile(r"\s*,\s*")
_LATIN_SPLIT = re.compile(r"\s+[–-]\s+")


class Measure(NamedTuple):
    """A measure as the text gives it: ``low`` = ``high`` for a single value, ``high``
    missing for a lower bound (« plus de 150 ans »), both missing when unreadable."""

    low: float | None
    high: float | None
    unit: str
    text: str

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.high != self.low

    @property
    def is_lower_bound(self) -> bool:
        return self.low is not None and self.high is None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_range(text: object) -> Measure:
    """``"8 à 10 m"`` → ``Measure(8.0, 10.0, "m", "8 à 10 m")`` (see :class:`Measure`)."""
    raw = "" if text is None or pd.isna(text) else str(text).strip()
    clean = re.sub(r"\s+", " ", raw.lower())
    if match := _RANGE.match(clean):
        low, high = sorted((_number(match[1]), _number(match[2])))
        return Measure(low, high, match[3], raw)
    if match := _SINGLE.match(clean):
        value = _number(match[1])
        return Measure(value, value, match[2], raw)
    if match := _AT_LEAST.match(clean):
        return Measure(_number(match[1]), None, match[2], raw)
    if raw:
        log.warning("unreadable measure %r", raw)
    return Measure(None, None, "", raw)


def midpoint(measure: Measure) -> float | None:
    """Middle of a range, the value itself, or None for a lower bound or no value."""
    if measure.low is None or measure.high is None:
        return None
    return (measure.low + measure.high) / 2


def measures(values: pd.Series, prefix: str) -> pd.DataFrame:
    """``<prefix>_min``, ``<prefix>_max``, ``<prefix>_milieu`` columns from a text column.

    ``_max`` is missing for a lower bound, ``_milieu`` too (no middle to a « plus de »).
    """
    parsed = [parse_range(v) for v in values]
    return pd.DataFrame(
        {
            f"{prefix}_min": [m.low for m in parsed],
            f"{prefix}_max": [m.high for m in parsed],
            f"{prefix}_milieu": [midpoint(m) for m in parsed],
        },
        index=values.index,
        dtype="float64",
    )


def range_text(low: float | None, high: float | None, unit: str) -> str:
    """``8, 10, "m"`` → ``8 à 10 m``; ``150, None, "ans"`` → ``plus de 150 ans``."""
    if low is None or pd.isna(low):
        return ""
    if high is None or pd.isna(high):
        return f"plus de {format_compact(low)}\u00a0{unit}"
    if high == low:
        return f"{format_compact(low)}\u00a0{unit}"
    return f"{format_compact(low)} à {format_compact(high)}\u00a0{unit}"


def species_names(text: object) -> list[str]:
    """French common names of the species listed: ``"Hêtre commun – Fagus sylvatica,
    Chêne sessile - Quercus petraea"`` → ``["Hêtre commun", "Chêne sessile"]``."""
    if text is None or pd.isna(text):
        return []
    names = [_LATIN_SPLIT.split(part)[0].strip() for part in _SPECIES_SPLIT.split(str(text))]
    return [name for name in names if name]


def latin_names(text: object) -> list[str]:
    """Latin names of the species listed (the part after the dash), when given."""
    if text is None or pd.isna(text):
        return []
    parts = [_LATIN_SPLIT.split(part) for part in _SPECIES_SPLIT.split(str(text))]
    return [p[1].strip() for p in parts if len(p) > 1 and p[1].strip()]


ALL = "Toutes"
"""Choice meaning « no filter » for the forest and the species."""
MEASURES = {"height": "hauteur", "trunk_diameter": "diametre", "age_estimate_raw": "age"}
"""Text column of the survey → prefix of its parsed numbers (:func:`measures`)."""


def survey(trees: pd.DataFrame) -> pd.DataFrame:
    """The survey with its measures parsed and its species' French names.

    Adds the :func:`measures` columns of each of :data:`MEASURES`, ``essences`` (list of
    French names) and ``essence_texte`` (those names joined by commas).
    """
    parsed = [measures(trees[column], prefix) for column, prefix in MEASURES.items()]
    table = pd.concat([trees, *parsed], axis=1)
    table["essences"] = table["species_fr"].map(species_names)
    table["essence_texte"] = table["essences"].map(", ".join)
    return table


def species_choices(trees: pd.DataFrame) -> list[str]:
    """:data:`ALL` then every French species name of :func:`survey`, sorted."""
    return [ALL, *sorted({name for names in trees["essences"] for name in names})]


def select(trees: pd.DataFrame, forest: str, species: str) -> pd.DataFrame:
    """The trees of ``forest`` with ``species`` among their species (:data:`ALL`: any)."""
    shown = trees
    if forest != ALL:
        shown = shown[shown["forest"].eq(forest)]
    if species != ALL:
        shown = shown[shown["essences"].map(lambda names: species in names)]
    return shown


def tallest(trees: pd.DataFrame) -> pd.DataFrame:
    """The trees whose height's upper bound is the highest (ties kept)."""
    return trees[trees["hauteur_max"].eq(trees["hauteur_max"].max())]


def oldest(trees: pd.DataFrame) -> pd.DataFrame:
    """The trees whose age's lower bound is the highest (ties kept): « at least » that old."""
    return trees[trees["age_min"].eq(trees["age_min"].max())]
