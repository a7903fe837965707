"""The remarkable-trees snapshot is the committed copy rewritten by its script, byte for byte,
in the portal's CSV export format, and reads into the columns the notebook uses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from rouen_opendata import load_dataset, snapshots

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "convert_trees_export.py"
SOURCE = ROOT / "data" / "sources" / "arbres-remarquables" / "rouen-foret-arbres-remarquables.json"
KEY = "arbres-remarquables"


def test_the_script_rewrites_the_committed_snapshot_exactly(tmp_path):
    (tmp_path / "snapshots").mkdir()
    shutil.copy(ROOT / "data" / "registry.yaml", tmp_path / "registry.yaml")
    subprocess.run(
        [sys.executable, str(SCRIPT), "--data-dir", str(tmp_path)], check=True, capture_output=True
    )
    made, committed = tmp_path / "snapshots" / KEY, snapshots.snapshot_path(KEY)
    assert sorted(p.name for p in made.iterdir()) == sorted(p.name for p in committed.iterdir())
    for path in made.iterdir():
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name


def test_the_export_is_in_the_portal_format_with_the_copy_values():
    meta = snapshots.read_meta(KEY)
    (name,) = meta["files"]
    raw = (snapshots.snapshot_path(KEY) / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b";" in raw.split(b"\r\n")[0]
    entries = json.loads(SOURCE.read_text(encoding="utf-8"))["entries"]
    trees, provenance = load_dataset(KEY)
    assert len(trees) == len(entries) == meta["metas"]["records_count"] == provenance.rows
    by_id = {e["id"]: e for e in entries}
    for row in trees.to_dict("records"):
        original = by_id[row["id"]]
        assert row["height"] == original["height"]
        assert row["species_fr"] == original["species_fr"]
        assert (row["lat"], row["lon"]) == (original["latitude"], original["longitude"])
    assert not provenance.generated and "convert_trees_export.py" in provenance.origin
