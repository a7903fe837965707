"""The Explorateur never breaks: what the portal refuses is computed on its export.

The loopback portal refuses ODSQL aggregations (``group_by``), or every ODSQL clause (a
portal without ODSQL), or every data request (503, or 400 to everything); a field the
metadata declares may be missing from the data. Each time the page's numbers must equal
the snapshot's (computed by pandas on the export), or the page must say in French what
is missing — never an English exception.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest
from explore_portal import as_portal_dataset, serve_explore_portal
from portal_data import make_dataset

from analyses import explore_page as page
from analyses.explore_plan import FieldInfo
from analyses.explore_sources import Source
from rouen_opendata import breaker
from rouen_opendata.portal_reads import DatasetReads
from widgets import explore_view as view

KEYS = ("permis-construire", "frequentation-equipements", "donmetdec-pav")
"""A map, a series with a measure, bars; over 10,000 rows; many points (clusters)."""
CHOICES = {
    "permis-construire": ("type_dau:PC", "2020-01-01", "", "nb_lgt_crees"),
    "frequentation-equipements": ("commune:Rouen", "2023-01-01", "2023-06-30", "entrees"),
    "donmetdec-pav": ("", "", "", ""),
}
ENGLISH = re.compile(r"Error|Exception|Traceback|portal|query|refused|http", re.IGNORECASE)
"""Words of an English error message or a URL: none may reach a citizen's text."""


@pytest.fixture(scope="module")
def offline() -> dict[str, Source]:
    return {key: page.open_dataset(key, source="snapshot") for key in KEYS}


@pytest.fixture(autouse=True)
def quick_reads(monkeypatch):
    """No retry of the refusals, and no breaker left open by another test."""
    monkeypatch.setenv("OPENDATA_MAX_RETRIES", "0")
    breaker.reset()
    yield
    breaker.reset()


def _same_numbers(a: page.Overview, b: page.Overview) -> None:
    assert a.problems == b.problems
    assert a.count.data == b.count.data > 0
    pd.testing.assert_frame_equal(a.coverage.data, b.coverage.data)
    assert a.bars.keys() == b.bars.keys()
    for name in b.bars:
        pd.testing.assert_series_equal(a.bars[name].data.counts, b.bars[name].data.counts)
    assert (a.series is None) == (b.series is None)
    if b.series is not None:
        pd.testing.assert_frame_equal(a.series.data, b.series.data)
    if b.map is not None:
        assert (a.map.data.kind, a.map.data.located) == (b.map.data.kind, b.map.data.located)
    pd.testing.assert_frame_equal(a.preview.data, b.preview.data, check_dtype=False)


@pytest.mark.parametrize("refuse", ["group_by", "odsql"])
@pytest.mark.parametrize("key", KEYS)
def test_refused_queries_are_computed_on_the_export(key, refuse, offline, monkeypatch):
    served = as_portal_dataset(offline[key])
    with serve_explore_portal(served, refuse=refuse) as portal:
        monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
        live = page.open_dataset(key, source="live")
        shown = page.overview(live, *CHOICES[key])
        requests = list(portal.requests)
    assert live.live and not live.on_portal and live.frame is not None
    assert live.plan.views == offline[key].plan.views
    _same_numbers(shown, page.overview(offline[key], *CHOICES[key]))
    # One whole export (no clause) replaces the refused aggregations; nothing is re-asked.
    whole = [r for r in requests if "/exports/" in r.path and not r.params.get("select")]
    assert len(whole) == 1
    refused = [r for r in requests if r.params.get("group_by")]
    assert len(refused) <= 1
    note = view.reuse_texts(live, shown.count.query)["note"]
    assert note.startswith("Le portail n'a pas fait ce calcul (le portail a refusé la requête")
    assert "export complet" in note and "Error" not in note


def test_a_portal_that_answers_the_aggregations_is_not_sent_the_export(offline, monkeypatch):
    served = as_portal_dataset(offline["permis-construire"])
    with serve_explore_portal(served) as portal:
        monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
        live = page.open_dataset("permis-construire", source="live")
        page.overview(live)
        exports = [r for r in portal.requests if "/exports/" in r.path]
    assert live.on_portal and live.export_reason is None
    assert [bool(r.params.get("select")) for r in exports] == [True]  # the map's points only
    assert view.reuse_texts(live, page.overview(live).count.query)["note"] == ""


