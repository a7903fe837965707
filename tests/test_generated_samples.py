"""The generated samples: the seeded script and the committed snapshots never drift apart.

The generator runs once per module into a temporary data folder; its output must equal the
committed snapshots (bytes for CSV, frames for parquet, whose bytes embed the writer's
version), and the committed data must show the patterns the samples promise.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analyses.geo import assign_communes
from rouen_opendata import load_dataset
from rouen_opendata.frames import apply_schema, read_table
from rouen_opendata.registry import parse_registry

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "data"
SCRIPT = "scripts/generate_samples.py"
REGISTRY = parse_registry((DATA / "registry.yaml").read_text(encoding="utf-8"))
GENERATED = sorted(
    spec.key for spec in REGISTRY if spec.generated and spec.provenance.script == SCRIPT
)

N_SAMPLES = 7
N_COMMUNES = 71
N_COUNTERS = 29
MAX_SECONDS = 60
MAX_FILE_BYTES = 5_000_000
# Bounding box of the Métropole, with a margin.
LAT_RANGE, LON_RANGE = (49.2, 49.6), (0.7, 1.35)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """A data folder regenerated from the script, and how long the script took."""
    data_dir = tmp_path_factory.mktemp("data")
    shutil.copy(DATA / "registry.yaml", data_dir / "registry.yaml")
    # The samples are drawn from two real datasets: the Astuce network and the communes.
    for real in ("astuce-gtfs", "communes-metropole"):
        shutil.copytree(DATA / "snapshots" / real, data_dir / "snapshots" / real)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-W", "error", str(PROJECT / SCRIPT), "--data-dir", str(data_dir)],
        check=True,
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    return data_dir, time.perf_counter() - started


def committed(key: str) -> pd.DataFrame:
    """A committed sample, read and typed as the data layer reads it."""
    table = REGISTRY[key].table("data")
    frame = read_table(DATA / "snapshots" / key / table.file, table.format)
    return apply_schema(frame, table.fields, dataset=key)


def test_every_sample_is_registered_as_generated() -> None:
    assert len(GENERATED) == N_SAMPLES
    for key in GENERATED:
        assert REGISTRY[key].provenance.kind == "generated"
        assert "Données d'exemple générées" in REGISTRY[key].description


def test_generator_is_fast(regenerated: tuple[Path, float]) -> None:
    assert regenerated[1] < MAX_SECONDS


@pytest.mark.parametrize("key", GENERATED)
def test_regenerated_sample_equals_committed(regenerated: tuple[Path, float], key: str) -> None:
    new_dir, old_dir = regenerated[0] / "snapshots" / key, DATA / "snapshots" / key
    table = REGISTRY[key].table("data")
    new_meta = json.loads((new_dir / "meta.json").read_text(encoding="utf-8"))
    old_meta = json.loads((old_dir / "meta.json").read_text(encoding="utf-8"))
    if table.format == "parquet":
        pd.testing.assert_frame_equal(
            pd.read_parquet(new_dir / table.file), pd.read_parquet(old_dir / table.file)
        )
        for meta in (new_meta, old_meta):
            meta["files"][table.file].pop("sha256")
            meta["files"][table.file].pop("bytes")
    else:
        assert (new_dir / table.file).read_bytes() == (old_dir / table.file).read_bytes()
    assert new_meta == old_meta


@pytest.mark.parametrize("key", GENERATED)
def test_sample_file_is_a_portal_export(key: str) -> None:
    table = REGISTRY[key].table("data")
    path = DATA / "snapshots" / key / table.file
    assert path.stat().st_size < MAX_FILE_BYTES
    meta = json.loads((path.parent / "meta.json").read_text(encoding="utf-8"))
    assert meta["provenance"]["kind"] == "generated"
    assert meta["metas"]["records_count"] == meta["files"][table.file]["rows"]
    if table.format == "csv":
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        assert raw[3:].split(b"\n", 1)[0].decode().split(";") == list(table.fields)


@pytest.mark.parametrize(
    "key", [k for k in GENERATED if "geo_point_2d" in REGISTRY[k].table("data").fields.values()]
)
def test_points_lie_in_the_metropole(key: str) -> None:
    frame = committed(key)
    assert frame["lat"].between(*LAT_RANGE).all() and frame["lon"].between(*LON_RANGE).all()


def test_generated_points_lie_in_the_commune_they_name() -> None:
    communes = load_dataset("communes-metropole", source="snapshot").frame
    code_of = dict(zip(communes["nom_commune"], communes["code_insee"], strict=True))
    sites = committed("eco-counter-sites")
    placed = assign_communes(sites, communes).code
    assert (placed == sites["commune"].map(code_of)).all()
    for key in ("bornes-irve", "permis-construire"):
        points = committed(key)
        assert (assign_communes(points, communes).code == points["code_insee_commune"]).all()


def test_bike_counters_and_their_outages() -> None:
    sites, counts = committed("eco-counter-sites"), committed("eco-counter-data")
    assert len(sites) == sites["id"].nunique() == N_COUNTERS
    assert set(counts["id"]) == set(sites["id"])
    assert (counts["counts"] >= 0).all()
    # The data layer gives naive local times, where the October DST hour repeats: check
    # uniqueness on the file's time-zone-aware instants.
    raw = pd.read_parquet(DATA / "snapshots" / "eco-counter-data" / "eco-counter-data.parquet")
    assert not raw.duplicated(["id", "date"]).any()
    hours = pd.date_range("2023-01-01", "2024-12-31 23:00", freq="h", tz="Europe/Paris")
    installed = sites.set_index("id")["installation_date"]
    old = installed[installed < pd.Timestamp("2023-01-01")].index
    rows = counts[counts["id"].isin(old)].groupby("id").size()
    assert (rows <= len(hours)).all()
    assert (rows < len(hours)).sum() >= 3, "some counters must have outages (missing hours)"
    weekday = counts[counts["date"].dt.day_of_week < 5].groupby(counts["date"].dt.hour)["counts"]
    assert weekday.mean().idxmax() in (8, 17, 18)


def test_charging_points_group_into_stations() -> None:
    irve = committed("bornes-irve")
    per_station = irve.groupby("id_station_itinerance")
    assert (per_station.size() == per_station["nbre_pdc"].first()).all()
    assert irve["id_pdc_itinerance"].is_unique
    lon_lat = irve["coordonneesXY"].str.strip("[]").str.split(", ", expand=True).astype(float)
    assert (lon_lat[0] == irve["lon"]).all() and (lon_lat[1] == irve["lat"]).all()


def test_energy() -> None:
    energy = committed("energie-communes")
    assert set(energy["annee"]) == set(range(2018, 2024))
    assert set(energy["filiere"]) == {"Electricité", "Gaz"}
    assert energy.loc[energy["filiere"] == "Gaz", "code_commune"].nunique() < N_COMMUNES


def test_facilities_open_and_close() -> None:
    visits = committed("frequentation-equipements")
    closed = visits["ouvert"] == "non"
    assert (visits.loc[closed, "entrees"] == 0).all()
    rink = visits[visits["type_equipement"] == "Patinoire"]
    summer = rink["date"].dt.month.isin([6, 7, 8])
    assert (rink.loc[summer, "ouvert"] == "non").all()
    assert (rink.loc[~summer, "ouvert"] == "oui").mean() > 0.9
    museums = visits[visits["type_equipement"] == "Musée"]
    assert (museums.loc[museums["date"].dt.day_of_week == 1, "ouvert"] == "non").all()


def test_ridership_uses_the_real_network() -> None:
    ridership = committed("astuce-montees-descentes")
    gtfs = DATA / "snapshots" / "astuce-gtfs"
    routes = read_table(gtfs / "routes.txt", "gtfs-txt")
    stops = read_table(gtfs / "stops.txt", "gtfs-txt")
    assert set(ridership["route_id"]) <= set(routes["route_id"])
    assert set(ridership["stop_id"]) <= set(stops["stop_id"])
    per_line = ridership.groupby(["route_short_name", "mois"])[["montees", "descentes"]].sum()
    assert (per_line["montees"] == per_line["descentes"]).all()
    assert per_line["montees"].groupby(level=0).sum().idxmax() == "Métro"


def test_permits_have_no_personal_data() -> None:
    permits = committed("permis-construire")
    assert permits["num_dau"].str.fullmatch(r"(PC|PA|DP) 076 \d{3} \d{2} X\d{4}").all()
    assert permits["num_dau"].is_unique
    assert set(permits["type_dau"]) == {"PC", "PA", "DP"}
    assert not any(re.search("demandeur|nom_pet|petitionnaire", c) for c in permits.columns)
