"""The Explorateur's views: one function per view, computed live or on the snapshot.

Each view function takes an opened :class:`~analyses.explore_sources.Source` and a
:class:`~analyses.explore_selection.Selection` and returns a :class:`View`: the data shown
and the :class:`~analyses.explore_queries.ApiQuery` producing it. Live, the portal does
the work (``count(*)``, ``count(field)``, ``min``/``max``, ``group_by`` with
``date_format``, exports for the map) and nothing pages past the API's 10,000 rows;
offline, pandas computes the same numbers on the snapshot's frame. When the portal
refuses or cannot answer a query (an aggregation refused, an unknown field, a portal
without ODSQL), the dataset's whole export is read once and pandas computes every view
on it, as offline (:mod:`analyses.explore_reads`; the reads themselves go through the
data layer's :class:`~rouen_opendata.portal_reads.DatasetReads`).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rouen_opendata.portal_reads import OFFSET_CEILING, typed_export

from . import explore_queries as q
from . import explore_reads as reads
from .explore_plan import (
    MAX_CATEGORIES,
    FieldInfo,
    Granularity,
    floor_period,
)
from .explore_selection import Selection
from .explore_sources import Source

log = logging.getLogger(__name__)

POINT_LIMIT = 3000
"""Up to this many records, the map shows each point with its popup; beyond, clusters."""
CLUSTER_ROWS = 200_000
"""Most points read to draw the clusters of a very large dataset."""
SHAPE_LIMIT = 500
"""Most shapes drawn (shapes weigh on a phone's page)."""
TOP_VALUES = MAX_CATEGORIES + 1
"""Values asked per field: one more than a category may have, to know it has more."""
PAGE_ROWS = 20
"""Rows per page of the table preview."""
LAST_PAGE = OFFSET_CEILING // PAGE_ROWS - 1
"""The API pages at most 10,000 rows: the preview stops there (the export has them all)."""


@dataclass(frozen=True)
class View:
    """What a view shows and the portal request giving it."""

    data: Any
    query: q.ApiQuery


@dataclass(frozen=True)
class TopValues:
    """The most frequent values of a field."""

    counts: pd.Series
    """Value → records, most frequent first (ties by value)."""
    distinct: int | None
    """Distinct values; None when there are more than were asked."""


@dataclass(frozen=True)
class MapData:
    """What the map draws."""

    kind: str
    """``points`` (one per record), ``clusters`` (counted circles) or ``shapes``."""
    frame: pd.DataFrame
    """``lat``/``lon`` and popup fields; ``count`` for clusters; ``geometry`` for shapes."""
    located: int
    """Records with a position among those read."""
    truncated: bool = False
    """True when the selection had more records than the map reads."""


# Views ---------------------------------------------------------------------------------


def count_view(source: Source, selection: Selection) -> View:
    """Records in the selection."""
    query = q.count_query(source.info.dataset_id, source.plan, selection)
    rows = reads.fetch(source, query)
    if rows is not None:
        return View(int(rows[0]["n"]) if rows else 0, query)
    return View(len(reads.selected(source, selection)), query)


def coverage_view(source: Source, selection: Selection) -> View:
    """Share of non-empty values of each field: ``champ``, ``nom``, ``type``,
    ``renseignes`` (records with a value) and ``part`` (of the selection's records)."""
    fields = source.plan.fields
    query = q.coverage_query(source.info.dataset_id, source.plan, selection)
    rows = reads.fetch(source, query)
    if rows is not None:
        row = (rows or [{}])[0]
        total = int(row.get("total") or 0)
        filled = [int(row.get(q.coverage_alias(i)) or 0) for i in range(len(fields))]
    else:
        frame = reads.selected(source, selection)
        total = len(frame)
        filled = [reads.filled(source, frame, f) for f in fields]
    table = pd.DataFrame(
        {
            "champ": [f.title for f in fields],
            "nom": [f.name for f in fields],
            "type": [f.type_label for f in fields],
            "renseignes": filled,
            "part": [n / total if total else math.nan for n in filled],
        }
    )
    return View(table, query)


def span_view(source: Source, selection: Selection) -> View:
    """First and last date of the selection (None when it has no date)."""
    query = q.span_query(source.info.dataset_id, source.plan, selection)
    rows = reads.fetch(source, query)
    if rows is not None:
        row = (rows or [{}])[0]
        first, last = reads.local(row.get("debut")), reads.local(row.get("fin"))
    else:
        dates = reads.selected(source, selection)[selection.date_field].dropna()
        first, last = (dates.min(), dates.max()) if len(dates) else (None, None)
    return View(None if first is None or last is None else (first, last), query)


def complete_periods(frame: pd.DataFrame, granularity: Granularity) -> pd.DataFrame:
    """Every period between the first and the last, absent ones at zero records."""
    if frame.empty:
        return frame
    full = pd.date_range(frame["periode"].min(), frame["periode"].max(), freq=granularity.freq)
    completed = frame.set_index("periode").reindex(full, fill_value=0)
    return completed.rename_axis("periode").reset_index()


def series_view(
    source: Source,
    selection: Selection,
    granularity: Granularity,
    measure: FieldInfo | None = None,
) -> View:
    """Records per period (``periode``, ``n``) and the sum of ``measure`` (``total``)."""
    query = q.series_query(source.info.dataset_id, source.plan, selection, granularity, measure)
    columns = ["periode", "n"] + (["total"] if measure else [])
    rows = reads.fetch(source, query)
    if rows is not None:
        rows = [r for r in rows if r.get("periode") is not None]
        frame = pd.DataFrame(rows, columns=columns)
        text = frame["periode"].astype(str) + ("-1" if granularity.key == "semaine" else "")
        frame["periode"] = pd.to_datetime(text, format=granularity.parse_format)
    else:
        selected = reads.selected(source, selection)
        reads.require(source, selected, [measure.name] if measure else [])
        selected = selected[selected[selection.date_field].notna()]
        groups = selected.groupby(floor_period(selected[selection.date_field], granularity))
        frame = groups.size().rename("n").to_frame()
        if measure:
            frame["total"] = groups[measure.name].sum()
        frame = frame.rename_axis("periode").reset_index()[columns]
    frame["n"] = frame["n"].astype("int64")
    if measure:
        frame["total"] = pd.to_numeric(frame["total"]).astype("float64").fillna(0.0)
    return View(complete_periods(frame, granularity), query)


def top_values_view(
    source: Source, selection: Selection, name: str, limit: int = TOP_VALUES
) -> View:
    """The ``limit`` most frequent values of a field, and how many values it has."""
    query = q.top_values_query(source.info.dataset_id, source.plan, selection, name, limit)
    rows = reads.fetch(source, query)
    if rows is not None:
        more = len(rows) >= limit
        pairs = [(str(r[name]), int(r["n"])) for r in rows if r.get(name) not in (None, "")]
        counts = pd.Series(dict(pairs), dtype="int64")
    else:
        selected = reads.selected(source, selection)
        reads.require(source, selected, [name])
        values = selected[name].dropna().astype("string")
        values = values[values.str.strip().ne("")]
        table = values.value_counts().rename_axis("valeur").reset_index(name="n")
        table = table.sort_values(["n", "valeur"], ascending=[False, True], kind="stable")
        more = len(table) >= limit
        counts = pd.Series(
            table["n"].head(limit).to_numpy(dtype="int64"),
            index=table["valeur"].head(limit).astype(str).tolist(),
        )
    return View(TopValues(counts, None if more else len(counts)), query)


def grid_clusters(points: pd.DataFrame) -> pd.DataFrame:
    """Points counted on a regular grid (about 30 cells across): ``lat``, ``lon``
    (mean of the cell's points) and ``count``, largest first."""
    if points.empty:
        return pd.DataFrame({"lat": [], "lon": [], "count": []})
    span = max(points["lat"].max() - points["lat"].min(), points["lon"].max() - points["lon"].min())
    raw = span / 30 if span > 0 else 0.001
    magnitude = 10 ** math.floor(math.log10(raw))
    cell = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    keys = [(points["lat"] // cell).astype(int), (points["lon"] // cell).astype(int)]
    grouped = points.groupby(keys)
    clusters = grouped[["lat", "lon"]].mean().assign(count=grouped.size()).reset_index(drop=True)
    return clusters.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def map_view(source: Source, selection: Selection, rows: int) -> View:
    """The map's content: points with popups, clusters of a large set, or shapes.

    ``rows`` is the selection's record count (from :func:`count_view`).
    """
    geo = source.plan.map_field
    popup = [f.name for f in source.plan.popup]
    if geo.type == "geo_shape":
        kind, columns, limit = "shapes", [geo.name, *popup], SHAPE_LIMIT
    elif rows <= POINT_LIMIT:
        kind, columns, limit = "points", [geo.name, *popup], None
    else:
        kind, columns, limit = "clusters", [geo.name], CLUSTER_ROWS
    query = q.map_query(source.info.dataset_id, source.plan, selection, columns, limit)
    types = {f.name: f.type for f in source.info.fields if f.name in columns}
    frame = reads.export(source, query, types)
    if frame is None:
        frame = reads.selected(source, selection)
        shown = reads.present(frame, columns[1:])
        if geo.type == "geo_point_2d":
            lat, lon = reads.point_columns(source, geo.name)
            reads.require(source, frame, [lat, lon])
            frame = frame.rename(columns={lat: "lat", lon: "lon"})[["lat", "lon", *shown]]
        else:
            reads.require(source, frame, [geo.name])
            frame = frame[[geo.name, *shown]]
        frame = frame.head(limit) if limit else frame
    if geo.type == "geo_shape":
        frame = frame.rename(columns={geo.name: "geometry"})
        frame = frame[frame["geometry"].notna()]
    else:
        frame = frame.dropna(subset=["lat", "lon"])
    located = len(frame)
    if kind == "clusters":
        frame = grid_clusters(frame)
    return View(
        MapData(kind, frame.reset_index(drop=True), located, bool(limit and rows > limit)), query
    )


def preview_view(source: Source, selection: Selection, page: int = 0) -> View:
    """One page of ``PAGE_ROWS`` records (table columns of the plan); pages stop at the
    API's 10,000 rows."""
    page = max(0, min(page, LAST_PAGE))
    columns = [f.name for f in source.plan.table]
    query = q.preview_query(
        source.info.dataset_id, source.plan, selection, columns, page, PAGE_ROWS
    )
    rows = reads.fetch(source, query)
    if rows is not None:
        types = {f.name: f.type for f in source.plan.table}
        frame = typed_export(pd.DataFrame(rows, columns=columns), types, source.info.dataset_id)
    else:
        selected = reads.selected(source, selection)
        frame = selected[reads.present(selected, columns)]
        frame = frame.iloc[page * PAGE_ROWS : (page + 1) * PAGE_ROWS]
    return View(frame.reset_index(drop=True), query)
