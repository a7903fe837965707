"""Pre-compressed copies of the site's text files, for hosts that serve them as they are.

Every text file of the built site gets ``name.gz`` (gzip) and ``name.br`` (brotli) beside
it, so a static host sends compressed bytes without compressing on each request (nginx:
``gzip_static on;``, see ``deploy/nginx.conf``). The shared assets (``assets/``, which
change only with a library update) are compressed at brotli's best level once and kept
in the build cache by content; pages change with every build and get a quicker level.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import brotli

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".csv", ".geojson", ".ipynb"}
    | {".ttf", ".eot", ".ico", ".webmanifest"}
)
"""Files that compress (woff2, PNG, WebP, parquet already are)."""
MIN_BYTES = 1024
"""Smaller files gain less than an HTTP header's worth."""
SHARED_FOLDER = "assets"
"""Top folder of the site's shared, content-hashed files (best, cached compression)."""
BEST_BROTLI = 11
QUICK_BROTLI = 9
"""brotli 11 takes ~4 s for a 1.4 MB page on this project's machines, 9 takes 0.1 s for
a result about 15 % larger."""


@dataclass
class Compressed:
    """What :func:`precompress` did, for the build log."""

    files: int = 0
    original_bytes: int = 0
    gzip_bytes: int = 0
    brotli_bytes: int = 0


def precompress(site: Path, cache_dir: Path | None = None) -> Compressed:
    """Write ``.gz`` and ``.br`` beside every text file of ``site`` of at least MIN_BYTES.

    Parameters
    ----------
    site
        The built site (its staging folder during a build).
    cache_dir
        Build cache; the shared assets' compressed bytes are kept in
        ``<cache_dir>/compressed/`` under the hash of their content.
    """
    done = Compressed()
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        data = path.read_bytes()
        if len(data) < MIN_BYTES:
            continue
        shared = path.relative_to(site).parts[0] == SHARED_FOLDER
        gz, br = _compressed(data, cache_dir if shared else None, shared)
        path.with_name(path.name + ".gz").write_bytes(gz)
        path.with_name(path.name + ".br").write_bytes(br)
        done.files += 1
        done.original_bytes += len(data)
        done.gzip_bytes += len(gz)
        done.brotli_bytes += len(br)
    log.info(
        "Pre-compressed %d files: %d bytes, gzip %d, brotli %d",
        done.files,
        done.original_bytes,
        done.gzip_bytes,
        done.brotli_bytes,
    )
    return done


def _compressed(data: bytes, cache_dir: Path | None, best: bool) -> tuple[bytes, bytes]:
    folder = key = None
    if cache_dir is not None:
        key = hashlib.sha256(data).hexdigest()
        folder = cache_dir / "compressed"
        try:
            return (folder / f"{key}.gz").read_bytes(), (folder / f"{key}.br").read_bytes()
        except FileNotFoundError:
            pass
    # mtime=0: the same file gives the same bytes (no build date inside the .gz).
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    br = brotli.compress(data, quality=BEST_BROTLI if best else QUICK_BROTLI)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, content in ((".gz", gz), (".br", br)):
            tmp = folder / f"{key}{suffix}.tmp-{os.getpid()}"
            tmp.write_bytes(content)
            os.replace(tmp, folder / f"{key}{suffix}")
    return gz, br
