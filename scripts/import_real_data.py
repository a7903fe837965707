"""Copy the real public data files of ``../shared/data`` into ``data/snapshots``, with provenance.

Deterministic: the same source files give the same snapshots, byte for byte (fixed dates,
sorted keys). Run once after the shared files change; commit what it writes. The shared
folder sits beside the project (``../shared/data``) or is named with ``--shared``.

- ``communes-metropole``: the 71 communes — the reference table
  ``communes-metropole.geojson`` (one feature per commune: INSEE code, name with its
  article, SIREN, postcodes, legal populations with their vintage, area, an interior point,
  the IGN outline) compiled from the three source files, which are copied beside it
  unchanged;
- ``donmetdec-pav``: the portal's v1 JSON export of the waste drop-off points, unchanged;
- ``lovelo-gbfs``: the Lovélo GBFS ``station_information`` and ``station_status`` files,
  unchanged, and a ``gbfs.json`` auto-discovery file written here (the copy has none).

Usage: ``python scripts/import_real_data.py [--shared DIR] [--data-dir DIR] [--only KEY…]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from rouen_opendata import settings, snapshots  # noqa: E402
from rouen_opendata.registry import parse_registry  # noqa: E402

log = logging.getLogger("import_real_data")

DEFAULT_SHARED = PROJECT_ROOT.parent / "shared" / "data"
EPCI_SIREN = "200023414"
POPULATION_VINTAGE = 2023
"""INSEE populations légales millésime 2023 (in force on 1 January 2026)."""
WGS84 = Geod(ellps="WGS84")

COMMUNE_FILES = {
    "decoupage": "decoupage-administratif-6.0.0-metropole-rouen.json",
    "populations": "populations-legales-2023-metropole-rouen.csv",
    "outlines": "communes-metropole-rouen.geojson",
}
COMMUNES_TABLE = "communes-metropole.geojson"
LOVELO_FEEDS = ("station_information", "station_status")
LOVELO_ROOT = "https://gbfs.urbansharing.com/lovelolibreservice.fr"

LABELS = {
    "code_insee": "Code INSEE",
    "nom_commune": "Commune",
    "siren": "SIREN",
    "codes_postaux": "Codes postaux",
    "population": "Population municipale (millésime 2023)",
    "population_totale": "Population totale (millésime 2023)",
    "population_millesime": "Millésime des populations",
    "population_dgcl_2025": "Population municipale au 1er janvier 2025 (DGCL)",
    "superficie_km2": "Superficie (km², contour IGN simplifié)",
    "geo_point_2d": "Point intérieur",
    "geo_shape": "Contour",
    "recordid": "Identifiant d'enregistrement",
    "pavid": "Identifiant du point",
    "pavtyp": "Type de point d'apport volontaire",
    "pavnom": "Nom du point",
    "adresse": "Adresse",
    "commune": "Commune (texte libre)",
    "gml_id": "Identifiant GML",
    "objectid_1": "Identifiant d'objet",
    "station_id": "Identifiant de station",
    "name": "Nom",
    "address": "Adresse",
    "cross_street": "Repère",
    "lat": "Latitude",
    "lon": "Longitude",
    "capacity": "Capacité",
    "is_virtual_station": "Station virtuelle",
    "station_area": "Emprise de la station",
    "is_installed": "Installée",
    "is_renting": "Location possible",
    "is_returning": "Retour possible",
    "last_reported": "Dernier signalement",
    "num_bikes_available": "Vélos disponibles",
    "num_docks_available": "Places libres",
}


class SharedDataMissing(SystemExit):
    """The shared data folder or one of its files is absent."""


def source_file(shared: Path, *parts: str) -> Path:
    path = shared.joinpath(*parts)
    if not path.is_file():
        raise SharedDataMissing(
            f"import_real_data: {path} is missing. This script copies the real data files "
            "from the 'shared/data' folder that sits beside the project (see its SOURCES.md); "
            "pass --shared DIR if it is elsewhere. The committed snapshots are usable as they are."
        )
    return path


def fields_of(registry: Any, key: str, table: str) -> list[dict[str, str]]:
    spec = registry[key].tables[table]
    return [{"name": n, "type": t, "label": LABELS.get(n, n)} for n, t in spec.fields.items()]


def base_metas(registry: Any, key: str, modified: str, records: int) -> dict[str, Any]:
    spec = registry[key]
    return {
        "title": spec.title,
        "description": spec.description,
        "publisher": spec.publisher,
        "license": spec.licence,
        "license_url": spec.licence_url,
        "theme": spec.themes,
        "modified": modified,
        "records_count": records,
    }


def provenance_of(registry: Any, key: str, sources: list[dict[str, str]]) -> dict[str, Any]:
    prov = registry[key].provenance
    return {
        "kind": "real",
        "source": prov.source,
        "retrieved": prov.retrieved.isoformat(),
        "notes": prov.notes,
        "sources": sources,
        "imported_by": "scripts/import_real_data.py",
    }


def commune_features(shared: Path) -> list[dict[str, Any]]:
    """The 71 communes as GeoJSON features, joined by INSEE code, sorted by code."""
    folder = shared / "communes-metropole"
    decoupage = json.loads(source_file(folder, COMMUNE_FILES["decoupage"]).read_text("utf-8"))
    if decoupage["epci"]["code"] != EPCI_SIREN:
        raise SystemExit(f"import_real_data: the EPCI is not {EPCI_SIREN}")
    dgcl = {m["code"]: m for m in decoupage["epci"]["membres"]}
    communes = {c["code"]: c for c in decoupage["communes"]}
    text = source_file(folder, COMMUNE_FILES["populations"]).read_text("utf-8")
    insee = {row["COM"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    outlines_raw = source_file(folder, COMMUNE_FILES["outlines"]).read_text("utf-8")
    outlines = {
        f["properties"]["code"]: f["geometry"] for f in json.loads(outlines_raw)["features"]
    }
    codes = sorted(dgcl)
    for name, table in (("communes", communes), ("populations", insee), ("outlines", outlines)):
        if sorted(table) != codes:
            raise SystemExit(f"import_real_data: the {name} file does not list the 71 members")
    features = []
    for code in codes:
        geometry = outlines[code]
        shape = shapely.geometry.shape(geometry)
        area_m2, _ = WGS84.geometry_area_perimeter(shape)
        inside = shape.point_on_surface()
        commune = communes[code]
        properties = {
            "code_insee": code,
            "nom_commune": commune["nom"],
            "siren": commune["siren"],
            "codes_postaux": ", ".join(commune["codesPostaux"]),
            "population": int(insee[code]["PMUN"]),
            "population_totale": int(insee[code]["PTOT"]),
            "population_millesime": POPULATION_VINTAGE,
            "population_dgcl_2025": dgcl[code]["populationMunicipale"],
            "superficie_km2": round(abs(area_m2) / 1e6, 2),
            "geo_point_2d": {"lat": round(inside.y, 6), "lon": round(inside.x, 6)},
        }
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return features


def import_communes(shared: Path, registry: Any) -> snapshots.SnapshotChange:
    features = commune_features(shared)
    table = json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1
    )
    folder = shared / "communes-metropole"
    files: dict[str, Path | bytes] = {COMMUNES_TABLE: (table + "\n").encode()}
    for name in COMMUNE_FILES.values():
        files[name] = source_file(folder, name).read_bytes()
    sources = [
        {
            "file": COMMUNE_FILES["decoupage"],
            "repository": "datagouv/decoupage-administratif "
            "(npm @etalab/decoupage-administratif 6.0.0)",
            "commit": "98976e5f29e66b8449cf64eaf3e2be0b8d9e7d85",
            "date": "2026-03-09",
            "licence": "Licence Ouverte (données), MIT (code), as declared in its README",
            "used_for": "member list (DGCL), names with their article, SIREN, postcodes, "
            "population_dgcl_2025 (DGCL pmun_2025, legal populations in force on 1 Jan 2025)",
        },
        {
            "file": COMMUNE_FILES["populations"],
            "repository": "datagouv/decoupage-administratif, sources/donnees_communes.csv",
            "commit": "98976e5f29e66b8449cf64eaf3e2be0b8d9e7d85",
            "date": "2026-01-19",
            "licence": "INSEE populations légales (Licence Ouverte, à confirmer)",
            "used_for": "population (PMUN) and population_totale (PTOT), millésime 2023",
        },
        {
            "file": COMMUNE_FILES["outlines"],
            "repository": "gregoiredavid/france-geojson, communes-76-seine-maritime.geojson",
            "commit": "5d34ee6d0140c29f785fdb047d9329f1aab58833",
            "date": "2018-08-01",
            "licence": "IGN Admin Express COG 2018 (Licence ouverte, see its conditions)",
            "used_for": "outlines (geo_shape, simplified), superficie_km2 (geodesic area of "
            "the simplified outline on the WGS84 ellipsoid, pyproj), geo_point_2d (a point "
            "inside the outline, shapely point_on_surface)",
        },
    ]
    return snapshots.write_snapshot(
        "communes-metropole",
        files,
        metas={
            **base_metas(registry, "communes-metropole", "2026-03-09T00:00:00+00:00", 71),
            "keyword": ["communes", "territoire", "INSEE", "contours"],
        },
        provenance=provenance_of(registry, "communes-metropole", sources),
        fields=fields_of(registry, "communes-metropole", "data"),
        rows={COMMUNES_TABLE: len(features)},
        fetched_at="2026-03-09T00:00:00+00:00",
    )


def import_donmetdec_pav(shared: Path, registry: Any) -> snapshots.SnapshotChange:
    raw = source_file(shared, "donmetdec-pav", "donmetdec_pav.json").read_bytes()
    records = json.loads(raw)
    exported = sorted({r["record_timestamp"] for r in records})
    if len(exported) != 1:
        raise SystemExit("import_real_data: donmetdec_pav records carry several export dates")
    sources = [
        {
            "file": "donmetdec_pav.json",
            "repository": "tri-moi/tri-moi_api, public/data_poubelle.json",
            "commit": "5125a6431785c1df3cbce3645e97e96e97275bb8",
            "date": "2022-12-09",
            "licence": "none declared by the repository; the portal dataset is described by "
            "public reusers as Licence Ouverte 2.0 (à confirmer sur le portail)",
            "exported": exported[0],
        }
    ]
    return snapshots.write_snapshot(
        "donmetdec-pav",
        {"donmetdec_pav.json": raw},
        metas={
            **base_metas(registry, "donmetdec-pav", exported[0], len(records)),
            "keyword": ["déchets", "tri", "apport volontaire"],
        },
        provenance=provenance_of(registry, "donmetdec-pav", sources),
        fields=fields_of(registry, "donmetdec-pav", "data"),
        rows={"donmetdec_pav.json": len(records)},
        fetched_at="2022-12-09T00:00:00+00:00",
    )


def discovery_file(info: dict[str, Any]) -> bytes:
    """A GBFS 2.3 ``gbfs.json`` naming the two feeds, as the live feed's root lays them out."""
    feeds = [{"name": name, "url": f"{LOVELO_ROOT}/{name}.json"} for name in LOVELO_FEEDS]
    discovery = {
        "last_updated": info["last_updated"],
        "ttl": info["ttl"],
        "version": info["version"],
        "data": {"fr": {"feeds": feeds}},
    }
    return (json.dumps(discovery, indent=2) + "\n").encode()


