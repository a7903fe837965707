"""What the loopback portal serves: in-memory datasets, the ODSQL subset, export files.

ODSQL is a small subset: ``select`` of plain fields and ``count(*)``, ``sum|avg|min|max(f)``
with ``as`` aliases; ``where`` of ``field <op> literal`` joined by ``AND`` (literals:
``"text"``, ``'text'``, numbers, ``date'2024-01-01'``); ``group_by`` of plain fields;
``order_by`` of output columns with ``asc``/``desc``; ``refine``/``exclude`` ``facet:value``.
Errors are raised as :class:`ApiError` with the portal's 400 bodies.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

Row = dict[str, Any]


class ApiError(Exception):
    """An error answer: status, JSON body and extra headers."""

    def __init__(self, status: int, body: dict, headers: dict[str, str] | None = None):
        super().__init__(status, body)
        self.status, self.body, self.headers = status, body, headers or {}


def malformed(detail: str, clause: str) -> ApiError:
    """The portal's 400 for an ODSQL error in ``clause``."""
    return ApiError(
        400,
        {
            "message": f"ODSQL query is malformed: {detail} Clause(s) containing the error(s): "
            f"{clause}.",
            "error_code": "ODSQLError",
        },
    )


def invalid_parameter(message: str) -> ApiError:
    """The portal's 400 for a parameter out of its bounds."""
    return ApiError(400, {"message": message, "error_code": "InvalidRESTParameterError"})


@dataclass
class FakeDataset:
    """One in-memory dataset: ODS ``fields`` and rows as the records API returns them."""

    dataset_id: str
    fields: list[dict]
    rows: list[Row]
    title: str = ""
    modified: str = "2024-06-01T00:00:00+00:00"
    """The portal's ``modified`` and ``data_processed`` (tests change it between builds)."""

    @property
    def types(self) -> dict[str, str]:
        return {f["name"]: f["type"] for f in self.fields}

    def metadata(self) -> dict:
        kinds = set(self.types.values())
        features = (
            ["analyze"]
            + (["geo"] if kinds & {"geo_point_2d", "geo_shape"} else [])
            + (["timeserie"] if kinds & {"date", "datetime"} else [])
        )
        return {
            "dataset_id": self.dataset_id,
            "dataset_uid": f"da_{self.dataset_id[:6]}",
            "attachments": [],
            "has_records": bool(self.rows),
            "data_visible": True,
            "features": features,
            "fields": self.fields,
            "metas": {
                "default": {
                    "title": self.title or self.dataset_id,
                    "description": "",
                    "keyword": [],
                    "theme": ["Mobilité"],
                    "license": "Licence Ouverte v2.0",
                    "license_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
                    "modified": self.modified,
                    "data_processed": self.modified,
                    "records_count": len(self.rows),
                    "publisher": "Métropole Rouen Normandie",
                    "language": "fr",
                    "territory": ["Métropole Rouen Normandie"],
                }
            },
        }


# The ODSQL subset ---------------------------------------------------------------------------

_ALIAS = re.compile(r"^(.*?)\s+as\s+(\w+)$", re.I)
_AGGREGATE = re.compile(r"^(count|sum|avg|min|max)\((\*|\w+)\)$", re.I)
_CONDITION = re.compile(
    r"""^(\w+)\s*(>=|<=|!=|=|>|<)\s*(date'[^']*'|"[^"]*"|'[^']*'|-?\d+(?:\.\d+)?)$""", re.I
)
_OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}

Item = tuple[str, str, str | None]  # output name, source field ("*" for count), aggregate


def _items(text: str, clause: str, names: dict[str, str], aggregates: bool) -> list[Item]:
    items = []
    for raw in (part.strip() for part in text.split(",")):
        match = _ALIAS.match(raw)
        expr, alias = (match.group(1).strip(), match.group(2)) if match else (raw, None)
        aggregate = _AGGREGATE.match(expr) if aggregates else None
        source = aggregate.group(2) if aggregate else expr
        if not re.fullmatch(r"\w+|\*", source) or (source == "*" and not aggregate):
            raise malformed(f"unexpected expression {raw!r}.", clause)
        if source != "*" and source not in names:
            raise malformed(f"Unknown field: {source}.", clause)
        func = aggregate.group(1).lower() if aggregate else None
        items.append((alias or expr, source, func))
    return items


