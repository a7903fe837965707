"""Data-aware cache: a notebook re-runs only when something it depends on changed.

The key covers the notebook's cells, the parameters, the timeout, every package the
notebooks can import, whole (see ``BuildSettings.shared_code``), the installed
dependency versions, and the fingerprint (sha256 + modified date) of every snapshot
the record declares.
The cache also keeps each entry's last good executed notebook.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rouen_opendata import snapshots

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rouen_opendata.prefetch import SharedRead

log = logging.getLogger(__name__)


def _digest(value: Any) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


@lru_cache(maxsize=1)
def dependency_lock() -> str:
    """Hash of every installed distribution and version (the environment's lock)."""
    versions = sorted(
        f"{dist.metadata['Name']}=={dist.version}".lower() for dist in metadata.distributions()
    )
    return _digest(versions)


def tree_digest(*folders: Path) -> str:
    """Hash of every file under the folders (or of single files), names included."""
    parts = []
    for folder in folders:
        if folder.is_file():
            parts.append((folder.name, hashlib.sha256(folder.read_bytes()).hexdigest()))
            continue
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            if path.is_file() and not {"node_modules", "__pycache__"} & set(path.parts):
                parts.append(
                    (str(path.relative_to(folder)), hashlib.sha256(path.read_bytes()).hexdigest())
                )
    return _digest(parts)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shared_code_digest(packages: tuple[Path, ...]) -> str:
    """Hash of every file of the packages the notebooks import (or of single modules).

    Whole packages, not only their ``.py`` files: a package may read its own data
    files (templates, tables) at run time. Bytecode caches are left out, they follow
    the sources.
    """
    digest = hashlib.sha256()
    for package in packages:
        files = [package] if package.is_file() else sorted(package.rglob("*"))
        for path in files:
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(package.parent)).encode())
            digest.update(b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_cells_digest(path: Path) -> str:
    """Hash of a notebook's code and markdown cells (outputs and metadata excluded: the
    record's title or description change the page, not the run — see the site key)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]
    return _digest({"cells": cells, "kernel": nb.get("metadata", {}).get("kernelspec")})


def dataset_fingerprints(
    keys: list[str], live: Mapping[str, SharedRead] | None = None
) -> dict[str, Any]:
    """Snapshot checksums and modified date of each dataset; in a live build, also what
    the build's read of it found (portal URL, metadata, export checksums, or the
    fallback's reason): a change on the portal re-runs exactly the reuses that read it."""
    prints: dict[str, Any] = {}
    for key in sorted(keys):
        try:
            prints[key] = snapshots.fingerprint(key)
        except Exception as exc:  # noqa: BLE001 - a missing snapshot is the notebook's failure
            prints[key] = f"unavailable: {exc}"
        if live is not None and key in live:
            prints[key] = {"snapshot": prints[key], "live": live[key].fingerprint()}
    return prints


def cache_key(
    notebook: Path,
    parameters: dict[str, Any],
    datasets: list[str],
    shared: str,
    source: str,
    timeout: int | None = None,
    live: Mapping[str, SharedRead] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The key and the parts it is made of (kept to explain a re-run); ``live``: the
    build's shared reads of a live build (see :func:`dataset_fingerprints`)."""
    parts = {
        "notebook": code_cells_digest(notebook),
        "parameters": parameters,
        "timeout": timeout,
        "shared_code": shared,
        "dependencies": dependency_lock(),
        "datasets": dataset_fingerprints(datasets, live),
        "source": source,
    }
    return _digest(parts), parts


class ExecutionCache:
    """Folder ``<cache>/<slug>/`` holding ``key.json`` and ``executed.ipynb``."""

    def __init__(self, root: Path):
        self.root = root

    def _dir(self, slug: str) -> Path:
        return self.root / slug

    def has_run(self, slug: str, key: str) -> bool:
        """Whether a run (success or failure) is recorded for exactly this key."""
        return self.info(slug).get("key") == key

    def executed(self, slug: str, key: str) -> Path | None:
        """The executed notebook of a successful run with this key."""
        info = self.info(slug)
        path = self._dir(slug) / "executed.ipynb"
        if info.get("key") == key and info.get("status") == "ok" and path.exists():
            return path
        return None

    def info(self, slug: str) -> dict[str, Any]:
        try:
            return json.loads((self._dir(slug) / "key.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def last_good(self, slug: str) -> tuple[Path, dict[str, Any]] | None:
        """The last successfully executed notebook, whatever its key."""
        path = self._dir(slug) / "last-good.ipynb"
        info_path = self._dir(slug) / "last-good.json"
        if path.exists() and info_path.exists():
            return path, json.loads(info_path.read_text(encoding="utf-8"))
        return None

    def store(
        self,
        slug: str,
        key: str,
        parts: dict[str, Any],
        executed: Path | None,
        status: str,
        extra: dict[str, Any],
    ) -> None:
        """Record a run; a success also becomes the entry's last good output."""
        folder = self._dir(slug)
        folder.mkdir(parents=True, exist_ok=True)
        info = {"key": key, "parts": parts, "status": status, **extra}
        if executed is not None and status == "ok":
            target = folder / "executed.ipynb"
            if executed.resolve() != target.resolve():
                shutil.copyfile(executed, folder / "executed.tmp")
                os.replace(folder / "executed.tmp", target)
            shutil.copyfile(target, folder / "last-good.tmp")
            os.replace(folder / "last-good.tmp", folder / "last-good.ipynb")
            _write_json(folder / "last-good.json", info)
        _write_json(folder / "key.json", info)


def _write_json(path: Path, value: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)
