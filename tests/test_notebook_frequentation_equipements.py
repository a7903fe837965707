"""The « fréquentation des équipements » notebook shows the right numbers for each selection.

Each run is executed once with papermill; ``RESULTS`` reads what the page drew through
the dashboard runtime (``view`` is the last view drawn, ``figures`` the notebook's
:class:`widgets.entries_board.AttendanceFigures`), and the figures are compared with sums
made here directly with pandas on the generated sample. Deep links are executed the way
Voilà runs a kernel that is not preheated (``VOILA_PREHEAT=False`` and the visitor's
``QUERY_STRING`` in the kernel's environment).
"""

from __future__ import annotations

import pandas as pd
import pytest
from notebook_runs import (
    Run,
    address_after_changes,
    address_notice,
    address_state,
    assert_light_and_clean,
    assert_refused,
    execute_runs,
    open_addresses,
)

from analyses.attendance import SCHOOL_HOLIDAYS_ZONE_B
from rouen_opendata import load_dataset
from widgets import format_number

pytestmark = pytest.mark.slow

NAME = "frequentation-equipements"
RUNS = {
    "defaults": {},
    "ice-rink": {"equipement": "PAT-01", "debut": "2023-01-01", "fin": "2024-12-31", "pas": "Mois"},
    "pool-by-name": {
        "equipement": "Centre aquatique Eurocéane",
        "type_equipement": "Piscine",
        "debut": "2023-06-01",
        "fin": "2023-08-31",
        "pas": "Jour",
    },
    "unknown-dataset": {"jeu_de_donnees": "frequentation-inconnue", "type_equipement": "Musée"},
}
DEEP_LINKS = {
    "place-of-another-type": "type_equipement=Piscine&equipement=PAT-01&pas=Mois",
    "backwards-period-and-a-name-of-another-type": (
        "type_equipement=Mus%C3%A9e&equipement=centre+aquatique+euroc%C3%A9ane"
        "&debut=2024-06-01&fin=2024-01-01"
    ),
    "one-day-everything-closed": "debut=2022-01-01&fin=2022-01-01&pas=Jour",
}
"""Query strings of dashboard addresses, as a visitor's browser sends them."""
RESULTS = """
import pandas as pd


def pairs(chart):
    \"\"\"Label and value of each bar, None for a missing value (JSON has no NaN).\"\"\"
    return [
        [label, None if pd.isna(value) else float(value)]
        for label, value in zip(chart.labels, chart.values, strict=True)
    ]


def known(values):
    \"\"\"The same figures, None where there is no value (a closed period: no NaN in JSON).\"\"\"
    if values is None:
        return None
    return {name: None if pd.isna(value) else value for name, value in values.items()}


line = figures.timeline.line
results = {
    "dataset": data.key,
    "problem": data.problem,
    "generated": provenance.generated,
    "period": [view["start"].date().isoformat(), view["end"].date().isoformat()],
    "totals": known(view["totals"]),
    "previous": known(view["previous"]),
    "cards": {name: card.text for name, card in figures.cards.items()},
    "timeline": {
        "points": len(line.x),
        "sum": float(line.y.sum()),
        "first": str(line.x[0])[:10] if len(line.x) else None,
    },
    "calendar": {
        "view": figures.calendar.view,
        "values": int(figures.calendar.grid_frame.notna().sum().sum()),
        "sum": float(figures.calendar.grid_frame.sum().sum()),
    },
    "weekday": pairs(figures.by_weekday),
    "month": pairs(figures.by_month),
    "holidays": pairs(figures.by_holidays),
    "yearly": pairs(figures.by_year),
    "per_seat": pairs(figures.per_seat),
}
"""
"""Gathers what the page drew (run after the notebook; ``parameters`` added by
``notebook_runs``: the values drawn)."""
DAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    frame = load_dataset(NAME).frame
    return frame.assign(
        entrees=frame["entrees"].astype(float),
        open=frame["ouvert"].eq("oui").astype(bool),
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def deep_linked(tmp_path_factory) -> dict[str, Run]:
    """Each of ``DEEP_LINKS`` opened in Voilà (a kernel that is not preheated)."""
    return open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)


