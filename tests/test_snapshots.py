"""Snapshots are verified by checksum and replaced whole, atomically."""

from __future__ import annotations

import json
import shutil

import pytest

from rouen_opendata import snapshots
from rouen_opendata.exceptions import SnapshotError

PROVENANCE = {"kind": "generated", "script": "s.py", "seed": 1, "schema": "demo"}


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENDATA_DATA_DIR", str(tmp_path))
    return tmp_path


def test_write_then_replace_reports_rows_and_modified(data_dir):
    first = snapshots.write_snapshot(
        "demo",
        {"data.csv": b"\xef\xbb\xbfa\n1\n"},
        metas={"modified": "2024-01-01"},
        provenance=PROVENANCE,
        rows={"data.csv": 1},
    )
    assert first.rows_before is None and first.rows_after == 1
    second = snapshots.write_snapshot(
        "demo",
        {"data.csv": b"\xef\xbb\xbfa\n1\n2\n"},
        metas={"modified": "2024-02-01"},
        provenance=PROVENANCE,
        rows={"data.csv": 2},
    )
    assert second.describe() == (
        "demo: rows 1 → 2 modified 2024-01-01 → 2024-02-01 files changed: data.csv"
    )
    same = snapshots.write_snapshot(
        "demo",
        {"data.csv": b"\xef\xbb\xbfa\n1\n2\n"},
        metas={"modified": "2024-02-01"},
        provenance=PROVENANCE,
        rows={"data.csv": 2},
    )
    assert not same.changed
    assert [p.name for p in data_dir.joinpath("snapshots").iterdir()] == ["demo"]


def test_edited_snapshot_file_is_refused(data_dir):
    snapshots.write_snapshot("demo", {"data.csv": b"a\n1\n"}, metas={}, provenance=PROVENANCE)
    (data_dir / "snapshots" / "demo" / "data.csv").write_bytes(b"a\n999\n")
    with pytest.raises(SnapshotError, match="does not match its recorded sha256"):
        snapshots.snapshot_file("demo", "data.csv")


def test_failed_write_leaves_previous_snapshot_whole(data_dir, tmp_path):
    snapshots.write_snapshot(
        "demo", {"data.csv": b"a\n1\n"}, metas={"modified": "1"}, provenance=PROVENANCE
    )
    with pytest.raises(FileNotFoundError):
        snapshots.write_snapshot(
            "demo",
            {"data.csv": b"a\n2\n", "x.csv": tmp_path / "does-not-exist"},
            metas={"modified": "2"},
            provenance=PROVENANCE,
        )
    meta = json.loads((data_dir / "snapshots" / "demo" / "meta.json").read_text())
    assert meta["metas"]["modified"] == "1"
    assert (data_dir / "snapshots" / "demo" / "data.csv").read_bytes() == b"a\n1\n"
    leftovers = [p.name for p in (data_dir / "snapshots").iterdir() if p.name != "demo"]
    assert leftovers == []


def test_missing_snapshot_says_how_to_make_one(data_dir):
    with pytest.raises(SnapshotError, match="refresh"):
        snapshots.read_meta("absent")


def test_real_gtfs_snapshot_keeps_bom_and_crlf_as_published():
    raw = snapshots.snapshot_file("astuce-gtfs", "routes.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw


def test_fingerprint_changes_with_content(data_dir):
    snapshots.write_snapshot("demo", {"data.csv": b"a\n1\n"}, metas={}, provenance=PROVENANCE)
    before = snapshots.fingerprint("demo")
    shutil.rmtree(data_dir / "snapshots" / "demo")
    snapshots.write_snapshot("demo", {"data.csv": b"a\n2\n"}, metas={}, provenance=PROVENANCE)
    assert snapshots.fingerprint("demo") != before


def test_build_key_follows_the_checksum_when_modified_is_fixed(data_dir):
    """The sample generator writes a fixed ``modified``: the files' sha256 must count."""
    from rouen_gallery.cache import dataset_fingerprints

    metas = {"modified": "2024-01-01"}
    snapshots.write_snapshot("demo", {"data.csv": b"a\n1\n"}, metas=metas, provenance=PROVENANCE)
    before = dataset_fingerprints(["demo"])
    snapshots.write_snapshot("demo", {"data.csv": b"a\n2\n"}, metas=metas, provenance=PROVENANCE)
    after = dataset_fingerprints(["demo"])
    assert after["demo"]["modified"] == before["demo"]["modified"] == "2024-01-01"
    assert after != before