def where_tests(text: str, names: dict[str, str]) -> list[Callable[[Row], bool]]:
    tests = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.I):
        match = _CONDITION.match(part.strip())
        if not match:
            raise malformed(f"cannot read {part.strip()!r}.", "where")
        name, op, literal = match.groups()
        if name not in names:
            raise malformed(f"Unknown field: {name}.", "where")
        if literal[0] in "\"'" or literal.lower().startswith("date'"):
            value: Any = literal[literal.index(literal[-1]) + 1 : -1]
        else:
            value = float(literal) if "." in literal else int(literal)
        tests.append(_condition(name, _OPERATORS[op], value))
    return tests


def _condition(name: str, compare: Callable[[Any, Any], bool], value: Any) -> Callable:
    def test(row: Row) -> bool:
        cell = row.get(name)
        if cell is None:
            return False
        try:  # dates are ISO text: comparing text compares dates
            return bool(compare(str(cell) if isinstance(value, str) else cell, value))
        except TypeError:
            return False

    return test


def facet_text(value: Any, kind: str) -> str:
    return str(value).replace("-", "/") if kind in ("date", "datetime") else str(value)


def _facet_filter(spec: str, types: dict[str, str], keep: bool) -> Callable[[Row], bool]:
    name, sep, wanted = spec.partition(":")
    if not sep or name not in types:
        raise invalid_parameter(f"Invalid value for refine/exclude API parameter: {spec!r}.")

    def test(row: Row) -> bool:
        text = facet_text(row.get(name), types[name])
        return (text == wanted or text.startswith(wanted + "/")) == keep

    return test


def _sort_key(value: Any) -> tuple:
    return (value is None, value if value is not None else 0)


def _aggregate(rows: list[Row], keys: list[Item], aggregates: list[Item]) -> list[Row]:
    groups: dict[tuple, list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row.get(src) for _, src, _ in keys), []).append(row)
    if not keys and not groups:
        groups[()] = []
    result = []
    for key in sorted(groups, key=lambda k: tuple(_sort_key(v) for v in k)):
        members = groups[key]
        record = {name: value for (name, _, _), value in zip(keys, key, strict=True)}
        for name, src, func in aggregates:
            values = [m[src] for m in members if m.get(src) is not None] if src != "*" else []
            record[name] = (
                len(members)
                if func == "count"
                else (
                    sum(values)
                    if func == "sum"
                    else (sum(values) / len(values) if values else None)
                    if func == "avg"
                    else (min(values) if values else None)
                    if func == "min"
                    else (max(values) if values else None)
                )
            )
        result.append(record)
    return result


@dataclass
class QueryResult:
    rows: list[Row]  # matching rows, not yet projected
    columns: list[str]
    types: dict[str, str]  # column → ODS type
    grouped: bool
    project: Callable[[Row], Row]


