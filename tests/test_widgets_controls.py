"""Controls keyed by parameter name: values typed as the parameters, one callback."""

from __future__ import annotations

from datetime import date

import pytest

from widgets import ParameterControls, date_picker, date_range, dropdown, multi_select, set_options


@pytest.fixture
def controls() -> ParameterControls:
    return ParameterControls(
        {
            "mode": dropdown("Mode", ["Tous", "Métro", "TEOR"], "Tous"),
            "ligne": dropdown("Ligne", [("Toutes les lignes", "Toutes"), ("T1 · A ↔ B", "T1")]),
            "date": date_picker("Jour précis", "", min="2024-01-01", max="2024-12-31"),
        }
    )


def test_values_map_one_to_one_to_parameters(controls):
    assert controls.values == {"mode": "Tous", "ligne": "Toutes", "date": ""}
    controls.controls["date"].value = date(2024, 3, 5)
    assert controls.values["date"] == "2024-03-05"


def test_observe_calls_back_with_all_values(controls):
    seen = []
    controls.observe(seen.append)
    controls.controls["mode"].value = "Métro"
    assert seen == [{"mode": "Métro", "ligne": "Toutes", "date": ""}]


def test_hold_batches_changes_or_silences_them(controls):
    seen = []
    controls.observe(seen.append)
    with controls.hold():
        controls.controls["mode"].value = "TEOR"
        controls.controls["ligne"].value = "T1"
    assert seen == [{"mode": "TEOR", "ligne": "T1", "date": ""}]
    with controls.hold(notify=False):
        controls.controls["mode"].value = "Tous"
    assert len(seen) == 1


def _cascade(controls, *, silently: bool):
    """A notebook's callback: the mode's lines replace the line options (T1 is TEOR)."""
    lines = {"Tous": ["Toutes", "T1"], "Métro": ["Toutes"], "TEOR": ["Toutes", "T1"]}

    def refresh(values):
        with controls.hold(notify=not silently):
            set_options(controls.controls["ligne"], lines[values["mode"]], values["ligne"])

    return refresh


@pytest.mark.parametrize("silently", [True, False], ids=["hold-notify-false", "plain"])
def test_settled_observers_see_the_values_after_the_whole_cascade(controls, silently):
    controls.controls["ligne"].value = "T1"
    settled, seen = [], []
    controls.observe(settled.append, settled=True)  # first, as sync_url is
    controls.observe(_cascade(controls, silently=silently))
    controls.observe(seen.append)
    controls.controls["mode"].value = "Métro"  # T1 is no metro line: back to Toutes
    final = {"mode": "Métro", "ligne": "Toutes", "date": ""}
    assert controls.values == final
    assert settled == [final]  # once, after the callbacks, with the fallback
    assert seen[-1] == final or silently  # silent changes are the callback's own business
    with controls.hold(notify=False):  # changed by the notebook outside any callback
        controls.controls["mode"].value = "TEOR"
    assert settled[-1] == {**final, "mode": "TEOR"} and len(settled) == 2


def test_callbacks_end_with_the_latest_values_when_one_changes_a_control(controls):
    controls.controls["ligne"].value = "T1"
    seen = []
    controls.observe(_cascade(controls, silently=False))
    controls.observe(seen.append)
    controls.controls["mode"].value = "Métro"
    assert seen[-1] == {"mode": "Métro", "ligne": "Toutes", "date": ""}


def test_traitlets_observe_still_works(controls):
    seen = []
    controls.observe(lambda change: seen.append(change["name"]), names="children")
    controls.children = controls.children[:2]
    assert seen == ["children"]


def test_set_options_keeps_the_value_when_offered(controls):
    line = controls.controls["ligne"]
    line.value = "T1"
    set_options(line, [("Toutes les lignes", "Toutes"), ("T1 · A ↔ B", "T1"), ("T2", "T2")])
    assert line.value == "T1"
    set_options(line, [("Toutes les lignes", "Toutes"), ("T3", "T3")])
    assert line.value == "Toutes"


def test_wrong_values_are_refused_in_french():
    with pytest.raises(ValueError, match="« Tram » n'est pas un choix possible pour « Mode »"):
        dropdown("Mode", ["Tous", "Métro"], "Tram")
    with pytest.raises(ValueError, match="hors de la période possible"):
        date_picker("Jour", "2030-01-01", max="2024-12-31")
    with pytest.raises(ValueError, match="format attendu : AAAA-MM-JJ"):
        date_picker("Jour", "5 mars")


def test_date_range_and_multi_select_give_parameter_text():
    controls = ParameterControls(
        {
            ("debut", "fin"): date_range("Période", "2024-01-01", "2024-01-31"),
            "communes": multi_select("Communes", ["Rouen", "Darnétal", "Elbeuf"], ["Rouen"]),
        }
    )
    seen = []
    controls.observe(seen.append)
    controls.controls[("debut", "fin")].end.value = date(2024, 2, 29)
    controls.controls["communes"].value = ("Rouen", "Elbeuf")
    assert seen[-1] == {"debut": "2024-01-01", "fin": "2024-02-29", "communes": "Rouen,Elbeuf"}


def test_labels_fit_a_narrow_screen(controls):
    for control in controls.controls.values():
        assert control.style.description_width == "6.5em"
        assert control.layout.width == "100%" and control.layout.max_width == "24em"
    assert controls.layout.flex_flow == "row wrap"
