"""Refresh command: download live data into the snapshots, atomically, reporting changes.

Only real datasets are refreshed (generated ones come from scripts/generate_samples.py).
Each download is read and checked against the registry's fields *before* it replaces
the snapshot, so a broken or partial download never reaches the embedded data.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import requests

from .client import PortalClient
from .exceptions import OpenDataError
from .frames import read_table
from .loader import typed_table
from .registry import DatasetSpec, load_registry
from .snapshots import SnapshotChange, write_snapshot

log = logging.getLogger(__name__)


class RefreshNotSupported(OpenDataError):
    """The snapshot's shape cannot be re-made from the live source as it is declared."""


def _opendatasoft_files(spec: DatasetSpec, client: PortalClient, tmp: Path) -> tuple[dict, dict]:
    meta = client.dataset(spec.dataset_id)
    files = {}
    for name, table in spec.tables.items():
        if table.format not in ("csv", "parquet"):
            raise RefreshNotSupported(
                f"'{spec.key}': table '{name}' is a {table.format} copy, not a portal export; "
                "declare the portal's csv export in the registry to refresh it."
            )
        files[table.file] = client.export(spec.dataset_id, table.format, tmp / table.file)
    return files, {
        "metas": meta.get("metas", {}).get("default", {}),
        "fields": meta.get("fields", []),
    }


def _gtfs_files(spec: DatasetSpec, client: PortalClient, tmp: Path) -> tuple[dict, dict]:
    archive_path = client.download(spec.url, tmp / "feed.zip")
    files = {}
    with zipfile.ZipFile(archive_path) as archive:
        names = {Path(n).name: n for n in archive.namelist()}
        for table in spec.tables.values():
            if table.file not in names:
                raise OpenDataError(f"'{spec.key}': the downloaded feed has no {table.file}.")
            files[table.file] = Path(archive.extract(names[table.file], tmp / "feed"))
    return files, {
        "metas": {"title": spec.title, "modified": date.today().isoformat()},
        "fields": [],
    }


def refresh_dataset(spec: DatasetSpec) -> SnapshotChange:
    """Download one real dataset and replace its snapshot if the download is valid."""
    if spec.generated:
        raise RefreshNotSupported(
            f"'{spec.key}' is generated: run scripts/generate_samples.py instead."
        )
    client = PortalClient(base_url=spec.portal_base)
    with tempfile.TemporaryDirectory(prefix=f"refresh-{spec.key}-") as tmp:
        if spec.source == "opendatasoft":
            files, meta = _opendatasoft_files(spec, client, Path(tmp))
        elif spec.source == "gtfs":
            files, meta = _gtfs_files(spec, client, Path(tmp))
        else:
            raise RefreshNotSupported(f"'{spec.key}': refresh of plain URLs is not declared.")
        rows = {}
        for table in spec.tables.values():
            frame = typed_table(read_table(files[table.file], table.format), spec, table)
            rows[table.file] = len(frame)
        return write_snapshot(
            spec.key,
            files,
            metas=meta["metas"],
            fields=meta["fields"],
            rows=rows,
            provenance={
                "kind": "real",
                "source": spec.url or client.export_url(spec.dataset_id),
                "retrieved": date.today().isoformat(),
            },
        )


def refresh(keys: list[str] | None = None) -> list[str]:
    """Refresh the given datasets (default: every real one); one report line each."""
    registry = load_registry()
    specs = [registry[k] for k in keys] if keys else [s for s in registry if not s.generated]
    report = []
    for spec in specs:
        try:
            report.append(refresh_dataset(spec).describe())
        except (OpenDataError, requests.RequestException, zipfile.BadZipFile, OSError) as exc:
            log.warning("refresh of %s failed: %s", spec.key, exc)
            report.append(f"échec {spec.key} : {exc}")
    return report
