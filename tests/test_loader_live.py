"""The same loader reads the live portal, falls back to the snapshot with a reason,
and the refresh command replaces snapshots only with valid downloads."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from portal_data import FakeDataset

from rouen_opendata import breaker, load_dataset, loader, prefetch, snapshots
from rouen_opendata.refresh import refresh

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh_live_cache(monkeypatch):
    monkeypatch.delenv("OPENDATA_PREFETCH_DIR", raising=False)
    for forget in (loader._live_frame.cache_clear, prefetch.forget, breaker.reset):
        forget()
    yield
    for forget in (loader._live_frame.cache_clear, prefetch.forget, breaker.reset):
        forget()


def _as_portal_records(key: str) -> FakeDataset:
    """The snapshot of an Opendatasoft dataset, served as the portal would."""
    meta = snapshots.read_meta(key)
    frame, _ = load_dataset(key, source="snapshot")
    spec = loader.get_dataset(key)
    rows = []
    for record in frame.to_dict("records"):
        row = {k: v for k, v in record.items() if k not in ("lat", "lon")}
        row = {k: (v.date().isoformat() if hasattr(v, "date") else v) for k, v in row.items()}
        row["geo_point_2d"] = {"lat": record["lat"], "lon": record["lon"]}
        rows.append(row)
    fields = meta["fields"] or [{"name": n, "type": t} for n, t in spec.table().fields.items()]
    return FakeDataset(spec.dataset_id, fields, rows, title=spec.title)


def test_live_read_goes_through_the_same_reader(portal, monkeypatch):
    portal.add(_as_portal_records("eco-counter-sites"))
    monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
    monkeypatch.setenv("OPENDATA_SOURCE", "live")
    live, provenance = load_dataset("eco-counter-sites")
    snapshot, _ = load_dataset("eco-counter-sites", source="snapshot")
    assert provenance.source == "live" and provenance.fallback_reason is None
    assert not provenance.generated and not provenance.labels  # real data from the portal
    assert provenance.data_date == "2024-06-01T00:00:00+00:00"
    assert sorted(live["name"]) == sorted(snapshot["name"])
    assert live["lat"].round(6).tolist() == snapshot["lat"].round(6).tolist()
    exports = [r for r in portal.requests if "/exports/" in r.path]
    assert len(exports) == 1


def test_failed_live_read_falls_back_to_snapshot_and_says_why(portal, monkeypatch):
    monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)  # the dataset is not on this portal
    frame, provenance = load_dataset("eco-counter-sites", source="live")
    assert provenance.source == "snapshot"
    assert provenance.fallback_reason == (
        "le jeu de données est introuvable sur le portail (erreur 404)"
    )
    fetched = snapshots.read_meta("eco-counter-sites")["fetched_at"][:10]
    day = "/".join(reversed(fetched.split("-")))
    assert f"Données hors ligne du {day}" in provenance.labels
    assert len(frame) == provenance.rows > 0


def test_unknown_source_is_refused(monkeypatch):
    monkeypatch.setenv("OPENDATA_SOURCE", "cloud")
    with pytest.raises(ValueError, match="OPENDATA_SOURCE='cloud'"):
        load_dataset("eco-counter-sites")


@pytest.fixture
def data_dir(tmp_path, monkeypatch, portal):
    """A data folder whose registry has a real portal dataset and a GTFS feed on loopback."""
    (tmp_path / "snapshots").mkdir()
    shutil.copytree(ROOT / "data/snapshots/astuce-gtfs", tmp_path / "snapshots/astuce-gtfs")
    registry = (ROOT / "data/registry.yaml").read_text(encoding="utf-8")
    gtfs = registry[registry.index("  astuce-gtfs:") : registry.index("  arbres-remarquables:")]
    gtfs = gtfs.replace("url: https://api.mrn.cityway.fr", f"url: {portal.url}/gtfs.zip#")
    demo = f"""  demo:
    source: opendatasoft
    portal: {portal.url}
    dataset_id: demo
    title: Démo
    publisher: Test
    licence: Licence Ouverte v2.0
    licence_url: https://www.etalab.gouv.fr/licence-ouverte-open-licence/
    themes: [Test]
    provenance: {{kind: real, source: loopback, retrieved: 2024-01-01}}
    tables:
      data: {{file: demo.csv, fields: {{nom: text, valeur: int}}}}
"""
    (tmp_path / "registry.yaml").write_text("datasets:\n" + gtfs + demo, encoding="utf-8")
    monkeypatch.setenv("OPENDATA_DATA_DIR", str(tmp_path))
    snapshots.write_snapshot(
        "demo",
        {"demo.csv": "\ufeffnom;valeur\na;1\n".encode()},
        metas={"modified": "2024-01-01"},
        provenance={"kind": "real", "source": "x", "retrieved": "2024-01-01"},
        rows={"demo.csv": 1},
    )
    return tmp_path


def test_refresh_replaces_snapshots_and_reports_changes(data_dir, portal):
    fields = [{"name": "nom", "type": "text"}, {"name": "valeur", "type": "int"}]
    portal.add(FakeDataset("demo", fields, [{"nom": "a", "valeur": 1}, {"nom": "b", "valeur": 2}]))
    feed = io.BytesIO()
    with zipfile.ZipFile(feed, "w") as archive:
        for path in (data_dir / "snapshots/astuce-gtfs").glob("*.txt"):
            archive.writestr(path.name, path.read_bytes())
    portal.files["/gtfs.zip"] = feed.getvalue()
    report = refresh()
    assert report[0] == "astuce-gtfs: modified 2024-02-01 → " + report[0].split("→ ")[1]
    assert report[1].startswith("demo: rows 1 → 2 modified 2024-01-01 → 2024-06-01")
    frame, _ = load_dataset("demo")
    assert frame["valeur"].tolist() == [1, 2]
    raw = (data_dir / "snapshots/demo/demo.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")


def test_refresh_keeps_the_snapshot_when_the_download_is_invalid(data_dir, portal):
    portal.add(FakeDataset("demo", [{"name": "nom", "type": "text"}], [{"nom": "a"}]))
    before = (data_dir / "snapshots/demo/meta.json").read_text(encoding="utf-8")
    report = refresh(["demo"])
    assert report[0].startswith("échec demo : Dataset 'demo': field 'valeur' is declared")
    assert (data_dir / "snapshots/demo/meta.json").read_text(encoding="utf-8") == before
    assert json.loads(before)["metas"]["modified"] == "2024-01-01"


def test_refresh_refuses_generated_datasets():
    report = refresh(["eco-counter-sites"])
    assert report == [
        "échec eco-counter-sites : 'eco-counter-sites' is generated: "
        "run scripts/generate_samples.py instead."
    ]
