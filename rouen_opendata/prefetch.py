"""Live reads shared by a whole gallery build: one metadata request and at most one
export per dataset, verified, then read by every notebook from the same files.

:func:`prefetch` runs in the build's main process. For each dataset it asks the portal
for its metadata (``modified``, ``data_processed``, ``records_count``); when they match
the previous build's, the export downloaded then is reused, otherwise the export is
downloaded again and checked (row count against ``records_count``, schema, sha256).
The outcome — a live read or a fallback with its French reason — is a
:class:`SharedRead` written to ``<folder>/<key>/manifest.json``; notebook kernels find
it through ``OPENDATA_PREFETCH_DIR`` (:func:`shared_read`), so the banner, the page,
the downloads and catalog.json all describe the same read.
"""

from __future__ import annotations

import atexit
import json
import logging
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from . import breaker, gbfs, settings, snapshots
from .exceptions import LiveDataMismatchError, OpenDataError, SnapshotError
from .reasons import french_reason
from .registry import DatasetSpec, get_dataset

if TYPE_CHECKING:
    from .client import PortalClient

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FILES = "files"
METAS = ("modified", "data_processed", "records_count")
"""Portal metadata that says whether a dataset changed (and is part of the cache key)."""
READ_ERRORS = (OpenDataError, requests.RequestException, zipfile.BadZipFile, OSError)


@dataclass
class SharedRead:
    """The outcome of one live read of a dataset, as every reader of the build sees it."""

    key: str
    read: str
    """``live`` (the portal's files) or ``snapshot`` (a fallback)."""
    portal: str
    reason: str | None = None
    """French reason of a fallback; None for a live read."""
    metas: dict[str, Any] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    """File name → ``sha256``, ``bytes``, ``rows`` of the live files."""
    read_at: str | None = None
    origin: str = ""
    """The export or download URL the files came from (no key in it)."""
    folder: str = ""

    def fingerprint(self) -> dict[str, Any]:
        """What the execution cache keys on for this dataset."""
        if self.read == "live":
            return {
                "read": "live",
                "portal": self.portal,
                "metas": self.metas,
                "files": {n: i["sha256"] for n, i in sorted(self.files.items())},
            }
        return {"read": "snapshot", "portal": self.portal, "fallback": self.reason}

    def path(self, name: str) -> Path:
        """A live file, checked against the sha256 recorded when it was downloaded."""
        path = Path(self.folder) / FILES / name
        if not path.exists() or snapshots.sha256_file(path) != self.files[name]["sha256"]:
            raise SnapshotError(f"Shared live file {path} is missing or was modified.")
        return path


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def live_client(spec: DatasetSpec) -> PortalClient:
    """A portal client with the live read's bounded timeouts and retry budget."""
    from .client import PortalClient

    return PortalClient(
        base_url=(
            breaker.portal_of(spec.url)
            if spec.source != "opendatasoft" and spec.url
            else spec.portal_base
        ),
        timeout=settings.timeouts(),
        max_retries=settings.max_retries(),
        max_wait=settings.max_wait(),
        read_retries=0,
    )


def source_url(spec: DatasetSpec) -> str:
    return spec.portal_base if spec.source == "opendatasoft" else spec.url or ""


def checked_read(
    spec: DatasetSpec, folder: Path, origin: str, metas: dict[str, Any], read_at: str
) -> SharedRead:
    """Read every downloaded file through the registry schema and record its checksum."""
    from .frames import read_table
    from .loader import typed_table

    files: dict[str, dict[str, Any]] = {}
    for table in spec.tables.values():
        path = folder / FILES / table.file
        frame = typed_table(
            read_table(path, table.format, records_path=table.records_path), spec, table
        )
        files[table.file] = {
            "sha256": snapshots.sha256_file(path),
            "bytes": path.stat().st_size,
            "rows": len(frame),
        }
    expected = metas.get("records_count")
    rows = sum(info["rows"] for info in files.values())
    if len(spec.tables) == 1 and isinstance(expected, int) and rows != expected:
        raise LiveDataMismatchError(
            f"'{spec.key}': the export has {rows} rows, the portal's metadata announces "
            f"{expected}.",
            rows=rows,
            expected=expected,
        )
    return SharedRead(
        spec.key, "live", source_url(spec), None, metas, files, read_at, origin, str(folder)
    )


def download_files(spec: DatasetSpec, client: PortalClient, folder: Path) -> str:
    """Fetch the dataset's files into ``folder/files``; returns where they came from."""
    target = folder / FILES
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if spec.source == "opendatasoft":
        table = spec.table()
        fmt = {"parquet": "parquet", "opendatasoft-json": "json"}.get(table.format, "csv")
        client.export(spec.portal_id, fmt, target / table.file)
        return client.export_url(spec.portal_id, fmt)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        downloaded = client.download(spec.download_url, Path(tmp) / "download")
        if spec.source == "gtfs":
            with zipfile.ZipFile(downloaded) as archive:
                names = {Path(n).name: n for n in archive.namelist()}
                for table in spec.tables.values():
                    if table.file not in names:
                        raise SnapshotError(f"The GTFS feed of '{spec.key}' has no {table.file}.")
                    (target / table.file).write_bytes(archive.read(names[table.file]))
        else:
            shutil.move(str(downloaded), target / spec.table().file)
    return spec.url or ""


