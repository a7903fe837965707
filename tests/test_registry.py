"""The registry validates and every dataset loads from its snapshot with its declared fields."""

from __future__ import annotations

import pandas as pd
import pytest

from rouen_opendata import load_dataset, load_registry
from rouen_opendata.exceptions import RegistryError, SchemaMismatchError, UnknownDatasetKeyError
from rouen_opendata.frames import apply_schema
from rouen_opendata.registry import parse_registry

REGISTRY = load_registry()
TABLES = [(spec.key, name) for spec in REGISTRY for name in spec.tables]


@pytest.mark.parametrize(("key", "table"), TABLES, ids=[f"{k}/{t}" for k, t in TABLES])
def test_every_registry_table_loads_from_its_snapshot_with_declared_fields(key, table):
    spec = REGISTRY[key]
    frame, provenance = load_dataset(key, table=table, source="snapshot")
    assert len(frame) > 0
    for name, ftype in spec.tables[table].fields.items():
        if ftype == "geo_point_2d":
            assert frame["lat"].between(48.9, 49.8).all(), "points outside the Rouen area"
            assert frame["lon"].between(0.5, 1.6).all(), "points outside the Rouen area"
            continue
        assert name in frame.columns
        if ftype in ("date", "datetime"):
            assert pd.api.types.is_datetime64_any_dtype(frame[name])
        if ftype == "double":
            assert pd.api.types.is_float_dtype(frame[name])
    assert provenance.generated == (spec.provenance.kind == "generated")
    assert provenance.source == "snapshot"
    assert provenance.rows == len(frame)


def test_generated_datasets_carry_the_generated_label_and_real_ones_do_not():
    for spec in REGISTRY:
        _, provenance = load_dataset(spec.key, table=next(iter(spec.tables)), source="snapshot")
        assert ("Données d'exemple générées" in provenance.labels) == spec.generated


def test_unknown_key_names_the_known_ones():
    with pytest.raises(UnknownDatasetKeyError, match="Unknown dataset key 'nope'.*astuce-gtfs"):
        load_dataset("nope")


def test_registry_error_names_the_dataset_and_the_field():
    text = """
datasets:
  broken:
    source: opendatasoft
    title: T
    publisher: P
    licence: L
    licence_url: https://example.org
    themes: []
    tables: {data: {file: data.csv, fields: {a: text}}}
    provenance: {kind: real, source: s, retrieved: 2024-01-01}
"""
    with pytest.raises(RegistryError, match="dataset 'broken'.*dataset_id"):
        parse_registry(text)
    with pytest.raises(RegistryError, match="dataset 'broken'.*tables.data.fields.a"):
        parse_registry(
            text.replace("dataset_id", "x")
            .replace("{a: text}", "{a: textt}")
            .replace("source: opendatasoft", "source: opendatasoft\n    dataset_id: b")
        )


def test_schema_errors_name_dataset_and_field():
    frame = pd.DataFrame({"n": ["1", "deux"], "geo": ["49.4, 1.09", "49.5, 1.1"]})
    with pytest.raises(SchemaMismatchError, match="'demo': field 'n' should be int"):
        apply_schema(frame, {"n": "int"}, dataset="demo")
    with pytest.raises(SchemaMismatchError, match="'demo': field 'absent' is declared"):
        apply_schema(frame, {"absent": "text"}, dataset="demo")
    typed = apply_schema(frame.iloc[:1], {"n": "int", "geo": "geo_point_2d"}, dataset="demo")
    assert list(typed.columns) == ["n", "lat", "lon"]
    assert typed.loc[0, "lat"] == pytest.approx(49.4)


def test_geo_points_are_found_by_type_whatever_their_name():
    frame = pd.DataFrame({"coordinates": [{"lon": 1.09, "lat": 49.44}]})
    typed = apply_schema(frame, {"coordinates": "geo_point_2d"}, dataset="demo")
    assert (typed.loc[0, "lat"], typed.loc[0, "lon"]) == (49.44, 1.09)