def _rows(sample, start, end, facility=None, kind=None):
    keep = sample["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    if facility:
        keep &= sample["equipement_id"] == facility
    if kind:
        keep &= sample["type_equipement"] == kind
    return sample[keep]


def _per_open_day(rows, by):
    grouped = rows.groupby(by)
    return grouped["entrees"].sum() / grouped["open"].sum()


def _check_totals(shown, rows):
    entries, opened = rows["entrees"].sum(), int(rows["open"].sum())
    assert shown["entries"] == entries and shown["open_days"] == opened
    assert shown["per_open_day"] == pytest.approx(entries / opened)
    assert shown["per_seat"] == pytest.approx(entries / rows.loc[rows["open"], "capacite"].sum())


def test_defaults_show_the_last_twelve_months_of_every_facility(runs, sample):
    run = runs["defaults"]
    shown = run.results
    last = sample["date"].max()
    start = last - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    assert shown["period"] == [start.date().isoformat(), last.date().isoformat()]
    rows = _rows(sample, start, last)
    _check_totals(shown["totals"], rows)
    before = _rows(sample, start - pd.DateOffset(years=1), last - pd.DateOffset(years=1))
    _check_totals(shown["previous"], before)
    assert shown["cards"]["entries"] == f"{format_number(rows['entrees'].sum())}\u00a0entrées"
    weekday = _per_open_day(rows, rows["date"].dt.day_of_week)
    assert dict(shown["weekday"]) == pytest.approx(dict(zip(DAYS, weekday, strict=True)))
    per_seat = _per_open_day(rows, "equipement") / rows.groupby("equipement")["capacite"].first()
    assert dict(shown["per_seat"]) == pytest.approx(per_seat.to_dict())
    assert [v for _, v in shown["per_seat"]] == sorted(per_seat, reverse=True)
    assert shown["calendar"]["view"] == "semaines"
    opened_days = rows.groupby("date")["open"].any()
    assert shown["calendar"]["values"] == int(opened_days.sum())
    assert shown["calendar"]["sum"] == rows["entrees"].sum()
    yearly = _per_open_day(sample, sample["date"].dt.year)
    assert dict(shown["yearly"]) == pytest.approx({str(y): v for y, v in yearly.items()})
    assert shown["generated"] is True and shown["problem"] == ""
    assert "Données d'exemple générées" in run.widget_texts


def test_weeks_are_whole_and_holidays_follow_the_official_calendar(runs, sample):
    shown = runs["defaults"].results
    start, end = pd.Timestamp(shown["period"][0]), pd.Timestamp(shown["period"][1])
    rows = _rows(sample, start, end)
    monday = rows["date"] - pd.to_timedelta(rows["date"].dt.day_of_week, unit="D")
    whole = rows.groupby(monday)["date"].nunique().eq(7)
    assert shown["timeline"]["points"] == int(whole.sum())
    assert shown["timeline"]["sum"] == rows.loc[monday.map(whole), "entrees"].sum()
    holidays = pd.Series(False, index=rows.index)
    for first, back in SCHOOL_HOLIDAYS_ZONE_B:
        holidays |= (rows["date"] >= first) & (rows["date"] < back)
    expected = _per_open_day(rows, holidays)
    assert dict(shown["holidays"]) == pytest.approx(
        {"Vacances scolaires": expected[True], "Hors vacances": expected[False]}
    )


def test_ice_rink_by_month_shows_its_summer_closure(runs, sample):
    shown = runs["ice-rink"].results
    assert shown["parameters"]["equipement"] == "PAT-01"
    rows = _rows(sample, "2023-01-01", "2024-12-31", facility="PAT-01")
    _check_totals(shown["totals"], rows)
    _check_totals(shown["previous"], _rows(sample, "2022-01-01", "2023-12-31", facility="PAT-01"))
    assert shown["timeline"] == {"points": 24, "sum": rows["entrees"].sum(), "first": "2023-01-01"}
    months = dict(shown["month"])
    assert months["Juin"] is None and months["Juillet"] is None and months["Août"] is None
    expected = _per_open_day(rows, rows["date"].dt.month)
    assert months["Janvier"] == pytest.approx(expected[1])
    assert shown["calendar"]["view"] == "mois"  # two years: months × days
    assert [label for label, _ in shown["per_seat"]] == ["Patinoire de l'Île Lacroix"]


def test_a_pool_named_in_full_over_one_summer(runs, sample):
    run = runs["pool-by-name"]
    shown = run.results
    assert shown["parameters"]["equipement"] == "PIS-03"
    rows = _rows(sample, "2023-06-01", "2023-08-31", facility="PIS-03")
    _check_totals(shown["totals"], rows)
    assert shown["timeline"]["points"] == 92 and shown["timeline"]["sum"] == rows["entrees"].sum()
    pools = _rows(sample, "2023-06-01", "2023-08-31", kind="Piscine")
    per_seat = _per_open_day(pools, "equipement") / pools.groupby("equipement")["capacite"].first()
    assert dict(shown["per_seat"]) == pytest.approx(per_seat.to_dict())
    assert "Centre aquatique Eurocéane" in run.widget_texts


def test_an_unknown_dataset_key_explains_itself_and_shows_the_sample(runs, sample):
    run = runs["unknown-dataset"]
    shown = run.results
    assert shown["dataset"] == NAME
    assert "« frequentation-inconnue » n'est pas déclaré" in shown["problem"]
    assert "Jeu de données demandé non disponible" in run.widget_texts
    assert "frequentation-inconnue" in run.widget_texts
    end = sample["date"].max()
    start = end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    _check_totals(shown["totals"], _rows(sample, start, end, kind="Musée"))


def test_executed_pages_stay_light(runs):
    assert_light_and_clean(runs)


def test_an_unknown_facility_fails_with_a_french_message(tmp_path):
    assert_refused(
        NAME, {"equipement": "Piscine X"}, tmp_path, "« Piscine X » est inconnu", RESULTS
    )


def test_a_place_of_another_type_gives_a_notice_and_every_place_of_the_type(deep_linked, sample):
    run = deep_linked["place-of-another-type"]
    shown = run.results
    assert shown["parameters"]["type_equipement"] == "Piscine"  # the valid parts still apply
    assert shown["parameters"]["pas"] == "Mois"
    assert shown["parameters"]["equipement"] == "Tous"  # PAT-01 is the ice rink: refused
    end = sample["date"].max()
    start = end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    assert shown["period"] == [start.date().isoformat(), end.date().isoformat()]
    _check_totals(shown["totals"], _rows(sample, start, end, kind="Piscine"))
    notice = address_notice(run)
    assert (
        "« PAT-01 » n'est pas un choix possible pour « equipement » "
        "quand « type_equipement » vaut « Piscine »"
    ) in notice
    assert "(choix possibles : « Tous », « PIS-03 » (Centre aquatique Eurocéane)," in notice


def test_a_backwards_period_and_a_place_named_for_another_type_are_refused(deep_linked, sample):
    run = deep_linked["backwards-period-and-a-name-of-another-type"]
    shown = run.results
    assert shown["parameters"]["type_equipement"] == "Musée"
    assert shown["parameters"]["equipement"] == "Tous"
    assert shown["period"] == ["2023-01-02", "2024-01-01"]  # the start refused: a year to the end
    _check_totals(shown["totals"], _rows(sample, "2023-01-02", "2024-01-01", kind="Musée"))
    notice = address_notice(run)
    assert (
        "« centre aquatique eurocéane » n'est pas un choix possible pour « equipement » "
        "quand « type_equipement » vaut « Musée »"
    ) in notice
    assert "la période commence (2024-06-01) après sa fin (2024-01-01)" in notice
    assert "Paramètres acceptés : equipement (texte, par défaut « Tous »)" in notice


def test_a_day_when_everything_is_closed_has_no_per_day_figures(deep_linked, sample):
    run = deep_linked["one-day-everything-closed"]
    rows = _rows(sample, "2022-01-01", "2022-01-01")
    assert not rows["open"].any()  # 1 January: every facility is closed in the sample
    shown = run.results
    assert shown["period"] == ["2022-01-01", "2022-01-01"]
    assert shown["totals"]["open_days"] == 0
    assert shown["totals"]["per_open_day"] is None and shown["totals"]["per_seat"] is None
    streams = [
        out.get("name")
        for cell in run.notebook["cells"]
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream"
    ]
    assert "stderr" not in streams  # no NaN warning from the results' JSON


def test_deep_linked_pages_stay_light_without_incident(deep_linked):
    assert_light_and_clean(deep_linked)


def test_changing_the_controls_keeps_the_address_in_step():
    changes = [
        ("type_equipement", "Patinoire"),
        ("equipement", "PAT-01"),
        ("type_equipement", "Tous"),
        ("type_equipement", "Musée"),
    ]
    states = address_after_changes(NAME, "type_equipement=Piscine&equipement=PIS-03", changes)
    period = "&debut={debut}&fin={fin}".format(**states[0][0])  # the default period
    shown = [(v["type_equipement"], v["equipement"], state) for v, state in states]
    assert shown == [
        # PIS-03 is no ice rink: back to every place, gone from the address too
        ("Patinoire", "Tous", address_state(f"type_equipement=Patinoire{period}")),
        (
            "Patinoire",
            "PAT-01",
            address_state(f"equipement=PAT-01&type_equipement=Patinoire{period}"),
        ),
        ("Tous", "PAT-01", address_state(f"equipement=PAT-01{period}")),
        ("Musée", "Tous", address_state(f"type_equipement=Mus%C3%A9e{period}")),
    ]
