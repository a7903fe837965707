"""``load_dataset``: the one door through which notebooks get data.

It reads a dataset by its registry key from the embedded snapshot (default) or from
its live source (``OPENDATA_SOURCE=live``), through the same readers and the same
schema check, and returns the frame with a :class:`DataProvenance` saying where the
numbers come from. A live read that fails falls back to the snapshot and says why, in
French (:mod:`.reasons`). Inside a gallery build the live read is the build's shared one
(:mod:`.prefetch`); elsewhere it is made once per process, bounded in time, and a portal
that failed is not asked again (:mod:`.breaker`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import prefetch, settings, snapshots
from .formatting import format_date
from .frames import apply_schema, read_table
from .prefetch import SharedRead
from .reasons import french_reason
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
    read_at: str | None = None
    """When the portal was read (ISO, UTC) for a live read; None for a snapshot."""

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
            since = format_date(self.offline_since, "short", missing="")
            labels.append(f"Données hors ligne du {since}" if since else "Données hors ligne")
        return labels


class LoadedDataset(NamedTuple):
    """A typed frame and its provenance; unpacks as ``frame, provenance``."""

    frame: pd.DataFrame
    provenance: DataProvenance


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


def live_provenance(spec: DatasetSpec, shared: SharedRead, rows: int) -> DataProvenance:
    """The provenance of a live read: real data from the portal, whatever the registry's
    snapshot is (a generated sample replaced by the portal's data is real data)."""
    return replace(
        _base_provenance(spec, "live"),
        data_date=shared.metas.get("modified"),
        generated=False,
        origin=shared.origin or spec.portal_page,
        rows=rows,
        read_at=shared.read_at,
    )


def snapshot_provenance(spec: DatasetSpec, fallback_reason: str | None = None) -> DataProvenance:
    """The provenance of a snapshot read, without reading the frame (rows from meta.json)."""
    meta = snapshots.read_meta(spec.key)
    rows = [info.get("rows") for info in meta.get("files", {}).values()]
    return replace(
        _base_provenance(spec, "snapshot"),
        data_date=meta.get("metas", {}).get("modified"),
        fetched_at=meta.get("fetched_at"),
        rows=sum(r for r in rows if r is not None),
        fallback_reason=fallback_reason,
    )


def dataset_provenance(key: str, source: str | None = None) -> DataProvenance:
    """What a read of ``key`` says about its data, for the pages of a build: the same
    record the notebooks get from :func:`load_dataset` (rows of every table summed)."""
    spec = get_dataset(key)
    if (source or settings.data_source()) != "live":
        return snapshot_provenance(spec)
    shared = prefetch.read(key)
    if shared.read != "live":
        return snapshot_provenance(spec, shared.reason)
    return live_provenance(spec, shared, sum(i["rows"] for i in shared.files.values()))


@lru_cache(maxsize=16)
def _live_frame(key: str, table_name: str | None, folder: str, sha: str) -> pd.DataFrame:
    spec = get_dataset(key)
    table = spec.table(table_name)
    shared = prefetch.load_manifest(Path(folder)) or prefetch.read(key)
    path = shared.path(table.file)
    return typed_table(read_table(path, table.format, records_path=table.records_path), spec, table)


def _load_live(spec: DatasetSpec, table_name: str | None) -> LoadedDataset:
    shared = prefetch.read(spec.key)
    if shared.read == "live":
        table = spec.table(table_name)
        try:
            sha = shared.files[table.file]["sha256"]
            frame = _live_frame(spec.key, table_name, shared.folder, sha).copy()
        except prefetch.READ_ERRORS as exc:
            log.warning("shared live file of %s unusable, using the snapshot: %s", spec.key, exc)
            shared = prefetch.fallback(spec, french_reason(exc))
        else:
            return LoadedDataset(frame, live_provenance(spec, shared, len(frame)))
    loaded = _load_snapshot(spec, table_name)
    return LoadedDataset(loaded.frame, replace(loaded.provenance, fallback_reason=shared.reason))


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
    source = source or settings.data_source()
    if source not in settings.SOURCES:
        raise ValueError(f"source={source!r}: use 'snapshot' or 'live'.")
    if source == "live":
        return _load_live(spec, table)
    return _load_snapshot(spec, table)
