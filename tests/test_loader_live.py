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


def _gtfs_feed(data_dir) -> bytes:
    feed = io.BytesIO()
    with zipfile.ZipFile(feed, "w") as archive:
        for path in (data_dir / "snapshots/astuce-gtfs").glob("*.txt"):
            archive.writestr(path.name, path.read_bytes())
    return feed.getvalue()


DEMO_FIELDS = [{"name": "nom", "type": "text"}, {"name": "valeur", "type": "int"}]


def test_refresh_replaces_snapshots_and_reports_changes_in_french(data_dir, portal):
    portal.add(
        FakeDataset("demo", DEMO_FIELDS, [{"nom": "a", "valeur": 5}, {"nom": "b", "valeur": 2}])
    )
    portal.files["/gtfs.zip"] = _gtfs_feed(data_dir)
    report = refresh()
    # The feed holds the snapshot's own files: same content, nothing to replace.
    assert report[0] == "astuce-gtfs : inchangé (modifié le 01/02/2024)"
    assert report[1] == (
        "demo : 1 ligne ajoutée, 0 ligne retirée, 1 ligne modifiée, "
        "modifié le 01/06/2024 (avant : 01/01/2024)"
    )
    frame, _ = load_dataset("demo")
    assert frame["valeur"].tolist() == [5, 2]
    raw = (data_dir / "snapshots/demo/demo.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")


def test_refresh_sets_line_endings_aside(data_dir, portal):
    """The portal exports CRLF; a snapshot written with LF and the same rows is unchanged."""
    portal.add(FakeDataset("demo", DEMO_FIELDS, [{"nom": "a", "valeur": 1}]))
    snapshots.write_snapshot(
        "demo",
        {"demo.csv": "\ufeffnom;valeur\na;1\n".encode()},
        metas={"modified": "2024-06-01T00:00:00+00:00"},
        provenance={"kind": "real", "source": "x", "retrieved": "2024-01-01"},
        rows={"demo.csv": 1},
    )
    before = (data_dir / "snapshots/demo/meta.json").read_text(encoding="utf-8")
    assert refresh(["demo"]) == ["demo : inchangé (modifié le 01/06/2024)"]
    assert (data_dir / "snapshots/demo/meta.json").read_text(encoding="utf-8") == before


def test_refresh_keeps_the_snapshot_when_the_download_is_invalid(data_dir, portal):
    portal.add(FakeDataset("demo", [{"name": "nom", "type": "text"}], [{"nom": "a"}]))
    before = (data_dir / "snapshots/demo/meta.json").read_text(encoding="utf-8")
    report = refresh(["demo"])
    assert report == ["échec demo : les données du portail n'ont pas les champs attendus"]
    assert (data_dir / "snapshots/demo/meta.json").read_text(encoding="utf-8") == before
    assert json.loads(before)["metas"]["modified"] == "2024-01-01"


def test_refresh_refuses_generated_datasets():
    report = refresh(["eco-counter-sites"])
    assert report == [
        "échec eco-counter-sites : jeu d'exemple généré : il se refait avec "
        "scripts/generate_samples.py"
    ]


def test_other_portals_have_their_own_override(monkeypatch):
    spec = loader.get_dataset("energie-communes")
    assert spec.portal_base == spec.portal.rstrip("/")
    monkeypatch.setenv("OPENDATA_PORTAL_URL", "http://127.0.0.1:9")
    assert spec.portal_base == spec.portal.rstrip("/")  # the Métropole's override only
    monkeypatch.setenv("OPENDATA_PORTAL_URL_ENERGIE_COMMUNES", "http://127.0.0.1:8/")
    assert spec.portal_base == "http://127.0.0.1:8"
