"""Tick boxes whose value is one comma-separated parameter."""

from __future__ import annotations

import pytest

from widgets import ParameterControls
from widgets.checklist import checklist

OPTIONS = [("Arrêts", "arrets"), ("Bornes <IRVE>", "bornes"), ("Arbres", "arbres")]


def test_value_follows_the_boxes_in_option_order():
    control = checklist("Couches", OPTIONS, ["arbres", "arrets"], colors={"arrets": "#E63027"})
    assert control.value == ("arrets", "arbres")
    assert [box.value for box in control.boxes.values()] == [True, False, True]
    assert "Bornes &lt;IRVE&gt;" in control.boxes["bornes"].description
    assert "#E63027" in control.boxes["arrets"].description


def test_parameter_controls_see_comma_separated_text_once_per_change():
    control = checklist("Couches", OPTIONS, ["bornes"])
    controls = ParameterControls({"couches": control})
    seen = []
    controls.observe(seen.append)
    control.boxes["arrets"].value = True
    assert seen == [{"couches": "arrets,bornes"}]
    control.value = ("arbres",)
    assert seen[-1] == {"couches": "arbres"} and len(seen) == 2
    assert [box.value for box in control.boxes.values()] == [False, False, True]
    control.value = ()
    assert controls.values == {"couches": ""}


def test_unknown_values_are_refused_in_french():
    with pytest.raises(ValueError, match="« velos » : choix impossible pour « Couches »"):
        checklist("Couches", OPTIONS, ["velos"])
