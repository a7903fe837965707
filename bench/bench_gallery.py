"""Gallery build benchmark, in one run on this machine:

1. the naive loop a user would write: for each entry (notebook and variant), the papermill
   CLI then the ``jupyter nbconvert --to html`` CLI, one after the other;
2. ``build_gallery.py build`` from an empty cache (workers, one per core), with drawn
   card images as the naive loop makes none;
3. ``build_gallery.py build`` again with nothing changed;
4. the same after one notebook's code was edited (its entries re-run, re-render);
5. what ``make gallery`` does on a fresh clone: cold cache with Chromium screenshots
   for the cards, then again after one notebook was edited.

The builds read a copy of ``notebooks/``. Prints the times and the ratios.
Run: ``.venv/bin/python bench/bench_gallery.py [--skip-naive] [--edit NOTEBOOK]``.
"""

from __future__ import annotations

import argparse
import json
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


def build(site: Path, cache: Path, notebooks: Path, thumbnails: str = "drawn") -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "build_gallery.py"),
            "build",
            "-q",
            "--strict",
            "--site-dir",
            str(site),
            "--notebooks",
            str(notebooks),
            "--thumbnails",
            thumbnails,
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "GALLERY_CACHE_DIR": str(cache)},
    )
    return time.perf_counter() - start


def edit_one(notebooks: Path, name: str) -> None:
    """What a contributor does: change one notebook's code."""
    path = notebooks / name
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[-1]["source"] = "".join(code[-1]["source"]) + "\n# édité"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-naive", action="store_true", help="builds only")
    parser.add_argument("--edit", default="comptages-velo.ipynb", help="notebook edited in 4.")
    args = parser.parse_args()
    entries, _ = collect_entries(BuildSettings().notebooks_dir, BuildSettings().external_file)
    entries = [e for e in entries if e.notebook is not None and not e.problem]
    edited = sum(1 for e in entries if e.notebook.name == args.edit)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        notebooks = tmp / "notebooks"
        shutil.copytree(BuildSettings().notebooks_dir, notebooks)
        t_naive = None
        if not args.skip_naive:
            (tmp / "naive").mkdir()
            t_naive = naive(entries, tmp / "naive")
            shutil.rmtree(tmp / "naive")
        t_full = build(tmp / "site", tmp / "cache", notebooks)
        t_again = build(tmp / "site", tmp / "cache", notebooks)
        edit_one(notebooks, args.edit)
        t_edit = build(tmp / "site", tmp / "cache", notebooks)
        shutil.copytree(BuildSettings().notebooks_dir, notebooks, dirs_exist_ok=True)
        t_shots = build(tmp / "site2", tmp / "cache2", notebooks, "browser")
        edit_one(notebooks, args.edit)
        t_shots_edit = build(tmp / "site2", tmp / "cache2", notebooks, "browser")
    print(f"entries: {len(entries)} (notebooks and variants), cores: {os.cpu_count()}")
    if t_naive is not None:
        rows.append(("naive papermill + nbconvert CLI loop", t_naive, ""))
    rows += [
        (
            "build, cold cache (drawn thumbnails)",
            t_full,
            f"{t_naive / t_full:.1f}× faster than naive (goal ≥ 3×)" if t_naive else "",
        ),
        ("build, nothing changed", t_again, "goal ≤ 1 s"),
        (f"build, {args.edit} edited ({edited} entries)", t_edit, ""),
        ("build, cold cache, Chromium thumbnails", t_shots, "what `make gallery` does"),
        (f"  same, {args.edit} edited", t_shots_edit, ""),
    ]
    for label, seconds, note in rows:
        print(f"{label:<48} {seconds:7.2f} s  {note}")


if __name__ == "__main__":
    main()
