"""Readers for the JSON shapes real sources publish, each turned into one row per record.

- ``opendatasoft-json``: the portal's JSON export, in either shape it has had — the old v1
  ``download?format=json`` list of ``{datasetid, recordid, fields, geometry,
  record_timestamp}`` (values under ``fields``; its ``geo_point_2d`` is ``[lat, lon]``) or the
  Explore v2.1 ``exports/json`` list of flat records (``geo_point_2d`` is ``{lon, lat}``);
- ``geojson``: a FeatureCollection, one row per feature, its properties as columns and its
  geometry in a ``geo_shape`` column (GeoJSON order, ``[lon, lat]``);
- ``gbfs``: one GBFS feed file (``station_information``, ``station_status``…), one row per
  element of its list (``data.stations``), POSIX timestamps as ISO 8601 UTC text.

Readers leave values untyped: :func:`rouen_opendata.frames.apply_schema` types them from
the registry, finding geo fields by their declared type, not by their name.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

log = logging.getLogger(__name__)

GEOMETRY_COLUMN = "geo_shape"
"""Column holding each GeoJSON feature's geometry."""
GBFS_TIMESTAMPS = ("last_reported",)
"""GBFS record fields given as POSIX seconds (converted to ISO 8601 UTC text)."""


def parse_json(source: Path | bytes) -> Any:
    """JSON from a file or bytes (a UTF-8 byte-order mark is tolerated)."""
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    return json.loads(raw.decode("utf-8-sig"))


def read_opendatasoft_json(raw: Any) -> pd.DataFrame:
    """Rows of a portal JSON export, v1 (``fields`` per record) or v2.1 (flat records)."""
    if not isinstance(raw, list):
        raise ValueError("an Opendatasoft JSON export is a list of records")
    rows = []
    for record in raw:
        if not isinstance(record, dict):
            raise ValueError(f"record {record!r} is not an object")
        if isinstance(record.get("fields"), dict):
            # v1: the record's own geometry repeats the geo_shape field; keep the fields.
            rows.append({"recordid": record.get("recordid"), **record["fields"]})
        else:
            rows.append(record)
    log.debug("%d Opendatasoft records read", len(rows))
    return pd.DataFrame.from_records(rows)


def read_geojson(raw: Any) -> pd.DataFrame:
    """One row per feature: its properties, and its geometry in ``geo_shape``."""
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection":
        raise ValueError("a GeoJSON file here must hold a FeatureCollection")
    rows = []
    for feature in raw.get("features", []):
        properties = feature.get("properties") or {}
        if GEOMETRY_COLUMN in properties:
            raise ValueError(f"a feature property is named {GEOMETRY_COLUMN!r}")
        rows.append({**properties, GEOMETRY_COLUMN: feature.get("geometry")})
    return pd.DataFrame.from_records(rows)


def _iso_utc(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc).isoformat()
    return value


def gbfs_records(raw: Any) -> list[dict[str, Any]]:
    """The list a GBFS feed file carries under ``data`` (``stations``, ``vehicle_types``…)."""
    data = raw.get("data") if isinstance(raw, dict) else None
    lists = [v for v in data.values() if isinstance(v, list)] if isinstance(data, dict) else []
    if len(lists) != 1:
        raise ValueError("a GBFS feed file holds one list under 'data'")
    return lists[0]


def read_gbfs(raw: Any) -> pd.DataFrame:
    """One row per element of a GBFS feed's list; POSIX timestamps as ISO 8601 UTC text."""
    rows = [
        {k: _iso_utc(v) if k in GBFS_TIMESTAMPS else v for k, v in record.items()}
        for record in gbfs_records(raw)
    ]
    return pd.DataFrame.from_records(rows)


READERS: dict[str, Callable[[Any], pd.DataFrame]] = {
    "opendatasoft-json": read_opendatasoft_json,
    "geojson": read_geojson,
    "gbfs": read_gbfs,
}
"""Table format (as declared in the registry) → reader of the parsed JSON."""


def read(fmt: str, source: Path | bytes) -> pd.DataFrame:
    """Read a file of one of the :data:`READERS` formats, all columns untyped."""
    return READERS[fmt](parse_json(source))
