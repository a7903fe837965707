"""What the Explorateur shows is decided from field types: checked on every registry dataset.

For each Opendatasoft dataset of the registry, the field types come from its snapshot's
metadata (or the registry) and the distinct counts are computed here with pandas; the
chosen views must follow the types: a geographic field gives a map, a date field a time
series, repeated short text values bar charts, and nothing else does.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analyses import explore_plan as plan_module
from analyses.explore_plan import (
    GRANULARITIES,
    MAX_PERIODS,
    FieldInfo,
    choose_granularity,
    floor_period,
    is_categorical,
    is_free_text,
    period_count,
    plan_views,
)
from analyses.explore_selection import check_date, make_selection, parse_filter
from analyses.explore_sources import (
    DatasetUnavailableError,
    catalogue,
    connect,
    opendatasoft_specs,
)
from rouen_opendata import load_dataset, load_registry
from rouen_opendata.snapshots import read_meta

KEYS = [spec.key for spec in opendatasoft_specs()]


@pytest.fixture(scope="module", params=KEYS)
def dataset(request) -> tuple[str, tuple[FieldInfo, ...], pd.DataFrame]:
    """Registry key, the fields the Explorateur reads, and the snapshot's frame (under
    the portal's names)."""
    source = connect(request.param, source="snapshot")
    return request.param, source.info.fields, source.frame


def _distinct(fields, frame):
    """Distinct non-empty values of each text field, and the sentence-like ones."""
    counts, free = {}, []
    for f in fields:
        if f.type == "text":
            values = frame[f.name].dropna().astype(str)
            values = values[values.str.strip() != ""]
            counts[f.name] = int(values.nunique()) if values.nunique() <= 100 else None
            if values.str.len().median() > 40:
                free.append(f.name)
    return counts, free


def test_every_opendatasoft_dataset_of_the_registry_is_offered():
    registry = load_registry()
    expected = {s.dataset_id for s in registry if s.source == "opendatasoft"}
    assert {ident for _, ident in catalogue()} == expected
    assert "astuce-gtfs" not in {ident for _, ident in catalogue()}


def test_views_follow_the_field_types(dataset):
    key, fields, frame = dataset
    distinct, free = _distinct(fields, frame)
    plan = plan_views(fields, len(frame), distinct, free)
    kinds = [f.type for f in fields]
    geo = [f for f in fields if f.type in ("geo_point_2d", "geo_shape")]
    dates = [f for f in fields if f.type in ("date", "datetime")]
    assert ("carte" in plan.views) == bool(geo), key
    assert ("serie" in plan.views) == bool(dates), key
    assert plan.map_field == (geo[0] if geo else None)
    assert plan.date_field == (dates[0] if dates else None)
    assert {"indicateurs", "champs", "tableau"} <= set(plan.views)
    for category in plan.categories:
        assert category.type == "text" and category.name not in free
        count = distinct[category.name]
        assert count is not None and 2 <= count <= 100 and 2 * count <= len(frame), category
    for f in fields:
        if f.type == "text" and distinct[f.name] in (len(frame), 1):
            assert f not in plan.filterable, f"{key}: {f.name} has unique or constant values"
    assert not any(f.type in ("geo_point_2d", "geo_shape") for f in plan.table)
    assert plan.measures == tuple(f for f in fields if f.type in ("int", "double"))
    assert len(kinds) == len(plan.fields)


EXPECTED_CATEGORIES = {
    "donmetdec-pav": {"commune", "pavtyp"},
    "frequentation-equipements": {"equipement", "type_equipement", "commune", "ouvert"},
    "energie-communes": {"nom_commune", "filiere", "code_commune", "code_grand_secteur"},
}
"""Read from the data: addresses (1,370 values) and department codes (one) are not bars."""


@pytest.mark.parametrize("key", sorted(EXPECTED_CATEGORIES))
def test_categories_are_the_repeated_short_text_fields(key):
    source = connect(key, source="snapshot")
    frame = source.frame
    assert len(frame) == len(load_dataset(key).frame)
    distinct, free = _distinct(source.info.fields, frame)
    plan = plan_views(source.info.fields, len(frame), distinct, free)
    assert {f.name for f in plan.categories} == EXPECTED_CATEGORIES[key]


