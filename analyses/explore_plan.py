"""What the Explorateur shows for a dataset, decided from its field types alone.

The portal draws a map when a dataset has geographic fields and a time series when it
has dates; :func:`plan_views` makes the same choices for any Opendatasoft dataset, from
its field descriptions (``[{"name", "label", "type"}]``), its number of records and the
number of distinct values of its text fields. Geographic and date fields are found by
their declared type, never by their name.

The time series' step (hour … year) follows the span of the dates shown:
:func:`choose_granularity`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from rouen_opendata.personal_data import personal_columns

log = logging.getLogger(__name__)

GEO_TYPES = ("geo_point_2d", "geo_shape")
DATE_TYPES = ("date", "datetime")
NUMBER_TYPES = ("int", "double")
FILTER_TYPES = ("text", "int")
"""Field types a ``champ:valeur`` filter may name (exact values)."""
TYPE_LABELS = {
    "text": "texte",
    "int": "nombre entier",
    "double": "nombre décimal",
    "date": "date",
    "datetime": "date et heure",
    "geo_point_2d": "point géographique",
    "geo_shape": "forme géographique",
    "file": "fichier",
    "boolean": "oui/non",
}
"""French name of each Opendatasoft field type, for the fields table."""

MAX_CATEGORIES = 100
"""A text field with more distinct values than this is never a category."""
FEW_VALUES = 15
"""Up to this many distinct values, a text field whose values repeat is a category."""
CATEGORY_SHARE = 0.2
"""Beyond ``FEW_VALUES``, distinct values must be at most this share of the records."""
MIN_ROWS_PER_VALUE = 2
"""A category's values are used by at least this many records on average."""
LONG_TEXT = 40
"""Values longer than this (median) are descriptions, not categories."""
MAX_BAR_CHARTS = 4
"""Categorical fields drawn as bar charts (the others can still be filtered on)."""
POPUP_FIELDS = 4
"""Main fields shown when a point of the map is touched."""
TABLE_COLUMNS = 8
"""Columns of the table preview (geographic fields are on the map instead)."""
MAX_PERIODS = 120
"""The time series uses the finest granularity giving at most this many periods."""
_CODE_NAME = re.compile(r"^(code|id|identifiant)(_|$)|_(code|id)$", re.IGNORECASE)
"""Identifier-like field names, ranked after the other categories (ordering only)."""


@dataclass(frozen=True)
class FieldInfo:
    """One field of a dataset, as the portal describes it."""

    name: str
    type: str
    label: str = ""

    @property
    def title(self) -> str:
        """The portal's label; without one, the name written as words (``nom_commune``
        → « Nom commune »), never the raw identifier."""
        if self.label:
            return self.label
        words = re.sub(r"[_\s]+", " ", self.name).strip()
        return words[:1].upper() + words[1:] if words else self.name

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)


def as_fields(fields: Iterable[FieldInfo | Mapping[str, Any]]) -> tuple[FieldInfo, ...]:
    """Field descriptions (portal dicts or :class:`FieldInfo`) as FieldInfo."""
    return tuple(
        f
        if isinstance(f, FieldInfo)
        else FieldInfo(str(f["name"]), str(f.get("type") or "text"), str(f.get("label") or ""))
        for f in fields
    )


def is_categorical(distinct: int | None, records: int) -> bool:
    """A text field is a category when its distinct values are few relative to records.

    Parameters
    ----------
    distinct
        Distinct non-empty values; None when unknown or more than ``MAX_CATEGORIES``.
    records
        Records of the dataset.
    """
    if distinct is None or distinct < 2 or distinct > MAX_CATEGORIES:
        return False
    if distinct * MIN_ROWS_PER_VALUE > records:
        return False
    return distinct <= FEW_VALUES or distinct <= CATEGORY_SHARE * records


