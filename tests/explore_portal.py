"""The loopback portal, taught the two ODSQL functions the Explorateur sends.

``tests/portal_data.py`` implements a subset of ODSQL. The Explorateur also uses
``count(field)`` (which counts only non-null values, per the API reference) and
``date_format(field, 'pattern') as alias`` in ``group_by``. :class:`ExplorePortal`
rewrites both into what the subset knows — a derived 0/1 column summed, a derived text
column grouped — before the shared server answers, so the loopback answers as the
documented API would. (These could move into ``portal_data.run_query`` itself.) It can
also refuse what some portals refuse (:data:`REFUSALS`: ``group_by``, any ODSQL, any data).

It also turns a snapshot into a :class:`FakeDataset`, rows as the records API gives
them: ISO dates, ``{"lat", "lon"}`` points, null for missing values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pandas as pd
from portal_data import ApiError, FakeDataset, malformed
from portal_server import PortalServer

from analyses.explore_sources import Source

_DATE_FORMAT = re.compile(r"date_format\((\w+),\s*'([^']*)'\)\s+as\s+(\w+)", re.IGNORECASE)
_COUNT_FIELD = re.compile(r"count\((\w+)\)", re.IGNORECASE)
_PATTERN_TOKENS = [("yyyy", "%Y"), ("xxxx", "%G"), ("ww", "%V"), ("MM", "%m"), ("dd", "%d"),
                   ("HH", "%H")]  # fmt: skip


def strftime_pattern(pattern: str) -> str:
    """An ODSQL ``date_format`` pattern as a ``strftime`` one (the tokens used here)."""
    for token, directive in _PATTERN_TOKENS:
        pattern = pattern.replace(token, directive)
    return pattern


def _format(value: Any, pattern: str) -> str | None:
    if value is None:
        return None
    return datetime.fromisoformat(str(value)).strftime(pattern)


def with_functions(dataset: FakeDataset, params: dict[str, list[str]]) -> tuple[FakeDataset, dict]:
    """The dataset with derived columns, and the query rewritten to use them."""
    params = {k: list(v) for k, v in params.items()}
    derived: dict[str, tuple[str, Any]] = {}  # column → (type, function of a row)
    group_by = params.get("group_by", [""])[0]
    for source, pattern, alias in _DATE_FORMAT.findall(group_by):
        directive = strftime_pattern(pattern)
        derived[alias] = ("text", lambda row, s=source, d=directive: _format(row.get(s), d))
        group_by = _DATE_FORMAT.sub(alias, group_by, count=1)
    if group_by:
        params["group_by"] = [group_by]
    select = params.get("select", [""])[0]
    for source in set(_COUNT_FIELD.findall(select)):
        column = f"filled_{source}"
        derived[column] = ("int", lambda row, s=source: 0 if row.get(s) is None else 1)
    if select:
        params["select"] = [_COUNT_FIELD.sub(lambda m: f"sum(filled_{m.group(1)})", select)]
    if not derived:
        return dataset, params
    fields = dataset.fields + [{"name": n, "type": t} for n, (t, _) in derived.items()]
    rows = [{**row, **{n: f(row) for n, (_, f) in derived.items()}} for row in dataset.rows]
    return FakeDataset(dataset.dataset_id, fields, rows, dataset.title), params


REFUSALS = ("group_by", "odsql", "data", "everything")
"""``group_by``: aggregations refused with the portal's 400, as some portals or quotas do;
``odsql``: no ODSQL clause at all (``select``, ``where``, ``group_by``, ``order_by``) on
records nor exports, only plain pages and whole exports; ``data``: metadata only, every
records or export request answered 503; ``everything``: metadata only, every records or
export request refused with a 400."""
_ODSQL_CLAUSES = ("select", "where", "group_by", "order_by")


class ExplorePortal(PortalServer):
    """The loopback portal answering ``count(field)`` and ``date_format()`` too, or refusing
    what :data:`REFUSALS` names (``refuse``)."""

    def __init__(self, *args: Any, refuse: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert refuse in (None, *REFUSALS), refuse
        self.refuse = refuse

    def _refused(self, params: dict[str, list[str]]) -> None:
        if self.refuse == "data":
            raise ApiError(503, {"message": "Service Unavailable", "error_code": "Error"})
        if self.refuse == "everything":
            raise malformed("this API serves no records.", "records")
        if self.refuse == "group_by" and params.get("group_by"):
            raise malformed("group_by is not available on this domain.", "group_by")
        used = [c for c in _ODSQL_CLAUSES if params.get(c)]
        if self.refuse == "odsql" and used:
            raise malformed("ODSQL is not supported by this API.", ", ".join(used))

    def _records(self, dataset: FakeDataset, params: dict[str, list[str]]):
        self._refused(params)
        return super()._records(*with_functions(dataset, params))

    def _export(self, dataset: FakeDataset, fmt: str, params: dict[str, list[str]]):
        self._refused(params)
        return super()._export(dataset, fmt, params)


@contextmanager
def serve_explore_portal(
    *datasets: FakeDataset, refuse: str | None = None
) -> Iterator[ExplorePortal]:
    server = ExplorePortal(datasets, refuse=refuse).start()
    try:
        yield server
    finally:
        server.stop()


def _cell(value: Any, kind: str) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        return value.date().isoformat() if kind == "date" else value.isoformat()
    return value.item() if hasattr(value, "item") else value


def as_portal_dataset(source: Source) -> FakeDataset:
    """A snapshot source served as the portal would serve it."""
    assert source.frame is not None
    fields = [{"name": f.name, "type": f.type, "label": f.label} for f in source.info.fields]
    points = [f.name for f in source.info.fields if f.type == "geo_point_2d"]
    rows = []
    for record in source.frame.to_dict("records"):
        row = {}
        for f in source.info.fields:
            if f.type == "geo_point_2d":
                prefix = "" if f.name == points[0] else f"{f.name}_"
                lat, lon = record[f"{prefix}lat"], record[f"{prefix}lon"]
                located = not (pd.isna(lat) or pd.isna(lon))
                row[f.name] = {"lat": float(lat), "lon": float(lon)} if located else None
            else:
                row[f.name] = _cell(record.get(f.name), f.type)
        rows.append(row)
    return FakeDataset(source.info.dataset_id, fields, rows, source.info.title)