def test_a_snapshot_is_explored_under_the_portals_field_names_and_labels():
    """The registry renames the trees' fields for its notebook; the Explorateur shows the
    portal's names in its requests and the portal's labels in its views."""
    source = connect("arbres-remarquables", source="snapshot")
    meta = read_meta("arbres-remarquables")["fields"]
    assert [(f.name, f.label) for f in source.info.fields] == [
        (f["name"], f["label"]) for f in meta
    ]
    points = [f.name for f in source.info.fields if f.type == "geo_point_2d"]
    assert set(source.frame.columns) == {f["name"] for f in meta} - set(points) | {"lat", "lon"}
    renamed = load_dataset("arbres-remarquables").frame
    assert len(source.frame) == len(renamed) and "species_fr" in renamed.columns


def test_gtfs_and_unknown_ids_get_one_short_french_sentence():
    with pytest.raises(DatasetUnavailableError, match="un flux GTFS .*, pas un jeu Opendatasoft"):
        connect("astuce-gtfs", source="snapshot")
    with pytest.raises(DatasetUnavailableError) as caught:
        connect("jeu-inconnu", source="snapshot")
    message = str(caught.value)
    assert message.startswith("« jeu-inconnu » n'est pas un jeu de données disponible hors ligne")
    # The datasets one may choose are listed by the board, behind a disclosure, not here.
    assert len(message) < 160
    assert catalogue() and not any(title in message for title, _ in catalogue())


def test_a_dataset_is_found_by_portal_id_or_registry_key():
    by_id = connect("donmetdec_pav", source="snapshot")
    by_key = connect("donmetdec-pav", source="snapshot")
    assert by_id.info == by_key.info and by_id.info.key == "donmetdec-pav"


@pytest.mark.parametrize(
    ("distinct", "records", "expected"),
    [
        (None, 1000, False),  # more values than asked
        (1, 1000, False),  # constant
        (2, 3, False),  # fewer than two records per value
        (2, 4, True),
        (15, 30, True),  # few values, each used twice
        (16, 79, False),  # beyond FEW_VALUES needs 16 <= 0.2 × records
        (16, 80, True),
        (100, 10_000, True),
        (101, 10_000, False),
    ],
)
def test_is_categorical_boundaries(distinct, records, expected):
    assert is_categorical(distinct, records) is expected


def test_sentences_are_not_categories():
    assert is_free_text(["Groupe d'arbres. Informations supplémentaires sur le pupitre."] * 3)
    assert not is_free_text(["Rouen", "Forêt domaniale de Roumare"])
    fields = [FieldInfo("commentaire", "text"), FieldInfo("commune", "text")]
    plan = plan_views(fields, 100, {"commentaire": 3, "commune": 3}, free_text=["commentaire"])
    assert [f.name for f in plan.categories] == ["commune"]


def test_identifier_like_categories_come_last_and_are_capped():
    fields = [FieldInfo(n, "text") for n in ("code_commune", "commune", "id", "type", "etat", "a")]
    plan = plan_views(
        fields, 1000, dict.fromkeys(["code_commune", "commune", "id", "type", "etat", "a"], 5)
    )
    names = [f.name for f in plan.categories]
    assert names == ["commune", "type", "etat", "a"][: plan_module.MAX_BAR_CHARTS]
    assert {f.name for f in plan.filterable} == {f.name for f in fields}


def test_fields_naming_a_person_are_never_shown():
    fields = [
        FieldInfo("prenom", "text", "Prénom"),
        FieldInfo("email", "text", "Courriel"),
        FieldInfo("nom", "text", "Nom"),
        FieldInfo("commune", "text", "Commune"),
    ]
    plan = plan_views(fields, 100, dict.fromkeys(["prenom", "email", "nom", "commune"], 4))
    assert set(plan.hidden) == {"prenom", "email", "nom"}
    assert [f.name for f in plan.table] == ["commune"] == [f.name for f in plan.categories]


def test_points_are_preferred_to_shapes_and_the_first_date_is_used():
    fields = [
        FieldInfo("emprise", "geo_shape"),
        FieldInfo("maj", "datetime"),
        FieldInfo("coordonnees", "geo_point_2d"),
        FieldInfo("jour", "date"),
    ]
    plan = plan_views(fields, 10)
    assert plan.map_field.name == "coordonnees" and plan.date_field.name == "maj"
    only_shapes = plan_views([FieldInfo("emprise", "geo_shape")], 10)
    assert only_shapes.map_field.name == "emprise" and "serie" not in only_shapes.views