def is_free_text(values: Iterable[str]) -> bool:
    """True when a field's values read as sentences (median over ``LONG_TEXT`` characters)."""
    lengths = sorted(len(v) for v in values)
    return bool(lengths) and lengths[len(lengths) // 2] > LONG_TEXT


@dataclass(frozen=True)
class ViewPlan:
    """The views chosen for one dataset."""

    fields: tuple[FieldInfo, ...]
    records_count: int
    map_field: FieldInfo | None
    """Geographic field drawn on the map (points preferred to shapes)."""
    date_field: FieldInfo | None
    """Date field of the time series and of the period filter."""
    categories: tuple[FieldInfo, ...]
    """Categorical text fields drawn as bar charts of their most frequent values."""
    filterable: tuple[FieldInfo, ...]
    """Every categorical text field (offered as filters)."""
    measures: tuple[FieldInfo, ...]
    """Numeric fields the time series can add up instead of counting records."""
    popup: tuple[FieldInfo, ...]
    """Main fields shown for a point of the map."""
    table: tuple[FieldInfo, ...]
    """Columns of the table preview."""
    hidden: tuple[str, ...] = ()
    """Fields left out of every view because they may identify a person."""

    @property
    def views(self) -> tuple[str, ...]:
        """Names of the views shown, in page order."""
        names = ["indicateurs"]
        names += ["carte"] if self.map_field else []
        names += ["serie"] if self.date_field else []
        names += ["barres"] if self.categories else []
        return (*names, "champs", "tableau")

    def field(self, name: str) -> FieldInfo | None:
        return next((f for f in self.fields if f.name == name), None)


def _main_fields(fields: Sequence[FieldInfo], count: int) -> tuple[FieldInfo, ...]:
    """Text fields first, then numbers and dates, in the dataset's order."""
    shown = [f for f in fields if f.type not in GEO_TYPES and f.type != "file"]
    ranked = [f for f in shown if f.type == "text"] + [f for f in shown if f.type != "text"]
    return tuple(ranked[:count])


def plan_views(
    fields: Iterable[FieldInfo | Mapping[str, Any]],
    records_count: int,
    distinct_counts: Mapping[str, int | None] | None = None,
    free_text: Collection[str] = (),
) -> ViewPlan:
    """Choose the views of a dataset from its field types.

    Parameters
    ----------
    fields
        The dataset's fields (``[{"name", "label", "type"}]`` or :class:`FieldInfo`).
    records_count
        Records of the whole dataset.
    distinct_counts
        Text field name → distinct non-empty values (None: more than ``MAX_CATEGORIES``
        or unknown). Fields left out are not categories.
    free_text
        Text fields whose values are sentences (see :func:`is_free_text`): never
        categories, however often they repeat.

    Returns
    -------
    ViewPlan
        A map when a ``geo_point_2d`` (else ``geo_shape``) field exists; a time series on
        the first ``date``/``datetime`` field; bar charts of up to ``MAX_BAR_CHARTS``
        categorical text fields (identifier-like names last); KPIs, the fields table and
        a table preview always. Fields that may identify a person are left out.
    """
    every = as_fields(fields)
    personal = set(personal_columns([f.name for f in every] + [f.label for f in every if f.label]))
    hidden = tuple(f.name for f in every if f.name in personal or f.label in personal)
    usable = [f for f in every if f.name not in hidden]
    points = [f for f in usable if f.type == "geo_point_2d"]
    shapes = [f for f in usable if f.type == "geo_shape"]
    dates = [f for f in usable if f.type in DATE_TYPES]
    distinct = distinct_counts or {}
    categorical = [
        f
        for f in usable
        if f.type == "text"
        and f.name not in free_text
        and is_categorical(distinct.get(f.name), records_count)
    ]
    ranked = [f for f in categorical if not _CODE_NAME.search(f.name)]
    ranked += [f for f in categorical if _CODE_NAME.search(f.name)]
    plan = ViewPlan(
        fields=every,
        records_count=records_count,
        map_field=(points or shapes or [None])[0],
        date_field=(dates or [None])[0],
        categories=tuple(ranked[:MAX_BAR_CHARTS]),
        filterable=tuple(categorical),
        measures=tuple(f for f in usable if f.type in NUMBER_TYPES),
        popup=_main_fields(usable, POPUP_FIELDS),
        table=_main_fields(usable, TABLE_COLUMNS),
        hidden=hidden,
    )
    log.debug("views of %d fields: %s", len(every), plan.views)
    return plan


# Time series granularity ---------------------------------------------------------------


@dataclass(frozen=True)
class Granularity:
    """One step of the time series: its French words and how to compute it."""

    key: str
    label: str
    """« par semaine »: completes « Enregistrements … »."""
    ods_format: str
    """Pattern of the portal's ``date_format()``."""
    parse_format: str
    """``strptime`` pattern reading the portal's period back (weeks: ISO year-week)."""
    freq: str
    """pandas frequency of consecutive period starts."""
    axis_label: str
    """Header of the period column (« Semaine du »)."""


GRANULARITIES = (
    Granularity("heure", "par heure", "yyyy-MM-dd HH", "%Y-%m-%d %H", "h", "Heure"),
    Granularity("jour", "par jour", "yyyy-MM-dd", "%Y-%m-%d", "D", "Jour"),
    Granularity("semaine", "par semaine", "xxxx-ww", "%G-%V-%u", "W-MON", "Semaine du"),
    Granularity("mois", "par mois", "yyyy-MM", "%Y-%m", "MS", "Mois"),
    Granularity("annee", "par année", "yyyy", "%Y", "YS", "Année"),
)
"""Finest first. Weeks are ISO weeks (Monday to Sunday), as the portal's ``xxxx-ww``."""


def period_count(start: pd.Timestamp, end: pd.Timestamp, granularity: Granularity) -> int:
    """Periods of ``granularity`` from the one holding ``start`` to the one holding ``end``."""
    first = floor_period(pd.Series([start]), granularity).iloc[0]
    return len(pd.date_range(first, end, freq=granularity.freq))


def floor_period(values: pd.Series, granularity: Granularity) -> pd.Series:
    """Start of the period holding each (naive, local) timestamp."""
    values = pd.to_datetime(values)
    if granularity.key == "heure":
        return values.dt.floor("h")
    days = values.dt.normalize()
    if granularity.key == "jour":
        return days
    if granularity.key == "semaine":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    if granularity.key == "mois":
        return days - pd.to_timedelta(days.dt.day - 1, unit="D")
    return pd.to_datetime(days.dt.year.astype("string") + "-01-01")


def choose_granularity(
    start: pd.Timestamp | date | str, end: pd.Timestamp | date | str, field_type: str = "date"
) -> Granularity:
    """The finest granularity showing the span in at most ``MAX_PERIODS`` periods.

    Hours only for ``datetime`` fields; years when nothing finer fits.
    """
    first, last = sorted((pd.Timestamp(start), pd.Timestamp(end)))
    for granularity in GRANULARITIES:
        if granularity.key == "heure" and field_type != "datetime":
            continue
        if period_count(first, last, granularity) <= MAX_PERIODS:
            return granularity
    return GRANULARITIES[-1]
