"""The real datasets load from their snapshots as their raw files say.

Expected counts are computed here from the raw files (json, csv), not taken from the
data layer; the data layer must agree with them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from portal_data import FakeDataset

from analyses.communes import spellings
from analyses.geo import assign_communes
from rouen_opendata import load_dataset, prefetch, snapshots

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "data"
LIVE_ROWS = 200
"""Drop-off points served by the loopback portal (a slice keeps the test quick)."""
TOTAL_AREA_KM2 = 663.8
"""superficie_km2 of datas.fun summed over the 71 communes (shared/data/SOURCES.md): the
areas of the simplified outlines must agree with it to within 1 %."""


def raw_json(key: str, file: str):
    return json.loads(snapshots.snapshot_file(key, file).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return load_dataset("communes-metropole", source="snapshot").frame


@pytest.fixture(scope="module")
def pav() -> pd.DataFrame:
    return load_dataset("donmetdec-pav", source="snapshot").frame


def test_communes_are_the_71_members_with_insee_populations(communes):
    decoupage = raw_json("communes-metropole", "decoupage-administratif-6.0.0-metropole-rouen.json")
    members = {m["code"]: m for m in decoupage["epci"]["membres"]}
    text = snapshots.snapshot_file(
        "communes-metropole", "populations-legales-2023-metropole-rouen.csv"
    ).read_text(encoding="utf-8")
    insee = {r["COM"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert len(communes) == len(members) == len(insee)
    assert set(communes["code_insee"]) == set(members)
    table = communes.set_index("code_insee")
    assert table["population"].sum() == sum(int(r["PMUN"]) for r in insee.values())
    assert table["population_totale"].sum() == sum(int(r["PTOT"]) for r in insee.values())
    assert table["population_dgcl_2025"].sum() == decoupage["epci"]["populationMunicipale"]
    assert set(table["population_millesime"]) == {2023}
    assert table.loc["76540", "population"] == int(insee["76540"]["PMUN"])
    # Names keep their article, unlike the outlines' « nom ».
    assert table.loc["76322", "nom_commune"] == "Le Grand-Quevilly"
    assert table["siren"].str.fullmatch(r"2176\d{5}").all()


def test_commune_outlines_are_geojson_polygons_holding_their_point(communes):
    outlines = raw_json("communes-metropole", "communes-metropole-rouen.geojson")["features"]
    by_code = {f["properties"]["code"]: f["geometry"] for f in outlines}
    assert len(by_code) == len(communes)
    for row in communes.itertuples():
        assert row.geo_shape == by_code[row.code_insee]
        shape = shapely.geometry.shape(row.geo_shape)
        assert shape.contains(shapely.Point(row.lon, row.lat))
    assert communes["superficie_km2"].sum() == pytest.approx(TOTAL_AREA_KM2, rel=0.01)


def test_communes_have_no_live_source_and_say_so_without_a_fallback():
    prefetch.forget()
    frame, provenance = load_dataset("communes-metropole", source="live")
    assert len(frame) == 71
    assert provenance.source == "snapshot" and provenance.fallback_reason is None
    assert not provenance.generated


def test_drop_off_points_read_from_the_v1_export(pav):
    records = raw_json("donmetdec-pav", "donmetdec_pav.json")
    assert len(pav) == len(records)
    expected = Counter(r["fields"]["pavtyp"] for r in records)
    assert pav["pavtyp"].value_counts().to_dict() == dict(expected)
    missing_address = sum("adresse" not in r["fields"] for r in records)
    assert pav["adresse"].isna().sum() == missing_address > 0


def test_drop_off_coordinates_follow_each_fields_convention(pav):
    """geo_point_2d is [lat, lon]; the record's GeoJSON geometry is [lon, lat]."""
    records = raw_json("donmetdec-pav", "donmetdec_pav.json")
    lon_lat = np.array([r["geometry"]["coordinates"] for r in records])
    assert np.allclose(pav["lat"], lon_lat[:, 1]) and np.allclose(pav["lon"], lon_lat[:, 0])
    assert pav["lat"].between(49.2, 49.6).all()


