"""Markers whose popups carry escaped facts and http(s) links only."""

from __future__ import annotations

import pandas as pd
import pytest
from ipywidgets.widgets.widget import _instances as live_widgets

from widgets.link_markers import (
    LIMIT,
    linked_points_layer,
    links_html,
    links_list_html,
    set_linked_points,
)

FIELDS = {"name": "Arbre", "height": "Hauteur"}
LINKS = {"pdf_url": "Fiche (PDF)", "photo_url": "Photo"}


def _trees(count: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": [f"Hêtre <{i}>" for i in range(count)],
            "height": ["8 à 10 m"] * count,
            "pdf_url": ["https://example.org/a.pdf?x=1&y=2"] * count,
            "photo_url": ["javascript:alert(1)"] + [None] * (count - 1),
            "lat": [49.4 + i / 100 for i in range(count)],
            "lon": [1.0] * count,
        }
    )


def test_popups_escape_facts_and_keep_only_http_links():
    layer = linked_points_layer(_trees(), "Arbres", FIELDS, LINKS, "#2E7D32")
    assert len(layer.layers) == 3 and layer.layers[0].fill_color == "#2E7D32"
    popup = layer.layers[0].popup.value
    assert "Hêtre &lt;0&gt;" in popup and "8 à 10 m" in popup
    assert 'href="https://example.org/a.pdf?x=1&amp;y=2"' in popup
    assert 'rel="noopener noreferrer"' in popup and "javascript" not in popup
    assert links_html({"pdf_url": "ftp://x"}, LINKS) == ""


def test_set_points_replaces_and_closes_old_markers():
    layer = linked_points_layer(_trees(), "Arbres", FIELDS, LINKS)
    old = layer.layers[0]
    set_linked_points(layer, _trees(1))
    assert len(layer.layers) == 1 and old.comm is None and old.popup.comm is None
    assert "Fiche (PDF)" in layer.layers[0].popup.value
    alive = len(live_widgets)  # the dict behind the deprecated ipywidgets.Widget.widgets
    for _ in range(3):
        set_linked_points(layer, _trees(1))
    assert len(live_widgets) == alive  # popups, their layout and style closed each time


def test_links_list_and_the_size_limit():
    text = links_list_html(_trees(2), "name", LINKS, "Fiches :")
    assert text.count("<li>") == 2 and "Hêtre &lt;1&gt; : <a " in text and "Fiches :" in text
    assert "aucun lien" in links_list_html(_trees(1).assign(pdf_url=None), "name", LINKS)
    with pytest.raises(ValueError, match="too many"):
        linked_points_layer(_trees(LIMIT + 1), "Arbres", FIELDS, LINKS)