def run_query(ds: FakeDataset, params: dict[str, list[str]]) -> QueryResult:
    """Filter, group and order a dataset's rows as the records/exports endpoints do."""
    types = ds.types
    first = {key: values[0] for key, values in params.items() if values}
    tests = where_tests(first["where"], types) if first.get("where", "").strip() else []
    tests += [_facet_filter(v, types, True) for v in params.get("refine", [])]
    tests += [_facet_filter(v, types, False) for v in params.get("exclude", [])]
    rows = [r for r in ds.rows if all(t(r) for t in tests)] if tests else ds.rows
    select = first.get("select", "*").strip() or "*"
    items = None if select == "*" else _items(select, "select", types, aggregates=True)
    keys = _items(first["group_by"], "group_by", types, False) if first.get("group_by") else []
    grouped = bool(keys) or any(func for _, _, func in items or [])
    if grouped:
        aggregates = [item for item in items or [] if item[2]]
        rows = _aggregate(rows, keys, aggregates)
        out = keys + aggregates
        column_types = {n: types[s] for n, s, _ in keys} | {
            n: "int" if f == "count" else "double" for n, _, f in aggregates
        }
    else:
        out = items or [(name, name, None) for name in types]
        column_types = {n: types[s] for n, s, _ in out}
    columns = [name for name, _, _ in out]
    if first.get("order_by"):
        sortable = set(columns) | (set() if grouped else set(types))
        rows = list(rows)
        for part in reversed([p.split() for p in first["order_by"].split(",")]):
            if (
                not part
                or part[0] not in sortable
                or len(part) > 2
                or (len(part) == 2 and part[1].lower() not in ("asc", "desc"))
            ):
                raise malformed(f"cannot order by {' '.join(part)!r}.", "order_by")
            rows.sort(
                key=lambda r, n=part[0]: _sort_key(r.get(n)),
                reverse=len(part) == 2 and part[1].lower() == "desc",
            )
    if grouped:
        return QueryResult(rows, columns, column_types, True, lambda r: r)
    sources = [(name, src) for name, src, _ in out]
    return QueryResult(
        rows, columns, column_types, False, lambda r: {name: r.get(src) for name, src in sources}
    )


# Export files ---------------------------------------------------------------------------


def _geometry(value: Any) -> Any:
    return (
        value.get("geometry")
        if isinstance(value, dict) and value.get("type") == "Feature"
        else value
    )


def _flat_cell(value: Any, kind: str | None) -> Any:
    """A cell as CSV/parquet exports write it: points as "lat, lon", shapes as JSON."""
    if value is None:
        return None
    if kind == "geo_point_2d":
        return f"{value['lat']}, {value['lon']}"
    if kind == "geo_shape":
        return json.dumps(_geometry(value), ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def encode_export(
    fmt: str, rows: list[Row], result: QueryResult, params: dict[str, list[str]]
) -> bytes:
    """The export file: csv (``;``, UTF-8 BOM unless ``with_bom=false``), json, jsonl,
    geojson (geometry from the first geo_shape, else the geo_point_2d) or parquet."""
    cols, types = result.columns, result.types
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(
            text, delimiter=params.get("delimiter", [";"])[0], lineterminator="\r\n"
        )
        writer.writerow(cols)
        for row in rows:
            writer.writerow(
                ["" if (v := _flat_cell(row.get(c), types.get(c))) is None else v for c in cols]
            )
        bom = params.get("with_bom", ["true"])[0].lower() != "false"
        return (("\ufeff" if bom else "") + text.getvalue()).encode("utf-8")
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False).encode("utf-8")
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    if fmt == "geojson":
        shape = next((c for c in cols if types.get(c) == "geo_shape"), None)
        point = next((c for c in cols if types.get(c) == "geo_point_2d"), None)
        features = []
        for row in rows:
            geometry = _geometry(row.get(shape)) if shape else None
            if geometry is None and point and row.get(point):
                geometry = {"type": "Point", "coordinates": [row[point]["lon"], row[point]["lat"]]}
            properties = {k: v for k, v in row.items() if k != shape}
            features.append({"type": "Feature", "geometry": geometry, "properties": properties})
        return json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False
        ).encode("utf-8")
    if fmt == "parquet":
        # Geo cells written like the CSV; the portal's own parquet typing is not documented.
        table = pa.table({c: [_flat_cell(r.get(c), types.get(c)) for r in rows] for c in cols})
        sink = io.BytesIO()
        pq.write_table(table, sink)
        return sink.getvalue()
    raise invalid_parameter(f"Invalid value for format: {fmt!r} is not a supported format.")


# Sample data --------------------------------------------------------------------------------

