"""Rewrite the remarkable-trees copy in the portal's CSV export format, deterministically.

The only copy of the Métropole's dataset ``arbres-remarquables-metropole-rouen-normandie-2019``
the project has is a reshaped JSON from a public repository
(``data/sources/arbres-remarquables/rouen-foret-arbres-remarquables.json``: keys renamed,
values the portal's). This script writes it as the portal exports a dataset — CSV with
``;``, a UTF-8 byte-order mark, CRLF line endings, ``geo_point_2d`` as ``"lat, lon"`` —
under the portal's field names, so that the snapshot, a live read and ``refresh`` go
through the same reader. Values are copied unchanged; the output is the same bytes on
every run (fixed dates, fixed column order).

Field names: ``age``, ``diametre_pied``, ``hauteur``, ``parcelle`` and
``essence_forestiere`` are the portal's (quoted in the copy's metadata); the others
(``identifiant``, ``nom``, ``foret``, ``essence``, ``description``, ``photo``, ``fiche``,
``geo_point_2d``) follow the portal's conventions but are not confirmed: the first
``refresh`` checks them against the real export, and a mismatch keeps this snapshot.

Usage: ``python scripts/convert_trees_export.py [--data-dir DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from rouen_opendata import snapshots  # noqa: E402

KEY = "arbres-remarquables"
DATASET_ID = "arbres-remarquables-metropole-rouen-normandie-2019"
SOURCE = PROJECT_ROOT / "data" / "sources" / KEY / "rouen-foret-arbres-remarquables.json"
EXPORT_FILE = f"{DATASET_ID}.csv"
FETCHED_AT = "2026-08-13T00:00:00+00:00"
"""When the public copy was taken (its ``fetched`` field): the snapshot's date."""

COLUMNS = (
    # portal field, type, label, key in the reshaped copy
    ("identifiant", "int", "Identifiant", "id"),
    ("nom", "text", "Nom", "name"),
    ("foret", "text", "Forêt", "forest"),
    ("essence", "text", "Essence", "species_fr"),
    ("diametre_pied", "text", "Diamètre au pied", "trunk_diameter"),
    ("hauteur", "text", "Hauteur", "height"),
    ("age", "text", "Âge", "age_estimate_raw"),
    ("parcelle", "double", "Parcelle", "parcelle"),
    ("essence_forestiere", "text", "Essence forestière", "essence_forestiere"),
    ("description", "text", "Description", "description"),
    ("photo", "text", "Photo", "photo_url"),
    ("fiche", "text", "Fiche descriptive (PDF)", "pdf_url"),
    ("geo_point_2d", "geo_point_2d", "Position", None),
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_bytes(entries: list[dict]) -> bytes:
    """The rows as the portal's CSV export writes them."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([name for name, *_ in COLUMNS])
    for entry in sorted(entries, key=lambda e: e["id"]):
        row = [_cell(entry[source]) for _, _, _, source in COLUMNS if source]
        row.append(f"{entry['latitude']}, {entry['longitude']}")
        writer.writerow(row)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def convert(source: Path = SOURCE) -> snapshots.SnapshotChange:
    """Write the snapshot of ``arbres-remarquables`` from the reshaped copy."""
    copy = json.loads(source.read_text(encoding="utf-8"))
    entries = copy["entries"]
    return snapshots.write_snapshot(
        KEY,
        {EXPORT_FILE: export_bytes(entries)},
        metas={
            "title": "Arbres remarquables de la Métropole Rouen Normandie (2019)",
            "publisher": "Métropole Rouen Normandie",
            "license": "Licence Ouverte v2.0",
            "license_url": "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
            "modified": None,
            "records_count": len(entries),
            "description": "Survey of 2019; the date the portal records for the last "
            "modification was not part of the copy.",
        },
        fields=[{"name": n, "type": t, "label": label} for n, t, label, _ in COLUMNS],
        rows={EXPORT_FILE: len(entries)},
        fetched_at=FETCHED_AT,
        provenance={
            "kind": "real",
            "source": "GitHub burgmanshidde-ancienttrees/ancienttrees@"
            "9789a977e43cff46b30d9c4e5f32673dc16ad3a7 "
            "data/registers/rouen-foret-arbres-remarquables.json",
            "retrieved": FETCHED_AT[:10],
            "converted_by": "scripts/convert_trees_export.py",
            "notes": "Reshaped copy of the portal records, rewritten in the portal's CSV "
            "export format; values unchanged, field names partly assumed (see the script).",
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="data folder (default: the project's)")
    args = parser.parse_args(argv)
    if args.data_dir:
        os.environ["OPENDATA_DATA_DIR"] = str(args.data_dir)
    print(convert().describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
