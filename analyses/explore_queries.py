"""The portal requests behind each view of the Explorateur, and how to reuse them.

Every view is one Explore API v2.1 request: an aggregation (``select`` with
``count(*)``, ``sum``, ``min``/``max``, ``group_by``) or an export. :class:`ApiQuery`
holds its ODSQL clauses; the URLs come from the data layer's ``DatasetReads``, so what a
citizen copies is exactly what the live dashboard sends, and
:meth:`ApiQuery.snippet` gives the same result as a ready-to-run pandas line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rouen_opendata.portal_reads import PAGE_SIZE, DatasetReads

from .explore_plan import FieldInfo, Granularity, ViewPlan
from .explore_selection import Selection

log = logging.getLogger(__name__)

LOCAL_TIMEZONE = "Europe/Paris"
"""Time zone of the dates the portal groups and returns (the snapshots' local time)."""
SERIES_LIMIT = 1000
"""Groups asked for a time series (the plan keeps it near ``MAX_PERIODS``)."""
RESERVED = frozenset(
    {
        "and", "as", "asc", "avg", "by", "count", "date_format", "day", "dayofweek", "desc",
        "distinct", "equi", "false", "group", "hour", "ifnull", "or", "limit", "lower", "max",
        "millisecond", "min", "minute", "month", "not", "null", "quarter", "range", "search",
        "second", "select", "sum", "top", "true", "upper", "where", "year",
    }
)  # fmt: skip
"""ODSQL keywords: a field of that name is written between back quotes."""
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def odsql_name(name: str) -> str:
    """A field name as ODSQL reads it (back quotes around keywords and odd names)."""
    if _PLAIN_NAME.match(name) and name.lower() not in RESERVED:
        return name
    return "`" + name.replace("`", "\\`") + "`"


def odsql_text(value: str) -> str:
    """A text literal: ``"Rouen"`` (quotes and backslashes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class ApiQuery:
    """One request of the Explore API: its clauses, and which endpoint sends it."""

    dataset_id: str
    clauses: tuple[tuple[str, Any], ...]
    """``select``, ``where``, ``group_by``, ``order_by``, ``timezone`` (None left out)."""
    limit: int | None = None
    offset: int = 0
    export: bool = False
    """True when the live dashboard sends the export itself (the map's points)."""
    description: str = field(default="", compare=False)
    """What the request answers, in French."""

    @property
    def params(self) -> dict[str, Any]:
        return {name: value for name, value in self.clauses if value is not None}

    def records_url(self, reads: DatasetReads) -> str:
        """URL of the records endpoint (JSON, the browser shows it)."""
        limit = PAGE_SIZE if self.limit is None else self.limit
        if "group_by" not in self.params:
            limit = min(limit, PAGE_SIZE)  # records pages hold at most 100 rows
        extra = {"limit": limit} | ({"offset": self.offset} if self.offset else {})
        return reads.records_url(**self.params, **extra)

    def export_url(self, reads: DatasetReads, fmt: str = "csv") -> str:
        """URL of the export in ``fmt``: every matching row, or the map's ``limit``."""
        extra = {"limit": self.limit} if self.export and self.limit else {}
        return reads.export_url(fmt, **self.params, **extra)

    def snippet(self, reads: DatasetReads) -> str:
        """Python lines giving the same table with pandas (CSV export, ``;``-separated)."""
        return f'import pandas as pd\n\ndonnees = pd.read_csv("{self.export_url(reads)}", sep=";")'


def _where(plan: ViewPlan, selection: Selection) -> str | None:
    parts = []
    for name, value in selection.filters:
        found = plan.field(name)
        literal = value if found is not None and found.type == "int" else odsql_text(value)
        parts.append(f"{odsql_name(name)} = {literal}")
    if selection.date_field and selection.start:
        parts.append(f"{odsql_name(selection.date_field)} >= date'{selection.start.isoformat()}'")
    if selection.date_field and selection.end_exclusive:
        end = selection.end_exclusive.isoformat()
        parts.append(f"{odsql_name(selection.date_field)} < date'{end}'")
    return " AND ".join(parts) or None


def _timezone(plan: ViewPlan) -> str | None:
    return LOCAL_TIMEZONE if any(f.type == "datetime" for f in plan.fields) else None


def _query(
    dataset_id: str,
    plan: ViewPlan,
    selection: Selection,
    description: str,
    *,
    select: str | None = None,
    group_by: str | None = None,
    order_by: str | None = None,
    **options: Any,
) -> ApiQuery:
    clauses = (
        ("select", select),
        ("where", _where(plan, selection)),
        ("group_by", group_by),
        ("order_by", order_by),
        ("timezone", _timezone(plan)),
    )
    return ApiQuery(dataset_id, clauses, description=description, **options)


def count_query(dataset_id: str, plan: ViewPlan, selection: Selection) -> ApiQuery:
    """Records of the selection: ``select=count(*) as n``."""
    return _query(
        dataset_id, plan, selection, "Nombre d'enregistrements", select="count(*) as n", limit=1
    )


def coverage_alias(position: int) -> str:
    return f"c{position}"


def coverage_query(dataset_id: str, plan: ViewPlan, selection: Selection) -> ApiQuery:
    """Non-empty values of each field: ``count(field)`` counts only non-null values."""
    counts = ", ".join(
        f"count({odsql_name(f.name)}) as {coverage_alias(i)}" for i, f in enumerate(plan.fields)
    )
    return _query(
        dataset_id,
        plan,
        selection,
        "Valeurs renseignées de chaque champ",
        select="count(*) as total" + (f", {counts}" if counts else ""),
        limit=1,
    )


def span_query(dataset_id: str, plan: ViewPlan, selection: Selection) -> ApiQuery:
    """First and last date of the selection."""
    name = odsql_name(selection.date_field or "")
    return _query(
        dataset_id,
        plan,
        selection,
        "Première et dernière date",
        select=f"min({name}) as debut, max({name}) as fin",
        limit=1,
    )


def series_query(
    dataset_id: str,
    plan: ViewPlan,
    selection: Selection,
    granularity: Granularity,
    measure: FieldInfo | None = None,
) -> ApiQuery:
    """Records (and the sum of ``measure``) per period of the date field."""
    name = odsql_name(selection.date_field or "")
    select = "count(*) as n" + (f", sum({odsql_name(measure.name)}) as total" if measure else "")
    return _query(
        dataset_id,
        plan,
        selection,
        f"Enregistrements {granularity.label}",
        select=select,
        group_by=f"date_format({name}, '{granularity.ods_format}') as periode",
        order_by="periode",
        limit=SERIES_LIMIT,
    )


def top_values_query(
    dataset_id: str, plan: ViewPlan, selection: Selection, name: str, limit: int
) -> ApiQuery:
    """The ``limit`` most frequent values of a field, most frequent first."""
    quoted = odsql_name(name)
    found = plan.field(name)
    return _query(
        dataset_id,
        plan,
        selection,
        f"Valeurs les plus fréquentes de « {found.title if found else name} »",
        select="count(*) as n",
        group_by=quoted,
        order_by=f"n desc, {quoted}",
        limit=limit,
    )


def map_query(
    dataset_id: str,
    plan: ViewPlan,
    selection: Selection,
    columns: Sequence[str],
    limit: int | None = None,
) -> ApiQuery:
    """The map's rows (geographic field and popup fields), sent as an export."""
    return _query(
        dataset_id,
        plan,
        selection,
        "Positions de la carte",
        select=", ".join(odsql_name(c) for c in columns),
        limit=limit,
        export=True,
    )


def preview_query(
    dataset_id: str,
    plan: ViewPlan,
    selection: Selection,
    columns: Sequence[str],
    page: int,
    size: int,
) -> ApiQuery:
    """One page of the table preview (records ``limit``/``offset``)."""
    return _query(
        dataset_id,
        plan,
        selection,
        "Aperçu des enregistrements",
        select=", ".join(odsql_name(c) for c in columns) or None,
        limit=size,
        offset=page * size,
    )