COUNTERS = ("Pont Boieldieu", "Quai de Paris", "Rive gauche", "Saint-Sever", "Jardin des Plantes")
COMMUNES = (
    "Rouen",
    "Sotteville-lès-Rouen",
    "Le Grand-Quevilly",
    "Mont-Saint-Aignan",
    "Bois-Guillaume",
    "Déville-lès-Rouen",
)
COUNTER_FIELDS = [
    {
        "name": "compteur",
        "label": "Compteur",
        "type": "text",
        "description": None,
        "annotations": {"facet": []},
    },
    {
        "name": "commune",
        "label": "Commune",
        "type": "text",
        "description": None,
        "annotations": {"facet": []},
    },
    {
        "name": "date",
        "label": "Date",
        "type": "date",
        "description": None,
        "annotations": {"facet": []},
    },
    {
        "name": "comptage",
        "label": "Passages",
        "type": "int",
        "description": None,
        "annotations": {},
    },
    {
        "name": "temperature",
        "label": "Température",
        "type": "double",
        "description": None,
        "annotations": {},
    },
    # Geo fields deliberately not named geo_point_2d/geo_shape: found by type.
    {
        "name": "coordonnees",
        "label": "Coordonnées",
        "type": "geo_point_2d",
        "description": None,
        "annotations": {},
    },
    {
        "name": "emprise",
        "label": "Emprise",
        "type": "geo_shape",
        "description": None,
        "annotations": {},
    },
]


def make_dataset(
    dataset_id: str = "comptages-velo",
    rows: int = 250,
    *,
    seed: int = 0,
    title: str = "Comptages vélo (échantillon de test)",
) -> FakeDataset:
    """A seeded bicycle-count dataset; row i is at counter ``COUNTERS[i % 5]``."""
    rng, start, half = random.Random(seed), date(2023, 1, 1), 0.0005
    data = []
    for i in range(rows):
        lat = round(49.44 + rng.uniform(-0.05, 0.05), 6)
        lon = round(1.09 + rng.uniform(-0.08, 0.08), 6)
        ring = [
            [round(x, 6), round(y, 6)]
            for x, y in (
                (lon - half, lat - half),
                (lon + half, lat - half),
                (lon + half, lat + half),
                (lon - half, lat + half),
                (lon - half, lat - half),
            )
        ]
        data.append(
            {
                "compteur": COUNTERS[i % len(COUNTERS)],
                "commune": rng.choice(COMMUNES),
                "date": (start + timedelta(days=i % 730)).isoformat(),
                "comptage": rng.randint(0, 3000),
                "temperature": None if i % 17 == 0 else round(rng.uniform(-5, 32), 1),
                "coordonnees": {"lon": lon, "lat": lat},
                "emprise": {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                },
            }
        )
    return FakeDataset(dataset_id, [dict(f) for f in COUNTER_FIELDS], data, title)


def snapshot_dataset(key: str) -> FakeDataset:
    """A registry dataset whose snapshot is a portal CSV export, served as the portal would
    serve it: the snapshot's own rows under the portal's field names (from meta.json)."""
    from rouen_opendata import get_dataset, snapshots

    meta = snapshots.read_meta(key)
    spec = get_dataset(key)
    types = {f["name"]: f["type"] for f in meta["fields"]}
    path = snapshots.snapshot_path(key) / spec.table().file
    text = path.read_bytes().decode("utf-8-sig")
    rows = []
    for raw in csv.DictReader(io.StringIO(text, newline=""), delimiter=";"):
        row: Row = {}
        for name, value in raw.items():
            kind = types.get(name, "text")
            if value == "":
                row[name] = None
            elif kind == "geo_point_2d":
                lat, lon = (float(part) for part in value.split(","))
                row[name] = {"lat": lat, "lon": lon}
            elif kind == "int":
                row[name] = int(value)
            elif kind == "double":
                row[name] = float(value)
            else:
                row[name] = value
        rows.append(row)
    return FakeDataset(spec.dataset_id, [dict(f) for f in meta["fields"]], rows, spec.title)
