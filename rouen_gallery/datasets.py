"""What the gallery shows about each dataset: card fields, downloads, changes since last build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from rouen_opendata import get_dataset, snapshots
from rouen_opendata.formatting import format_date, format_number


def format_size(size: int) -> str:
    for unit in ("octets", "Ko", "Mo", "Go"):
        if size < 1024 or unit == "Go":
            return (
                f"{size:.0f} {unit}" if unit == "octets" else f"{size:.1f} {unit}".replace(".", ",")
            )
        size /= 1024
    return str(size)


@dataclass
class DatasetInfo:
    key: str
    title: str
    dataset_id: str | None
    page_url: str
    publisher: str
    licence: str
    licence_url: str
    generated: bool
    data_date: str
    data_date_iso: str | None
    rows: int | None
    files: list[dict[str, str]] = field(default_factory=list)
    export_csv: str | None = None
    change: str | None = None
    state: dict[str, Any] = field(default_factory=dict)

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
        }


def dataset_info(key: str) -> DatasetInfo:
    """Registry record + snapshot meta of one dataset, ready for templates."""
    spec = get_dataset(key)
    meta = snapshots.read_meta(key)
    modified = meta.get("metas", {}).get("modified") or meta.get("fetched_at")
    rows = [info.get("rows") for info in meta.get("files", {}).values()]
    files = [
        {"name": name, "href": f"../donnees/{key}/{name}", "size": format_size(info["bytes"])}
        for name, info in sorted(meta.get("files", {}).items())
    ]
    export_csv = None
    if spec.source == "opendatasoft" and not spec.generated:
        export_csv = (
            f"{spec.portal_base}/api/explore/v2.1/catalog/datasets/{spec.dataset_id}"
            f"/exports/csv?{urlencode({'delimiter': ';'})}"
        )
    return DatasetInfo(
        key=key,
        title=spec.title,
        dataset_id=spec.dataset_id,
        page_url=spec.portal_page,
        publisher=spec.publisher,
        licence=spec.licence,
        licence_url=spec.licence_url,
        generated=spec.generated,
        data_date=format_date(modified, "short", missing=""),
        data_date_iso=(modified or None) and str(modified)[:10],
        rows=sum(r for r in rows if r is not None) if any(r is not None for r in rows) else None,
        files=files,
        export_csv=export_csv,
        state={
            "rows": rows,
            "modified": meta.get("metas", {}).get("modified"),
            "fingerprint": snapshots.fingerprint(key),
        },
    )


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
    return ", ".join(parts) or "contenu modifié"


def copy_dataset_files(key: str, site: Path) -> None:
    """Put the snapshot files a page offers for download into ``site/donnees/<key>/``."""
    import shutil

    target = site / "donnees" / key
    target.mkdir(parents=True, exist_ok=True)
    for name in snapshots.read_meta(key).get("files", {}):
        dest = target / name
        if not dest.exists():
            shutil.copy2(snapshots.snapshot_path(key) / name, dest)