@pytest.mark.parametrize(
    ("start", "end", "kind", "expected"),
    [
        ("2024-03-01 00:00", "2024-03-03 12:00", "datetime", "heure"),  # 61 hours
        ("2024-03-01", "2024-03-03", "date", "jour"),  # no hours in a date field
        ("2024-01-01", "2024-04-29", "date", "jour"),  # 120 days
        ("2024-01-01", "2024-04-30", "date", "semaine"),  # 121 days
        ("2023-01-01", "2024-12-31", "datetime", "semaine"),  # 106 ISO weeks
        ("2022-01-01", "2024-12-31", "date", "mois"),  # 157 weeks, 36 months
        ("2000-01-01", "2024-12-31", "date", "annee"),  # 300 months
    ],
)
def test_granularity_is_the_finest_within_the_period_limit(start, end, kind, expected):
    granularity = choose_granularity(start, end, kind)
    assert granularity.key == expected
    assert period_count(pd.Timestamp(start), pd.Timestamp(end), granularity) <= MAX_PERIODS
    finer = GRANULARITIES[: GRANULARITIES.index(granularity)]
    for other in finer:
        if other.key != "heure" or kind == "datetime":
            assert period_count(pd.Timestamp(start), pd.Timestamp(end), other) > MAX_PERIODS


def test_periods_start_on_monday_first_of_month_and_new_year():
    stamps = pd.Series(pd.to_datetime(["2023-01-01 23:30", "2024-02-29 08:15", "2024-12-30 00:00"]))
    weeks = {g.key: floor_period(stamps, g).tolist() for g in GRANULARITIES}
    assert weeks["semaine"] == [pd.Timestamp(d) for d in ("2022-12-26", "2024-02-26", "2024-12-30")]
    assert weeks["mois"] == [pd.Timestamp(d) for d in ("2023-01-01", "2024-02-01", "2024-12-01")]
    assert weeks["annee"] == [pd.Timestamp(d) for d in ("2023-01-01", "2024-01-01", "2024-01-01")]
    assert weeks["heure"][1] == pd.Timestamp("2024-02-29 08:00")


def test_filter_text_is_read_as_field_value_pairs():
    assert parse_filter(" commune:Rouen , pavtyp:Textile,") == [
        ("commune", "Rouen"),
        ("pavtyp", "Textile"),
    ]
    assert parse_filter("heure:08:00") == [("heure", "08:00")]
    with pytest.raises(ValueError, match="ne suit pas la forme champ:valeur"):
        parse_filter("Rouen")


def test_selection_leaves_out_what_it_cannot_apply():
    fields = [
        FieldInfo("commune", "text"),
        FieldInfo("annee", "int"),
        FieldInfo("surface", "double"),
        FieldInfo("jour", "date"),
    ]
    plan = plan_views(fields, 100, {"commune": 5})
    selection, problems = make_selection(
        plan,
        "commune:Rouen,commune:Elbeuf,annee:deux,surface:3.5,rue:Jeanne,annee:2024",
        "2024-12-31",
        "2024-01-01",
    )
    assert selection.filters == (("commune", "Rouen"), ("annee", "2024"))
    assert (selection.start, selection.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert selection.end_exclusive == date(2025, 1, 1) and selection.date_field == "jour"
    assert len(problems) == 4
    assert any("une seule valeur par champ" in p for p in problems)
    assert any("« deux » n'est pas un entier" in p for p in problems)
    assert any("seuls les champs texte ou entiers" in p for p in problems)
    assert any("« rue » ignoré : ce champ n'existe pas" in p for p in problems)
    undated = plan_views([FieldInfo("commune", "text")], 10)
    selection, problems = make_selection(undated, "", "2024-01-01", "")
    assert selection.start is None and problems == [
        "période ignorée : ce jeu de données n'a pas de champ date"
    ]


def test_dates_from_an_address_are_checked_in_french():
    assert check_date("") == "" and check_date("2024-05-01") == "2024-05-01"
    with pytest.raises(ValueError, match="« hier » n'est pas une date"):
        check_date("hier")
