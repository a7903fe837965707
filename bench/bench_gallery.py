"""Gallery build benchmark, in one run on this machine:

1. the naive loop a user would write: for each entry (notebook and variant), the papermill
   CLI then the ``jupyter nbconvert --to html`` CLI, one after the other;
2. ``build_gallery.py build`` from an empty cache (parallel workers, one per core);
3. ``build_gallery.py build`` again with nothing changed.

Prints the times and the ratios. Run: ``.venv/bin/python bench/bench_gallery.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rouen_gallery.entries import collect_entries  # noqa: E402
from rouen_gallery.settings import BuildSettings  # noqa: E402

BIN = Path(sys.executable).parent


def naive(entries, out: Path) -> float:
    start = time.perf_counter()
    for entry in entries:
        executed = out / f"{entry.slug}.ipynb"
        params = [arg for k, v in entry.parameters.items() for arg in ("-p", k, str(v))]
        subprocess.run(
            [
                BIN / "papermill",
                str(entry.notebook),
                str(executed),
                *params,
                "--cwd",
                str(entry.notebook.parent),
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [BIN / "jupyter", "nbconvert", "--to", "html", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def build(site: Path, cache: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "build_gallery.py"),
            "build",
            "-q",
            "--site-dir",
            str(site),
            "--thumbnails",
            "drawn",
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "GALLERY_CACHE_DIR": str(cache)},
    )
    return time.perf_counter() - start


def main() -> None:
    entries, _ = collect_entries(BuildSettings().notebooks_dir, BuildSettings().external_file)
    entries = [e for e in entries if e.notebook is not None and not e.problem]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "naive").mkdir()
        t_naive = naive(entries, tmp / "naive")
        shutil.rmtree(tmp / "naive")
        t_full = build(tmp / "site", tmp / "cache")
        t_again = build(tmp / "site", tmp / "cache")
    print(f"entries: {len(entries)} (notebooks and variants), cores: {os.cpu_count()}")
    print(f"naive papermill + nbconvert CLI loop : {t_naive:7.1f} s")
    print(
        f"build_gallery.py build (cold cache)  : {t_full:7.1f} s  → {t_naive / t_full:.1f}× faster"
    )
    print(
        f"build_gallery.py build (no change)   : {t_again:7.2f} s  → "
        f"{t_full / t_again:.0f}× faster than a full build (goal ≤ 1 s)"
    )


if __name__ == "__main__":
    main()