def import_lovelo(shared: Path, registry: Any) -> snapshots.SnapshotChange:
    files: dict[str, Path | bytes] = {}
    parsed = {}
    for name in LOVELO_FEEDS:
        raw = source_file(shared, "lovelo-gbfs", f"{name}.json").read_bytes()
        files[f"{name}.json"] = raw
        parsed[name] = json.loads(raw)
    files["gbfs.json"] = discovery_file(parsed["station_information"])
    status_time = parsed["station_status"]["last_updated"]
    modified = datetime.fromtimestamp(status_time, timezone.utc).isoformat()
    sources = [
        {
            "file": f"{name}.json",
            "repository": f"MoufdiZB/velo-dashboard-rouen, data/{name}.json",
            "commit": "ee7b7eb248ad645a64516a601cd2c52d454857ab",
            "date": "2025-05-05",
            "licence": "the repository's README says MIT for the project; the feed's own "
            "licence is not stated (à confirmer)",
            "last_updated": parsed[name]["last_updated"],
        }
        for name in LOVELO_FEEDS
    ]
    sources.append(
        {
            "file": "gbfs.json",
            "written_by": "scripts/import_real_data.py (not part of the copy): feed URLs "
            f"under {LOVELO_ROOT}/, version, ttl and last_updated of station_information",
        }
    )
    stations = len(parsed["station_information"]["data"]["stations"])
    return snapshots.write_snapshot(
        "lovelo-gbfs",
        files,
        metas={
            **base_metas(registry, "lovelo-gbfs", modified, stations),
            "keyword": ["vélo", "vélos en libre service", "GBFS", "Lovélo"],
        },
        provenance=provenance_of(registry, "lovelo-gbfs", sources),
        fields=fields_of(registry, "lovelo-gbfs", "station_information")
        + fields_of(registry, "lovelo-gbfs", "station_status"),
        rows={
            "station_information.json": stations,
            "station_status.json": len(parsed["station_status"]["data"]["stations"]),
        },
        fetched_at="2025-05-05T00:00:00+00:00",
    )


IMPORTERS: dict[str, Callable[[Path, Any], snapshots.SnapshotChange]] = {
    "communes-metropole": import_communes,
    "donmetdec-pav": import_donmetdec_pav,
    "lovelo-gbfs": import_lovelo,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    parser.add_argument("--data-dir", type=Path, help="data folder (default: the project's)")
    parser.add_argument("--only", nargs="+", choices=sorted(IMPORTERS), help="datasets to import")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    if not args.shared.is_dir():
        raise SharedDataMissing(
            f"import_real_data: no shared data folder at {args.shared}. Clone or copy it beside "
            "the project (../shared/data) or pass --shared DIR."
        )
    if args.data_dir:
        os.environ["OPENDATA_DATA_DIR"] = str(args.data_dir)
    registry = parse_registry((settings.data_dir() / "registry.yaml").read_text(encoding="utf-8"))
    for key in args.only or sorted(IMPORTERS):
        change = IMPORTERS[key](args.shared, registry)
        print(change.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
