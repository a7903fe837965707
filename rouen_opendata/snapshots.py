"""The snapshot store: the embedded copy of each dataset, as the portal exports it.

A dataset's snapshot is a folder ``data/snapshots/<key>/`` holding its data file(s),
byte for byte as the source publishes them (CSV with ``;`` and a BOM, parquet, JSON,
GTFS text files), and a ``meta.json``: the dataset's metas (title, licence, modified,
records_count), its fields, when it was fetched, the sha256 and row count of every
file, and its provenance. Snapshots are replaced whole, never edited in place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import settings
from .exceptions import SnapshotError

log = logging.getLogger(__name__)

META_FILE = "meta.json"


def snapshots_dir() -> Path:
    return settings.data_dir() / "snapshots"


def snapshot_path(key: str) -> Path:
    """Folder of one dataset's snapshot."""
    return snapshots_dir() / key


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_meta(key: str) -> dict[str, Any]:
    """The ``meta.json`` of a snapshot."""
    path = snapshot_path(key) / META_FILE
    try:
        meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return meta
    except FileNotFoundError:
        raise SnapshotError(
            f"Dataset '{key}' has no snapshot at {path}. Run the refresh command "
            "(rouen-opendata refresh) or the sample generator (scripts/generate_samples.py)."
        ) from None
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"Snapshot metadata {path} is not valid JSON: {exc}") from None


def snapshot_file(key: str, file: str, *, verify: bool = True) -> Path:
    """Path of one snapshot file, checked against the sha256 recorded in meta.json."""
    path = snapshot_path(key) / file
    if not path.exists():
        raise SnapshotError(f"Dataset '{key}': snapshot file {path} is missing.")
    if verify:
        recorded = read_meta(key).get("files", {}).get(file, {}).get("sha256")
        if recorded is None:
            raise SnapshotError(f"Dataset '{key}': meta.json records no sha256 for {file}.")
        actual = sha256_file(path)
        if actual != recorded:
            raise SnapshotError(
                f"Dataset '{key}': {file} does not match its recorded sha256 "
                f"(snapshots are replaced whole by the refresh command, never edited)."
            )
    return path


def fingerprint(key: str) -> dict[str, Any]:
    """What identifies a snapshot's content: file checksums and the data's modified date.

    The gallery's cache keys on this.
    """
    meta = read_meta(key)
    return {
        "files": {name: info.get("sha256") for name, info in sorted(meta.get("files", {}).items())},
        "modified": meta.get("metas", {}).get("modified"),
    }


@dataclass(frozen=True)
class SnapshotChange:
    """What a snapshot replacement changed."""

    key: str
    rows_before: int | None
    rows_after: int | None
    modified_before: str | None
    modified_after: str | None
    files_changed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.files_changed) or self.modified_before != self.modified_after

    def describe(self) -> str:
        if not self.changed:
            return f"{self.key}: unchanged"
        parts = [f"{self.key}:"]
        if self.rows_before != self.rows_after:
            parts.append(f"rows {self.rows_before} → {self.rows_after}")
        if self.modified_before != self.modified_after:
            parts.append(f"modified {self.modified_before} → {self.modified_after}")
        if self.files_changed:
            parts.append("files changed: " + ", ".join(self.files_changed))
        return " ".join(parts)


def _total_rows(meta: dict[str, Any] | None) -> int | None:
    if not meta:
        return None
    rows = [info.get("rows") for info in meta.get("files", {}).values()]
    return sum(r for r in rows if r is not None) if rows else None


def write_snapshot(
    key: str,
    files: Mapping[str, Path | bytes],
    *,
    metas: dict[str, Any],
    provenance: dict[str, Any],
    fields: list[dict[str, Any]] | None = None,
    rows: dict[str, int] | None = None,
    fetched_at: str | None = None,
    extra: dict[str, Any] | None = None,
) -> SnapshotChange:
    """Replace a dataset's snapshot whole and atomically.

    Parameters
    ----------
    key
        Registry key of the dataset.
    files
        File name → content (bytes) or path of a file to move in.
    metas
        Dataset metas: title, license, license_url, modified, records_count, publisher.
    provenance
        ``{"kind": "real", ...}`` or ``{"kind": "generated", "script", "seed", "schema"}``.
    fields
        Field descriptions ``[{"name", "type", "label"}]`` as the portal gives them.
    rows
        Row count of each data file (recorded for change reports).
    fetched_at
        ISO timestamp; defaults to now (UTC). Generators pass a fixed value so their
        output is reproducible.
    """
    target = snapshot_path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        old_meta: dict[str, Any] | None = read_meta(key)
    except SnapshotError:
        old_meta = None
    staging = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=target.parent))
    try:
        file_info: dict[str, dict[str, Any]] = {}
        for name, content in files.items():
            dest = staging / name
            if isinstance(content, bytes | bytearray):
                dest.write_bytes(content)
            else:
                shutil.move(str(content), dest)
            file_info[name] = {
                "sha256": sha256_file(dest),
                "bytes": dest.stat().st_size,
                "rows": (rows or {}).get(name),
            }
        meta = {
            "key": key,
            "metas": metas,
            "fields": fields or [],
            "fetched_at": fetched_at
            or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "files": file_info,
            "provenance": provenance,
            **(extra or {}),
        }
        (staging / META_FILE).write_text(
            json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        # Swap folders: the old snapshot stays whole until the new one is complete.
        backup = None
        if target.exists():
            backup = target.with_name(f".{key}.old")
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(target, backup)
        os.replace(staging, target)
        if backup is not None:
            shutil.rmtree(backup)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old_files = (old_meta or {}).get("files", {})
    changed = tuple(
        sorted(
            name
            for name in set(file_info) | set(old_files)
            if file_info.get(name, {}).get("sha256") != old_files.get(name, {}).get("sha256")
        )
    )
    change = SnapshotChange(
        key=key,
        rows_before=_total_rows(old_meta),
        rows_after=_total_rows(meta),
        modified_before=(old_meta or {}).get("metas", {}).get("modified"),
        modified_after=metas.get("modified"),
        files_changed=changed,
    )
    log.info("snapshot %s", change.describe())
    return change
