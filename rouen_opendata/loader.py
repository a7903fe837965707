"""``load_dataset``: the one door through which notebooks get data.

It reads a dataset by its registry key from the embedded snapshot (default) or from
its live source (``OPENDATA_SOURCE=live``), through the same readers and the same
schema check, and returns the frame with a :class:`DataProvenance` saying where the
numbers come from. A live read that fails falls back to the snapshot and says why.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import requests

from . import config, snapshots
from .exceptions import OpenDataError
from .frames import apply_schema, read_table
from .registry import DatasetSpec, TableSpec, get_dataset

log = logging.getLogger(__name__)

GENERATED_LABEL = "Données d'exemple générées"


@dataclass(frozen=True)
class DataProvenance:
    """Where a frame comes from: enough for a citizen to trace every number."""

    key: str
    title: str
    dataset_id: str | None
    page_url: str
    publisher: str
    licence: str
    licence_url: str
    source: str
    """``snapshot`` or ``live``: where this frame was actually read from."""
    data_date: str | None
    """The data's own last modification date (ISO), when the source gives one."""
    fetched_at: str | None
    """When the snapshot was taken (ISO); None for a live read."""
    generated: bool
    origin: str
    """Real source (repository, URL) or generating script and seed."""
    fallback_reason: str | None = None
    """Why a requested live read was replaced by the snapshot (French)."""
    rows: int = 0

    @property
    def offline_since(self) -> str | None:
        """Date of the snapshot used instead of a failed live read."""
        if self.fallback_reason is None:
            return None
        return (self.fetched_at or "")[:10] or None

    @property
    def labels(self) -> list[str]:
        """Short French labels a view must show beside the data."""
        labels = []
        if self.generated:
            labels.append(GENERATED_LABEL)
        if self.fallback_reason is not None:
            since = format_date_fr(self.offline_since)
            labels.append(f"Données hors ligne du {since}" if since else "Données hors ligne")
        return labels


class LoadedDataset(NamedTuple):
    """A typed frame and its provenance; unpacks as ``frame, provenance``."""

    frame: pd.DataFrame
    provenance: DataProvenance


def format_date_fr(value: str | date | datetime | None) -> str:
    """``2024-02-01`` → ``01/02/2024``; empty text when unknown."""
    if not value:
        return ""
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    try:
        return datetime.fromisoformat(text[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _base_provenance(spec: DatasetSpec, source: str) -> DataProvenance:
    prov = spec.provenance
    origin = (
        prov.source
        if prov.kind == "real"
        else f"{prov.script} (graine {prov.seed}), schéma : {prov.schema_}"
    )
    return DataProvenance(
        key=spec.key,
        title=spec.title,
        dataset_id=spec.dataset_id,
        page_url=spec.portal_page,
        publisher=spec.publisher,
        licence=spec.licence,
        licence_url=spec.licence_url,
        source=source,
        data_date=None,
        fetched_at=None,
        generated=spec.generated,
        origin=origin,
    )


def typed_table(frame: pd.DataFrame, spec: DatasetSpec, table: TableSpec) -> pd.DataFrame:
    if table.rename:
        frame = frame.rename(columns=table.rename)
    return apply_schema(frame, table.fields, dataset=spec.key)


@lru_cache(maxsize=32)
def _snapshot_frame(key: str, table_name: str | None, sha: str) -> pd.DataFrame:
    spec = get_dataset(key)
    table = spec.table(table_name)
    path = snapshots.snapshot_file(key, table.file)
    return typed_table(read_table(path, table.format, records_path=table.records_path), spec, table)


def _load_snapshot(spec: DatasetSpec, table_name: str | None) -> LoadedDataset:
    table = spec.table(table_name)
    meta = snapshots.read_meta(spec.key)
    sha = meta.get("files", {}).get(table.file, {}).get("sha256", "")
    frame = _snapshot_frame(spec.key, table_name, sha).copy()
    provenance = replace(
        _base_provenance(spec, "snapshot"),
        data_date=meta.get("metas", {}).get("modified"),
        fetched_at=meta.get("fetched_at"),
        rows=len(frame),
    )
    return LoadedDataset(frame, provenance)


def _fetch_live_file(spec: DatasetSpec, table: TableSpec, workdir: Path) -> tuple[Path, str | None]:
    """Download the file the snapshot would hold; returns its path and modified date."""
    from .client import PortalClient

    client = PortalClient(base_url=spec.portal_base)
    if spec.source == "opendatasoft":
        fmt = "parquet" if table.format == "parquet" else "csv"
        modified = (
            client.dataset(spec.dataset_id).get("metas", {}).get("default", {}).get("modified")
        )
        return client.export(spec.dataset_id, fmt, workdir / f"export.{fmt}"), modified
    downloaded = client.download(spec.url, workdir / "download")
    if spec.source == "gtfs":
        with zipfile.ZipFile(downloaded) as archive:
            member = next((n for n in archive.namelist() if Path(n).name == table.file), None)
            if member is None:
                raise OpenDataError(f"The GTFS feed of '{spec.key}' has no {table.file}.")
            return Path(archive.extract(member, workdir)), None
    return downloaded, None


@lru_cache(maxsize=16)
def _live_frame(key: str, table_name: str | None) -> tuple[pd.DataFrame, str | None]:
    spec = get_dataset(key)
    table = spec.table(table_name)
    with tempfile.TemporaryDirectory(prefix="opendata-live-") as tmp:
        path, modified = _fetch_live_file(spec, table, Path(tmp))
        frame = read_table(path, table.format, records_path=table.records_path)
    return typed_table(frame, spec, table), modified


def _load_live(spec: DatasetSpec, table_name: str | None) -> LoadedDataset:
    try:
        frame, modified = _live_frame(spec.key, table_name)
    except (OpenDataError, requests.RequestException, zipfile.BadZipFile, OSError) as exc:
        log.warning("live read of %s failed, using the snapshot: %s", spec.key, exc)
        loaded = _load_snapshot(spec, table_name)
        reason = f"lecture en ligne impossible ({type(exc).__name__}) : {exc}"
        return LoadedDataset(loaded.frame, replace(loaded.provenance, fallback_reason=reason))
    provenance = replace(_base_provenance(spec, "live"), data_date=modified, rows=len(frame))
    return LoadedDataset(frame.copy(), provenance)


def load_dataset(key: str, table: str | None = None, source: str | None = None) -> LoadedDataset:
    """Load a registry dataset as a typed DataFrame with its provenance.

    Parameters
    ----------
    key
        Registry key, e.g. ``"astuce-gtfs"`` or ``"eco-counter-data"``.
    table
        Table name for multi-table datasets (GTFS: ``"stops"``, ``"routes"``…).
    source
        ``"snapshot"`` or ``"live"``; defaults to ``OPENDATA_SOURCE`` (snapshot).

    Returns
    -------
    LoadedDataset
        ``frame, provenance = load_dataset(...)``.
    """
    spec = get_dataset(key)
    source = source or config.data_source()
    if source not in config.SOURCES:
        raise ValueError(f"source={source!r}: use 'snapshot' or 'live'.")
    if source == "live":
        return _load_live(spec, table)
    return _load_snapshot(spec, table)