def test_a_dataset_never_seen_gets_map_series_and_facets_without_odsql(monkeypatch):
    """Odd field names (``coordonnees``, ``emprise``), found by type; no ODSQL at all."""
    dataset = make_dataset("comptages-inedits", rows=240)
    with serve_explore_portal(dataset, refuse="odsql") as portal:
        monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
        live = page.open_dataset("comptages-inedits", source="live")
        shown = page.overview(live, "compteur:Quai de Paris")
    assert live.plan.map_field.name == "coordonnees" and live.plan.date_field.name == "date"
    assert "compteur" in {f.name for f in live.plan.categories}
    expected = sum(r["compteur"] == "Quai de Paris" for r in dataset.rows)
    assert shown.problems == [] and shown.count.data == expected > 0
    assert shown.map.data.kind == "points" and shown.map.data.located == expected
    assert shown.series.data["n"].sum() == expected
    assert shown.bars["compteur"].data.counts.to_dict() == {"Quai de Paris": expected}


def test_a_field_missing_from_the_data_is_named_in_french(monkeypatch):
    """The metadata declares a field the data lacks: its views say so, the others show."""
    dataset = make_dataset("comptages-fantomes", rows=120)
    with serve_explore_portal(dataset) as portal:
        monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
        live = page.open_dataset("comptages-fantomes", source="live")
        ghost = FieldInfo("remarque", "text", "Remarque du gestionnaire")
        fields = (*live.info.fields, ghost)
        source = Source(
            replace(live.info, fields=fields),
            live.provenance,
            DatasetReads("comptages-fantomes", portal.url),
            live=True,
        )
        page.plan_source(source)
        source.plan = replace(source.plan, categories=(*source.plan.categories, ghost))
        shown = page.overview(source)
    assert source.export_reason is not None  # the unknown field was refused (400)
    assert shown.count.data == len(dataset.rows)
    assert "remarque" not in shown.bars and "compteur" in shown.bars
    assert shown.problems == [
        "la répartition de « Remarque du gestionnaire » non affichée : les données ne "
        "contiennent pas le champ « Remarque du gestionnaire »"
    ]
    assert shown.coverage.data.set_index("nom").loc["remarque", "renseignes"] == 0


@pytest.mark.parametrize(
    ("refuse", "reason"),
    [
        ("data", "le portail est indisponible (erreur 503)."),
        ("everything", "le portail a refusé la requête : paramètre ou expression invalide "
                       "(erreur 400), et son export n'a pas pu être lu (le portail a refusé "
                       "la requête : paramètre ou expression invalide (erreur 400))."),
    ],
)  # fmt: skip
def test_no_data_at_all_is_said_in_french(refuse, reason, monkeypatch):
    dataset = make_dataset("comptages-muets", rows=50)
    with serve_explore_portal(dataset, refuse=refuse) as portal:
        monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
        source, problem = page.try_open("comptages-muets", source="live")
        sent = portal.request_count
    assert source is None and sent <= 3  # metadata, one refused query, at most the export
    assert problem == "Les vues de ce jeu ne peuvent pas être calculées : " + reason


def test_french_texts_of_a_refused_portal_hold_no_english(offline, monkeypatch):
    served = as_portal_dataset(offline["permis-construire"])
    with serve_explore_portal(served, refuse="group_by") as portal:
        monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
        live = page.open_dataset("permis-construire", source="live")
        shown = page.overview(live, "champ_inconnu:1", mesure="inconnue")
    texts = [*shown.problems, view.figures_note(live)]
    assert all(not ENGLISH.search(t) for t in texts), texts


def test_a_portal_that_failed_in_this_build_is_not_asked_again(offline, monkeypatch):
    served = as_portal_dataset(offline["permis-construire"])
    with serve_explore_portal(served) as portal:
        monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
        breaker.trip(portal.url, "le portail n'a pas répondu dans les 15 s")
        fallback = page.open_dataset("permis-construire", source="live")
        source, problem = page.try_open("jeu-du-portail", source="live")
        assert portal.request_count == 0
    assert not fallback.live and fallback.provenance.fallback_reason == (
        "lecture en ligne impossible : le portail n'a pas répondu dans les 15 s"
    )
    assert source is None and "le portail n'a pas répondu dans les 15 s" in problem
