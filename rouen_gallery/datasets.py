"""What the gallery shows about each dataset, derived from the read's own provenance.

:class:`DatasetInfo` wraps the :class:`~rouen_opendata.DataProvenance` of the build's read
(the record the notebooks' banners show) with what only the site needs: the files
offered for download — the exact bytes the pages used — and the change since the last
build. It holds no second description of the dataset.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from rouen_opendata import get_dataset, snapshots
from rouen_opendata.formatting import format_date, format_number
from rouen_opendata.loader import DataProvenance, live_provenance, snapshot_provenance

if TYPE_CHECKING:
    from rouen_opendata.prefetch import SharedRead

log = logging.getLogger(__name__)


def format_size(size: int) -> str:
    for unit in ("octets", "Ko", "Mo", "Go"):
        if size < 1024 or unit == "Go":
            return f"{format_number(size, 0 if unit == 'octets' else 1)} {unit}"
        size /= 1024
    return str(size)


def format_moment_fr(iso: str | None) -> str:
    """``2026-12-02T18:40:00+00:00`` → ``02/12/2026 à 18:40 (UTC)``; empty when unknown."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    return moment.strftime("%d/%m/%Y à %H:%M") + (" (UTC)" if moment.utcoffset() else "")


@dataclass
class DatasetInfo:
    """One dataset as a page shows it: the read's provenance plus its downloads."""

    provenance: DataProvenance
    files: list[dict[str, Any]] = field(default_factory=list)
    """``name``, ``href``, ``size`` and ``path`` (the bytes the pages used)."""
    export_csv: str | None = None
    change: str | None = None
    state: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        # key, title, dataset_id, page_url, publisher, licence… are the provenance's.
        if name == "provenance":
            raise AttributeError(name)
        return getattr(self.provenance, name)

    @property
    def read(self) -> str:
        """``live`` or ``snapshot``: what the pages actually read."""
        return self.provenance.source

    @property
    def fallback(self) -> str | None:
        """French reason a requested live read used the snapshot, or None."""
        return self.provenance.fallback_reason

    @property
    def read_at_fr(self) -> str:
        return format_moment_fr(self.provenance.read_at)

    @property
    def offline_since_fr(self) -> str:
        return format_date(self.provenance.offline_since, "short", missing="")

    @property
    def data_date(self) -> str:
        when = self.provenance.data_date or self.provenance.fetched_at
        return format_date(when, "short", missing="")

    @property
    def data_date_iso(self) -> str | None:
        value = self.provenance.data_date or self.provenance.fetched_at
        return str(value)[:10] if value else None

    @property
    def rows_fr(self) -> str:
        return format_number(self.rows) if self.rows is not None else "?"

    def catalog_record(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.dataset_id,
            "title": self.title,
            "uri": self.page_url,
            "licence": self.licence,
            "generated": self.generated,
            "data_date": self.data_date_iso,
            "rows": self.rows,
            "read": self.read,
            "fallback": self.fallback,
            "read_at": self.provenance.read_at,
        }


def dataset_info(key: str, source: str, shared: SharedRead | None = None) -> DatasetInfo:
    """The build's read of one dataset, ready for templates.

    Parameters
    ----------
    key
        Registry key.
    source
        ``snapshot`` or ``live``: the build's data source.
    shared
        The build's shared read of the dataset (live builds).
    """
    spec = get_dataset(key)
    live = source == "live" and shared is not None and shared.read == "live"
    if live:
        assert shared is not None
        provenance = live_provenance(spec, shared, sum(i["rows"] for i in shared.files.values()))
        file_infos = shared.files
        folder = Path(shared.folder) / "files"
    else:
        provenance = snapshot_provenance(spec, shared.reason if shared else None)
        file_infos = snapshots.read_meta(key).get("files", {})
        folder = snapshots.snapshot_path(key)
    files = [
        {
            "name": name,
            "href": f"../donnees/{key}/{name}",
            "size": format_size(info["bytes"]),
            "path": folder / name,
        }
        for name, info in sorted(file_infos.items())
    ]
    export_csv = None
    if spec.source == "opendatasoft" and (live or not spec.generated):
        export_csv = (
            f"{spec.portal_base}/api/explore/v2.1/catalog/datasets/{spec.dataset_id}"
            f"/exports/csv?{urlencode({'delimiter': ';'})}"
        )
    state = {
        "rows": [info.get("rows") for _, info in sorted(file_infos.items())],
        "modified": provenance.data_date,
        # Same shape as snapshots.fingerprint: a snapshot build compares as before.
        "fingerprint": {
            "files": {n: i.get("sha256") for n, i in sorted(file_infos.items())},
            "modified": provenance.data_date,
        },
        "read": provenance.source,
    }
    return DatasetInfo(provenance, files, export_csv, state=state)


def describe_change(before: dict[str, Any] | None, after: dict[str, Any]) -> str | None:
    """French description of what changed in a dataset since the previous build."""
    if before is None or before.get("fingerprint") == after.get("fingerprint"):
        return None
    parts = []
    old_rows = sum(r or 0 for r in before.get("rows", []))
    new_rows = sum(r or 0 for r in after.get("rows", []))
    if new_rows > old_rows:
        parts.append(f"{format_number(new_rows - old_rows)} ligne(s) ajoutée(s)")
    elif new_rows < old_rows:
        parts.append(f"{format_number(old_rows - new_rows)} ligne(s) retirée(s)")
    if before.get("modified") != after.get("modified"):
        parts.append(
            f"modifié le {format_date(after.get('modified'), 'short', missing='date inconnue')} "
            f"(avant : {format_date(before.get('modified'), 'short', missing='date inconnue')})"
        )
    if before.get("read") and before.get("read") != after.get("read"):
        parts.append(
            "lu en direct sur le portail" if after.get("read") == "live" else "copie hors ligne"
        )
    return ", ".join(parts) or "contenu modifié"


def copy_dataset_files(info: DatasetInfo, site: Path) -> None:
    """Put the files the pages read into ``site/donnees/<key>/`` for download."""
    target = site / "donnees" / info.key
    target.mkdir(parents=True, exist_ok=True)
    for item in info.files:
        shutil.copy2(item["path"], target / item["name"])
