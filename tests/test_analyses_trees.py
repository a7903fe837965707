"""Measures read from the trees survey's text, without inventing numbers."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from analyses.trees import (
    Measure,
    latin_names,
    measures,
    midpoint,
    parse_range,
    range_text,
    species_names,
)
from rouen_opendata import load_dataset


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("39 m", 39.0, 39.0, "m"),
        ("8 à 10 m", 8.0, 10.0, "m"),
        ("44 à 68 cm", 44.0, 68.0, "cm"),
        ("120/150 ans", 120.0, 150.0, "ans"),
        ("plus de 150 ans", 150.0, None, "ans"),
        ("12,5 m", 12.5, 12.5, "m"),
        ("10 - 8 m", 8.0, 10.0, "m"),
    ],
)
def test_parse_range_keeps_what_the_text_says(text, low, high, unit):
    measure = parse_range(text)
    assert (measure.low, measure.high, measure.unit, measure.text) == (low, high, unit, text)


def test_unreadable_or_missing_text_gives_no_number(caplog):
    assert parse_range("environ un siècle") == Measure(None, None, "", "environ un siècle")
    assert "unreadable measure" in caplog.text
    assert parse_range(pd.NA).low is None and parse_range(None).text == ""


def test_midpoint_only_for_values_and_ranges():
    assert midpoint(parse_range("8 à 10 m")) == 9.0
    assert midpoint(parse_range("39 m")) == 39.0
    assert midpoint(parse_range("plus de 150 ans")) is None
    assert parse_range("8 à 10 m").is_range and parse_range("plus de 150 ans").is_lower_bound


def test_measures_columns_and_range_text():
    frame = measures(pd.Series(["8 à 10 m", "plus de 150 ans"], index=[3, 7]), "x")
    assert list(frame.columns) == ["x_min", "x_max", "x_milieu"] and list(frame.index) == [3, 7]
    assert frame.loc[3].tolist() == [8.0, 10.0, 9.0]
    assert frame.loc[7, "x_min"] == 150.0 and math.isnan(frame.loc[7, "x_max"])
    assert range_text(8, 10, "m") == "8 à 10\u00a0m"
    assert range_text(150, None, "ans") == "plus de 150\u00a0ans"
    assert range_text(12.5, 12.5, "m") == "12,5\u00a0m" and range_text(None, 3, "m") == ""


def test_species_names_split_groups_and_latin():
    text = "Hêtre commun – Fagus sylvatica, Chêne sessile - Quercus petraea"
    assert species_names(text) == ["Hêtre commun", "Chêne sessile"]
    assert latin_names(text) == ["Fagus sylvatica", "Quercus petraea"]
    assert species_names("Douglas") == ["Douglas"] and latin_names("Douglas") == []
    assert species_names(None) == []


def test_every_measure_of_the_snapshot_is_read():
    trees = load_dataset("arbres-remarquables").frame
    for column in ("height", "trunk_diameter", "age_estimate_raw"):
        parsed = [parse_range(text) for text in trees[column]]
        assert all(m.low is not None for m in parsed), column
    heights = measures(trees["height"], "h")
    largest_written = max(float(re.findall(r"\d+", text)[-1]) for text in trees["height"])
    assert heights["h_max"].max() == largest_written
    assert int(heights["h_max"].gt(heights["h_min"]).sum()) == int(
        trees["height"].str.contains(" à ").sum()
    )


def _survey() -> pd.DataFrame:
    from analyses import trees

    raw = pd.DataFrame(
        {
            "name": ["Grand Hêtre", "Vieux Chêne", "Bosquet"],
            "forest": ["Roumare", "Verte", "Roumare"],
            "species_fr": [
                "Hêtre commun – Fagus sylvatica",
                "Chêne sessile - Quercus petraea",
                "Hêtre commun, Chêne sessile",
            ],
            "height": ["39 m", "8 à 10 m", "39 m"],
            "trunk_diameter": ["80 cm", "", "44 à 68 cm"],
            "age_estimate_raw": ["120/150 ans", "plus de 150 ans", "100 ans"],
        }
    )
    return trees.survey(raw)


def test_survey_parses_measures_and_species_and_select_filters():
    from analyses import trees

    table = _survey()
    assert table["hauteur_milieu"].tolist() == [39.0, 9.0, 39.0]
    assert table["essence_texte"].tolist() == [
        "Hêtre commun",
        "Chêne sessile",
        "Hêtre commun, Chêne sessile",
    ]
    assert trees.species_choices(table) == ["Toutes", "Chêne sessile", "Hêtre commun"]
    assert trees.select(table, "Toutes", "Toutes")["name"].tolist() == table["name"].tolist()
    assert trees.select(table, "Roumare", "Chêne sessile")["name"].tolist() == ["Bosquet"]
    assert trees.select(table, "Verte", "Hêtre commun").empty
    assert trees.tallest(table)["name"].tolist() == ["Grand Hêtre", "Bosquet"]
    assert trees.oldest(table)["name"].tolist() == ["Vieux Chêne"]
