"""The « arbres remarquables » notebook shows the 13 trees as the survey describes them.

Figures recorded by each run (``reuse-results``) are compared with values read here
directly from the snapshot's text fields.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from notebook_runs import Run, assert_light_and_clean, assert_refused, execute_runs

from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "arbres-remarquables"
RUNS = {
    "defaults": {},
    "roumare": {"foret": "Forêt domaniale de Roumare"},
    "hetres": {"essence": "Hêtre commun"},
}


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME))


@pytest.fixture(scope="module")
def trees() -> pd.DataFrame:
    return load_dataset("arbres-remarquables").frame


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+", text)]


def _middle_height(text: str) -> float:
    values = _numbers(text)
    return sum(values) / len(values)  # « 39 m » → 39, « 8 à 10 m » → 9


def test_defaults_show_every_tree_with_its_links(executed, trees):
    run = executed["defaults"]
    shown = run.results
    assert shown["trees"] == len(trees) and shown["names"] == sorted(trees["name"])
    assert shown["forests"] == trees["forest"].nunique()
    assert shown["markers"] == len(trees)
    links = trees[["pdf_url", "photo_url"]].stack().str.startswith("https://").sum()
    assert shown["links"] == links
    assert shown["tallest"] == max(max(_numbers(h)) for h in trees["height"])
    heights = {
        name: _middle_height(h) for name, h in zip(trees["name"], trees["height"], strict=True)
    }
    assert dict(shown["heights"]) == pytest.approx(heights)
    assert [v for _, v in shown["heights"]] == sorted(heights.values(), reverse=True)
    texts = run.widget_texts
    assert "plus de 150 ans" in texts and "8 à 10 m" in texts  # ranges kept as written
    popups = [m["value"] for m in run.models("HTMLModel") if "rr-popup-links" in m["value"]]
    assert len(popups) == len(trees) and all("Fiche descriptive (PDF)" in p for p in popups)
    assert "<img" not in run.raw_texts  # photos are linked, never embedded


def test_defaults_oldest_is_a_lower_bound(executed, trees):
    shown = executed["defaults"].results
    lowest_ages = [_numbers(a)[0] for a in trees["age_estimate_raw"]]
    assert shown["oldest_at_least"] == max(lowest_ages)


def test_one_forest(executed, trees):
    shown = executed["roumare"].results
    roumare = trees[trees["forest"] == "Forêt domaniale de Roumare"]
    assert shown["trees"] == shown["markers"] == len(roumare)
    assert shown["names"] == sorted(roumare["name"])
    assert shown["forests"] == 1


def test_one_species_counts_mixed_groups(executed, trees):
    shown = executed["hetres"].results
    beeches = trees[trees["species_fr"].str.contains("Hêtre commun")]
    assert shown["trees"] == len(beeches) and shown["names"] == sorted(beeches["name"])
    species = dict(shown["species"])
    assert species["Hêtre commun"] == len(beeches)
    mixed = beeches["species_fr"].str.contains(",").sum()
    assert species.get("Chêne sessile", 0) == mixed  # « Les arbres de l'alliance »


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_an_unknown_forest_fails_with_a_french_message(tmp_path):
    assert_refused(NAME, {"foret": "Forêt de Brotonne"}, tmp_path, "n'est pas un choix possible")
