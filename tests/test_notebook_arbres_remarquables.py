"""The « arbres remarquables » notebook shows the 13 trees as the survey describes them.

Figures read after each run (``RESULTS``, from the page the runtime drew) are compared
with values read here directly from the snapshot's text fields.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from notebook_runs import (
    ADDRESS_NOTICE,
    Run,
    address_after_changes,
    address_notice,
    address_state,
    assert_light_and_clean,
    assert_refused,
    execute_runs,
    open_addresses,
)

from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "arbres-remarquables"
RUNS = {
    "defaults": {},
    "roumare": {"foret": "Forêt domaniale de Roumare"},
    "hetres": {"essence": "Hêtre commun"},
}
RESULTS = """
def pairs(chart):
    return [[label, v] for label, v in zip(chart.labels, chart.values, strict=True)]


results = {
    "trees": len(view),
    "names": sorted(view["name"]),
    "forests": figures.cards["forests"].figure,
    "tallest": figures.cards["tallest"].figure,
    "oldest_at_least": figures.cards["oldest"].figure,
    "heights": pairs(figures.heights),
    "species": pairs(figures.species),
    "markers": sum(len(layer.layers) for layer in figures.layers.values()),
    "links": figures.links_box.value.count("<a "),
}
"""
"""What the tests read from a run: ``view`` is the trees the page drew."""
DEEP_LINKS = {
    "roumare": "foret=For%C3%AAt+domaniale+de+Roumare",
    "unknown-forest": "foret=Tour+Eiffel&essence=H%C3%AAtre+commun",
}
"""Query strings of dashboard addresses, as a visitor's browser sends them."""


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def deep_linked(tmp_path_factory) -> dict[str, Run]:
    """Each of ``DEEP_LINKS`` opened in Voilà (a kernel that is not preheated)."""
    return open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)


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


def test_a_deep_link_shows_what_the_gallery_variant_shows(executed, deep_linked):
    run = deep_linked["roumare"]
    assert run.results == executed["roumare"].results
    assert address_notice(run) == ""


def test_an_unknown_forest_in_the_address_gets_a_short_notice_at_the_top(deep_linked, trees):
    run = deep_linked["unknown-forest"]
    beeches = trees[trees["species_fr"].str.contains("Hêtre commun")]
    assert run.results["parameters"] == {"foret": "Toutes", "essence": "Hêtre commun"}
    assert run.results["names"] == sorted(beeches["name"])  # the valid part still applies
    top = run.first_widget_texts  # the first thing the page shows
    assert ADDRESS_NOTICE in top
    short, disclosed = top.split("<details", 1)
    assert (
        "« Tour Eiffel » n'est pas un choix possible pour « Forêt ». Choisissez dans la liste"
        in (short)
    )
    assert not any(forest in short for forest in trees["forest"].unique())
    for forest in trees["forest"].unique():
        assert f"« {forest} »" in disclosed  # every choice, behind the disclosure
    assert_light_and_clean(deep_linked)


def test_the_address_follows_the_controls():
    forest = "Forêt domaniale Verte"
    states = address_after_changes(NAME, "", [("foret", forest), ("essence", "Toutes")])
    assert [values for values, _ in states] == [
        {"foret": forest, "essence": "Toutes"},
        {"foret": forest, "essence": "Toutes"},
    ]
    assert states[0][1] == address_state("foret=For%C3%AAt%20domaniale%20Verte")
