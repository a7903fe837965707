"""Live builds against the loopback portal: requests and seconds, in one run.

1. cold: an empty build cache, the portal serving the remarkable trees;
2. unchanged: the same build again (one metadata request, nothing re-run);
3. one dataset changed: the portal drops a tree and moves its ``modified`` date;
4. silent portal: the portal accepts connections and never answers, next to
5. snapshot: the same notebooks on the embedded data, both from an empty cache.

The notebooks are the test fixture ``tests/fixtures/live/reads_trees.ipynb`` and its
variant (two pages reading one dataset). Usage::

    python bench/bench_live.py [--read-timeout 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from portal_data import snapshot_dataset  # noqa: E402
from portal_server import serve_portal  # noqa: E402

from rouen_gallery.build import Builder  # noqa: E402
from rouen_gallery.settings import BuildSettings  # noqa: E402
from rouen_opendata import breaker, prefetch  # noqa: E402

KEY = "arbres-remarquables"
FIXTURE = ROOT / "tests" / "fixtures" / "live" / "reads_trees.ipynb"


def _settings(folder: Path, cache: str) -> BuildSettings:
    if not (folder / "notebooks").exists():
        (folder / "notebooks").mkdir(parents=True)
        shutil.copy(FIXTURE, folder / "notebooks" / FIXTURE.name)
        shutil.copytree(ROOT / "widgets", folder / "shared" / "widgets")
    return BuildSettings(
        notebooks_dir=folder / "notebooks",
        site_dir=folder / f"site-{cache}",
        cache_dir=folder / f"cache-{cache}",
        external_file=folder / "external.yaml",
        shared_code=(folder / "shared" / "widgets",),
        thumbnails="drawn",
        progress=False,
        jobs=2,
    )


def _run(label: str, settings: BuildSettings, portal) -> float:
    prefetch.forget()
    breaker.reset()
    before = portal.request_count
    start = time.monotonic()
    summary = Builder(settings).build()
    seconds = time.monotonic() - start
    ran = sum(1 for row in summary.rows if not row.cached)
    fell_back = ", ".join(f"{k} : {r}" for k, r in summary.fallbacks.items()) or "aucun repli"
    print(
        f"{label:<28} {portal.request_count - before:>3} requêtes  {seconds:7.1f} s  "
        f"{ran} notebook(s) exécuté(s)  {fell_back}",
        flush=True,
    )
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--read-timeout", type=float, default=5.0, help="OPENDATA_READ_TIMEOUT")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    os.environ.update(OPENDATA_READ_TIMEOUT=str(args.read_timeout), OPENDATA_MAX_RETRIES="2")
    os.environ.pop("OPENDATA_PREFETCH_DIR", None)
    dataset = snapshot_dataset(KEY)
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp, serve_portal(dataset) as portal:
        folder = Path(tmp)
        os.environ.update(OPENDATA_SOURCE="live", OPENDATA_PORTAL_URL=portal.url)
        live = _settings(folder, "live")
        _run("1. froid", live, portal)
        _run("2. inchangé", live, portal)
        dataset.rows = dataset.rows[1:]
        dataset.modified = "2026-11-30T08:00:00+00:00"
        _run("3. un jeu modifié", live, portal)
        portal.faults.silent = 10_000
        silent = _run("4. portail muet (cache vide)", _settings(folder, "silent"), portal)
        portal.faults.silent = 0
        os.environ["OPENDATA_SOURCE"] = "snapshot"
        snapshot = _run("5. copies (cache vide)", _settings(folder, "snapshot"), portal)
    print(
        f"\nPortail muet : {silent:.1f} s contre {snapshot:.1f} s sur les copies "
        f"(délai de lecture {args.read_timeout:g} s)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
