"""Refresh command: download live data into the snapshots, atomically, reporting changes.

Only real datasets are refreshed (generated ones come from scripts/generate_samples.py).
Each download goes through the live read's checks (:mod:`.prefetch`: registry schema,
row count against the portal's ``records_count``) *before* it replaces the snapshot, so
a broken or partial download never reaches the embedded data. A download whose content
is the snapshot's, once line endings and byte-order marks are set aside, leaves the
snapshot untouched. Reports are in French, with rows added, removed and changed.
"""

from __future__ import annotations

import logging
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from . import snapshots
from .exceptions import OpenDataError
from .formatting import format_date
from .frames import read_table
from .loader import typed_table
from .prefetch import METAS, READ_ERRORS, checked_read, download_files, live_client
from .reasons import french_reason
from .registry import DatasetSpec, TableSpec, load_registry

log = logging.getLogger(__name__)


class RefreshNotSupported(OpenDataError):
    """The snapshot's shape cannot be re-made from the live source as it is declared."""

    def __init__(self, message: str, french: str):
        super().__init__(message)
        self.french = french


def normalised(data: bytes) -> bytes:
    """Content of a text file with its BOM dropped and CRLF line endings made LF."""
    return data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")


def _lines(frame: pd.DataFrame) -> Counter[str]:
    text = frame.astype("string").fillna("")
    return Counter("\x1f".join(row) for row in text.itertuples(index=False, name=None))


def row_changes(before: pd.DataFrame, after: pd.DataFrame) -> tuple[int, int, int]:
    """(added, removed, changed) rows between two typed frames of one table.

    Rows are matched on the first column when it identifies them (unique on both sides);
    otherwise whole rows are compared and a changed row counts as removed + added.
    """
    common = [c for c in after.columns if c in before.columns]
    if not common:
        return len(after), len(before), 0
    before, after = before[common], after[common]
    first = common[0]
    if before[first].is_unique and after[first].is_unique:
        old = dict(zip(before[first].astype("string"), _row_texts(before), strict=True))
        new = dict(zip(after[first].astype("string"), _row_texts(after), strict=True))
        added = sum(1 for k in new if k not in old)
        removed = sum(1 for k in old if k not in new)
        changed = sum(1 for k in new if k in old and new[k] != old[k])
        return added, removed, changed
    old_lines, new_lines = _lines(before), _lines(after)
    return sum((new_lines - old_lines).values()), sum((old_lines - new_lines).values()), 0


def _row_texts(frame: pd.DataFrame) -> list[str]:
    text = frame.astype("string").fillna("")
    return ["\x1f".join(row) for row in text.itertuples(index=False, name=None)]


def _snapshot_frame(spec: DatasetSpec, table: TableSpec, folder: Path) -> pd.DataFrame | None:
    path = folder / table.file
    if not path.exists():
        return None
    return typed_table(read_table(path, table.format, records_path=table.records_path), spec, table)


def _count_fr(count: int, what: str) -> str:
    """``1 ligne ajoutée``, ``2 lignes ajoutées``, ``0 ligne ajoutée``."""
    plural = "s" if count > 1 else ""
    return f"{count} ligne{plural} {what}{plural}"


def describe_fr(change: snapshots.SnapshotChange, counts: tuple[int, int, int] | None) -> str:
    """One French report line for a refreshed dataset."""
    modified = format_date(change.modified_after, "short", missing="date non communiquée")
    if not change.changed:
        return f"{change.key} : inchangé (modifié le {modified})"
    parts = []
    if counts is not None:
        added, removed, changed = counts
        parts += [
            _count_fr(added, "ajoutée"),
            _count_fr(removed, "retirée"),
            _count_fr(changed, "modifiée"),
        ]
    if change.modified_before != change.modified_after:
        before = format_date(change.modified_before, "short", missing="date non communiquée")
        parts.append(f"modifié le {modified} (avant : {before})")
    else:
        parts.append(f"modifié le {modified}")
    return f"{change.key} : " + ", ".join(parts)


def refresh_dataset(spec: DatasetSpec) -> str:
    """Download one real dataset, replace its snapshot if the download is valid and
    differs, and return the French report line."""
    if spec.generated:
        raise RefreshNotSupported(
            f"'{spec.key}' is generated: run scripts/generate_samples.py instead.",
            "jeu d'exemple généré : il se refait avec scripts/generate_samples.py",
        )
    if spec.source not in ("opendatasoft", "gtfs", "url"):
        raise RefreshNotSupported(
            f"'{spec.key}': source {spec.source!r} has no live export to refresh from.",
            "ce jeu n'a pas de source en ligne à relire",
        )
    with (
        tempfile.TemporaryDirectory(prefix=f"refresh-{spec.key}-") as tmp,
        live_client(spec) as client,
    ):
        folder = Path(tmp)
        metas: dict[str, Any] = {"title": spec.title, "modified": date.today().isoformat()}
        fields: list[dict[str, Any]] = []
        if spec.source == "opendatasoft":
            meta = client.dataset(spec.portal_id)
            metas, fields = meta.get("metas", {}).get("default", {}), meta.get("fields", [])
        origin = download_files(spec, client, folder)
        read = checked_read(
            spec, folder, origin, {n: metas.get(n) for n in METAS}, date.today().isoformat()
        )
        current = snapshots.snapshot_path(spec.key)
        old_meta = _old_meta(spec.key)
        downloaded = {t.file: folder / "files" / t.file for t in spec.tables.values()}
        same = old_meta is not None and all(
            (current / name).exists()
            and normalised((current / name).read_bytes()) == normalised(path.read_bytes())
            for name, path in downloaded.items()
        )
        old_modified = (old_meta or {}).get("metas", {}).get("modified")
        if same and (spec.source != "opendatasoft" or old_modified == metas.get("modified")):
            return describe_fr(
                snapshots.SnapshotChange(spec.key, None, None, old_modified, old_modified, ()),
                None,
            )
        counts = [0, 0, 0]
        for table in spec.tables.values():
            after = _snapshot_frame(spec, table, folder / "files")
            if after is None:
                raise OpenDataError(f"{spec.key}: the download has no {table.file}.")
            before = _snapshot_frame(spec, table, current) if old_meta else None
            one = row_changes(before if before is not None else after.iloc[0:0], after)
            counts = [a + b for a, b in zip(counts, one, strict=True)]
        change = snapshots.write_snapshot(
            spec.key,
            downloaded,
            metas=metas,
            fields=fields,
            rows={name: info["rows"] for name, info in read.files.items()},
            provenance={"kind": "real", "source": origin, "retrieved": date.today().isoformat()},
        )
        added, removed, changed = counts
        return describe_fr(change, (added, removed, changed))


def _old_meta(key: str) -> dict[str, Any] | None:
    try:
        return snapshots.read_meta(key)
    except OpenDataError:
        return None


def refresh(keys: list[str] | None = None) -> list[str]:
    """Refresh the given datasets (default: every real one with a live source); one
    French report line each. Errors are logged in English and reported in French."""
    registry = load_registry()
    specs = (
        [registry[k] for k in keys]
        if keys
        else [
            s for s in registry if not s.generated and s.source in ("opendatasoft", "gtfs", "url")
        ]
    )
    report = []
    for spec in specs:
        try:
            report.append(refresh_dataset(spec))
        except RefreshNotSupported as exc:
            log.warning("refresh of %s not possible: %s", spec.key, exc)
            report.append(f"échec {spec.key} : {exc.french}")
        except READ_ERRORS as exc:
            log.warning("refresh of %s failed: %s", spec.key, exc)
            report.append(f"échec {spec.key} : {french_reason(exc)}")
    return report