def fetch(spec: DatasetSpec, folder: Path, previous: SharedRead | None = None) -> SharedRead:
    """One live read of ``spec`` into ``folder``; raises the read's error."""
    folder.mkdir(parents=True, exist_ok=True)
    with live_client(spec) as client:
        try:
            return _fetch(spec, folder, previous, client)
        finally:
            _sent[0] += client.request_count


def _fetch(
    spec: DatasetSpec, folder: Path, previous: SharedRead | None, client: PortalClient
) -> SharedRead:
    metas: dict[str, Any] = {}
    if spec.source == "opendatasoft":
        default = client.dataset(spec.portal_id).get("metas", {}).get("default", {})
        metas = {name: default.get(name) for name in METAS}
        if (
            previous is not None
            and previous.read == "live"
            and previous.portal == spec.portal_base
            and previous.metas == metas
        ):
            try:
                for name in previous.files:
                    previous.path(name)
            except SnapshotError:
                log.info("%s: previous live files unusable, downloading again", spec.key)
            else:
                log.info("%s: unchanged on the portal, reusing the last export", spec.key)
                return SharedRead(**{**asdict(previous), "read_at": _now()})
    if spec.source == "gbfs":
        origin, metas = gbfs.download_feeds(spec, client, folder / FILES)
        return checked_read(spec, folder, origin, metas, _now())
    origin = download_files(spec, client, folder)
    log.info("%s: %d request(s) to %s", spec.key, client.request_count, client.base_url)
    return checked_read(spec, folder, origin, metas, _now())


def fallback(spec: DatasetSpec, reason: str | None) -> SharedRead:
    return SharedRead(spec.key, "snapshot", source_url(spec), reason)


def read_or_fall_back(spec: DatasetSpec, folder: Path, previous: SharedRead | None) -> SharedRead:
    """A live read, or a fallback with its French reason (opening the portal's breaker)."""
    if spec.source == "compiled":
        # A reference table compiled from several files has no live source to read.
        return fallback(spec, None)
    url = source_url(spec)
    reason = breaker.open_reason(url)
    if reason is not None:
        log.info("%s: portal already failed in this build, using the snapshot", spec.key)
        return fallback(spec, reason)
    try:
        return fetch(spec, folder, previous)
    except READ_ERRORS as exc:
        log.warning("live read of %s failed, using the snapshot: %s", spec.key, exc)
        reason = french_reason(exc, timeout=settings.timeouts()[1])
        if breaker.trips(exc):
            breaker.trip(url, reason)
        return fallback(spec, reason)


def load_manifest(folder: Path) -> SharedRead | None:
    try:
        return SharedRead(**json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError, TypeError):
        return None


def _write_manifest(shared: SharedRead, folder: Path) -> None:
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(asdict(shared), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(folder / MANIFEST)


def prefetch(keys: list[str], folder: Path) -> dict[str, SharedRead]:
    """Read every dataset of a build once, live, into ``folder`` (kept between builds).

    Breakers start closed for each build; the ones opened here are published for the
    workers (``breakers.json``). Returns each dataset's :class:`SharedRead`.
    """
    breaker.reset()
    reads = {}
    for key in sorted(set(keys)):
        spec = get_dataset(key)
        target = folder / key
        target.mkdir(parents=True, exist_ok=True)
        reads[key] = read_or_fall_back(spec, target, load_manifest(target))
        _write_manifest(reads[key], target)
    breaker.write_shared(folder)
    return reads


def shared_read(key: str) -> SharedRead | None:
    """This build's read of ``key`` when the build prefetched it (``OPENDATA_PREFETCH_DIR``)."""
    folder = settings.prefetch_dir()
    return load_manifest(folder / key) if folder else None


_process_reads: dict[str, SharedRead] = {}
_sent = [0]


def requests_sent() -> int:
    """HTTP requests the live reads of this process have sent (retries included)."""
    return _sent[0]


def read_now(spec: DatasetSpec) -> SharedRead:
    """A live read outside a build (a notebook, Voilà), once per dataset and process."""
    cached = _process_reads.get(spec.key)
    # A GBFS read is made again once the ttl its feeds announced has run out.
    if cached is not None and cached.read == "live" and gbfs.expired(cached.metas, cached.read_at):
        _process_reads[spec.key] = read_or_fall_back(spec, Path(cached.folder), None)
    elif cached is None:
        folder = Path(tempfile.mkdtemp(prefix=f"opendata-live-{spec.key}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _process_reads[spec.key] = read_or_fall_back(spec, folder, None)
    return _process_reads[spec.key]


def forget() -> None:
    """Drop this process's live reads (tests, or to read the portal again)."""
    _process_reads.clear()


def read(key: str) -> SharedRead:
    """The build's shared read of ``key``, else a read made now by this process."""
    return shared_read(key) or read_now(get_dataset(key))
