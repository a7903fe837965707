"""A text fact in the look of the KPI cards."""

from __future__ import annotations

from rouen_opendata.formatting import MISSING
from widgets.facts import text_card


def test_text_is_escaped_and_updated_in_place():
    card = text_card("Licence", "Licence <Ouverte> v2.0", help="Voir « la page »")
    assert "Licence &lt;Ouverte&gt; v2.0" in card.value and 'aria-label="Licence"' in card.value
    assert "rr-kpi-help" in card.value and "rr-kpi" in card._dom_classes
    card.update("", label="Mise à jour")
    assert MISSING in card.value and "Mise à jour" in card.value
    assert "Voir « la page »" in card.value  # the help stays unless replaced
