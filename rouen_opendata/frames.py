"""Reading snapshot or export files into typed DataFrames.

Every source (portal CSV/parquet/JSON exports, GTFS text files) goes through
:func:`read_table`, then :func:`apply_schema` checks the declared fields and gives
each column its type. Conventions of the frames the notebooks receive:

- ``text`` → pandas string, ``int`` → nullable ``Int64``, ``double`` → float64;
- ``date`` → datetime64 (midnight), ``datetime`` → naive local time (Europe/Paris);
- ``geo_point_2d`` → two float columns ``lat`` and ``lon`` (found by type, not name);
- ``geo_shape`` → a column of GeoJSON geometry dicts.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from . import formats
from .exceptions import SchemaMismatchError, SnapshotError

log = logging.getLogger(__name__)

LOCAL_TZ = "Europe/Paris"


def read_table(path: Path | bytes, fmt: str, *, records_path: str | None = None) -> pd.DataFrame:
    """Read one file as the portal or the feed publishes it, all columns untyped."""
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    try:
        if fmt in formats.READERS:
            return formats.read(fmt, path)
        if fmt in ("csv", "gtfs-txt"):
            # utf-8-sig strips the BOM; the csv engine copes with CRLF.
            sep = "," if fmt == "gtfs-txt" else ";"
            return pd.read_csv(
                source,
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                encoding="utf-8-sig",
            )
        if fmt == "parquet":
            return pd.read_parquet(source)
        if fmt == "json":
            raw = json.loads(
                source.getvalue()
                if isinstance(source, io.BytesIO)
                else Path(source).read_text(encoding="utf-8-sig")
            )
            if records_path:
                raw = raw[records_path]
            return pd.DataFrame.from_records(raw)
    except (ValueError, KeyError, TypeError, OSError, UnicodeDecodeError) as exc:
        raise SnapshotError(
            f"Cannot read {path if isinstance(path, Path) else 'data'} as {fmt}: {exc}"
        ) from exc
    raise SnapshotError(f"Unknown table format {fmt!r}.")


def _parse_point(value: Any) -> tuple[float, float]:
    """A geo_point_2d value as (lat, lon): dict or [lat, lon] from JSON, "lat, lon" from CSV."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return (float("nan"), float("nan"))
    if isinstance(value, Mapping):
        return (float(value["lat"]), float(value["lon"]))
    if isinstance(value, list | tuple) and len(value) == 2:
        # The portal's v1 JSON export writes geo_point_2d as [lat, lon] (GeoJSON is [lon, lat]).
        return (float(value[0]), float(value[1]))
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("{"):
            return _parse_point(json.loads(value))
        lat, lon = (part.strip() for part in value.split(","))
        return (float(lat), float(lon))
    raise ValueError(f"unreadable geo_point_2d value {value!r}")


def _parse_shape(value: Any) -> dict[str, Any] | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    shape = json.loads(value) if isinstance(value, str) else dict(value)
    # The portal wraps geometries in a Feature; keep the geometry.
    return shape.get("geometry", shape) if shape.get("type") == "Feature" else shape


def _to_datetime(series: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(series, utc=True, format="ISO8601")
    return parsed.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)


def _convert(series: pd.Series, ftype: str) -> pd.Series:
    if ftype == "text":
        return series.astype("string")
    if ftype == "int":
        return pd.to_numeric(series, errors="raise").astype("Int64")
    if ftype == "double":
        return pd.to_numeric(series, errors="raise").astype("float64")
    if ftype == "date":
        if pd.api.types.is_datetime64_any_dtype(series):
            dates: pd.Series = series.dt.normalize()
            return dates
        text = series.astype("string").str.slice(0, 10).str.replace("-", "", regex=False)
        return pd.to_datetime(text, format="%Y%m%d")
    if ftype == "datetime":
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            local: pd.Series = series.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
            return local
        if pd.api.types.is_datetime64_any_dtype(series):
            return series
        return _to_datetime(series)
    if ftype == "boolean":
        mapping = {"true": True, "1": True, "oui": True, "false": False, "0": False, "non": False}
        lowered = series.astype("string").str.strip().str.lower()
        unknown = lowered.dropna()[~lowered.dropna().isin(list(mapping))]
        if len(unknown):
            raise ValueError(f"not a boolean: {unknown.iloc[0]!r}")
        return lowered.map(mapping).astype("boolean")
    if ftype == "geo_shape":
        return series.map(_parse_shape)
    if ftype == "file":
        return series
    raise ValueError(f"unknown field type {ftype!r}")


def apply_schema(
    frame: pd.DataFrame, fields: Mapping[str, str], *, dataset: str, strict: bool = True
) -> pd.DataFrame:
    """Check declared fields are present and convert each to its declared type.

    Raises :class:`SchemaMismatchError` naming the dataset and the field.
    Undeclared columns are kept as they are.
    """
    frame = frame.copy()
    geo_points = [name for name, ftype in fields.items() if ftype == "geo_point_2d"]
    missing = [
        name
        for name in fields
        if name not in frame.columns and not (name in ("lat", "lon") and geo_points)
    ]
    if missing and strict:
        raise SchemaMismatchError(
            f"Dataset '{dataset}': field '{missing[0]}' is declared in the registry but "
            f"absent from the data (columns: {', '.join(map(str, frame.columns))})."
        )
    for name, ftype in fields.items():
        if name not in frame.columns or ftype == "geo_point_2d":
            continue
        try:
            frame[name] = _convert(frame[name], ftype)
        except (ValueError, TypeError) as exc:
            raise SchemaMismatchError(
                f"Dataset '{dataset}': field '{name}' should be {ftype}: {exc}"
            ) from None
    for index, name in enumerate(geo_points):
        if name not in frame.columns:
            continue
        try:
            pairs = [_parse_point(v) for v in frame[name].tolist()]
        except (ValueError, KeyError, TypeError) as exc:
            raise SchemaMismatchError(
                f"Dataset '{dataset}': field '{name}' should be geo_point_2d: {exc}"
            ) from None
        prefix = "" if index == 0 else f"{name}_"
        frame[f"{prefix}lat"] = [p[0] for p in pairs]
        frame[f"{prefix}lon"] = [p[1] for p in pairs]
        frame = frame.drop(columns=[name])
    return frame