def test_drop_off_points_are_joined_to_communes_by_outline(pav, communes):
    assigned = assign_communes(pav, communes)
    outlines = shapely.from_geojson([json.dumps(s) for s in communes["geo_shape"]])
    points = shapely.points(pav["lon"].to_numpy(), pav["lat"].to_numpy())
    covered = shapely.covers(outlines[:, None], points[None, :])
    assert assigned.outside_count == int((~covered.any(axis=0)).sum())
    assert assigned.unlocated == 0
    codes = communes["code_insee"].to_numpy()
    found = assigned.code.dropna()
    positions = pav.index.get_indexer(found.index)
    assert covered[codes.searchsorted(found.to_numpy()), positions].all()
    report = spellings(pav["commune"], assigned.code, communes)
    inside = assigned.code.notna()
    assert report.distinct == pav.loc[inside, "commune"].nunique()
    assert report.table["points"].sum() == inside.sum()
    assert 0 < report.reconciled < report.distinct


def test_lovelo_tables_are_the_gbfs_files():
    info_raw = raw_json("lovelo-gbfs", "station_information.json")["data"]["stations"]
    status_raw = raw_json("lovelo-gbfs", "station_status.json")["data"]["stations"]
    info, provenance = load_dataset("lovelo-gbfs", table="station_information", source="snapshot")
    status, _ = load_dataset("lovelo-gbfs", table="station_status", source="snapshot")
    assert len(info) == len(info_raw) and len(status) == len(status_raw)
    assert set(info["station_id"]) == set(status["station_id"])
    assert info["capacity"].sum() == sum(s["capacity"] for s in info_raw)
    assert status["num_bikes_available"].sum() == sum(s["num_bikes_available"] for s in status_raw)
    first = status_raw[0]["last_reported"]
    local = pd.Timestamp(datetime.fromtimestamp(first).astimezone()).tz_convert("Europe/Paris")
    assert status.loc[0, "last_reported"] == local.tz_localize(None)
    status_time = raw_json("lovelo-gbfs", "station_status.json")["last_updated"]
    assert pd.Timestamp(provenance.data_date) == pd.Timestamp(status_time, unit="s", tz="UTC")
    discovery = raw_json("lovelo-gbfs", "gbfs.json")
    names = {feed["name"] for feed in discovery["data"]["fr"]["feeds"]}
    assert names == {"station_information", "station_status"}


def test_drop_off_points_read_live_from_the_portals_json_export(portal, monkeypatch):
    """The Explore v2.1 JSON export has flat records and geo_point_2d as {lon, lat}."""
    records = raw_json("donmetdec-pav", "donmetdec_pav.json")[:LIVE_ROWS]
    rows = []
    for record in records:
        fields = dict(record["fields"])
        lat, lon = fields["geo_point_2d"]
        fields["geo_point_2d"] = {"lon": lon, "lat": lat}
        fields["geo_shape"] = {"type": "Feature", "geometry": fields["geo_shape"], "properties": {}}
        rows.append(fields)
    types = {"geo_point_2d": "geo_point_2d", "geo_shape": "geo_shape", "objectid_1": "int"}
    portal.add(
        FakeDataset(
            "donmetdec_pav", [{"name": n, "type": types.get(n, "text")} for n in rows[0]], rows
        )
    )
    monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
    monkeypatch.delenv("OPENDATA_PREFETCH_DIR", raising=False)
    prefetch.forget()
    try:
        live, provenance = load_dataset("donmetdec-pav", source="live")
    finally:
        prefetch.forget()
    assert provenance.source == "live" and provenance.fallback_reason is None
    assert len(live) == LIVE_ROWS
    lon_lat = np.array([r["geometry"]["coordinates"] for r in records])
    assert np.allclose(live["lat"], lon_lat[:, 1]) and np.allclose(live["lon"], lon_lat[:, 0])
    assert [g["type"] for g in live["geo_shape"]] == ["Point"] * LIVE_ROWS
    assert any("/exports/json" in r.path for r in portal.requests)


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/data folder beside the project")
def test_import_script_rebuilds_the_committed_snapshots(tmp_path):
    """The real snapshots are what scripts/import_real_data.py writes from shared/data."""
    shutil.copy(DATA / "registry.yaml", tmp_path / "registry.yaml")
    subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            str(PROJECT / "scripts" / "import_real_data.py"),
            "--shared",
            str(SHARED),
            "--data-dir",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    for key in ("communes-metropole", "donmetdec-pav", "lovelo-gbfs"):
        new, old = tmp_path / "snapshots" / key, DATA / "snapshots" / key
        assert sorted(p.name for p in new.iterdir()) == sorted(p.name for p in old.iterdir())
        for path in new.iterdir():
            assert path.read_bytes() == (old / path.name).read_bytes(), path.name


def test_import_script_says_when_the_shared_folder_is_absent(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "scripts" / "import_real_data.py"),
            "--shared",
            str(tmp_path / "absent"),
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "no shared data folder" in result.stderr and "--shared" in result.stderr
