"""The « arbres remarquables » figures, read from their traits after a draw (no browser)."""

from __future__ import annotations

import pandas as pd
from test_analyses_trees import _survey

from analyses import trees
from widgets.trees_board import TreeFigures


def _located() -> pd.DataFrame:
    return _survey().assign(
        lat=[49.47, 49.40, 49.48],
        lon=[0.98, 1.10, 0.99],
        parcelle=[1, 2, 3],
        description=["", "", ""],
        pdf_url=["https://example.org/a.pdf", "", ""],
        photo_url=["", "", ""],
    )


def test_draw_shows_the_chosen_trees_in_every_figure():
    table = _located()
    figures = TreeFigures(table)
    assert figures.forest_choices == ["Toutes", "Roumare", "Verte"]
    shown = figures.draw(trees.select(table, "Roumare", "Toutes"))
    assert {name: len(layer.layers) for name, layer in figures.layers.items()} == {
        "Roumare": 2,
        "Verte": 0,
    }
    assert figures.cards["trees"].figure == len(shown) == 2
    assert figures.cards["forests"].figure == 1
    assert figures.cards["tallest"].figure == 39.0
    assert figures.cards["oldest"].figure == 120.0
    assert dict(zip(figures.species.labels, figures.species.values, strict=True)) == {
        "Hêtre commun": 2.0,
        "Chêne sessile": 1.0,
    }
    assert figures.links_box.value.count("<a ") == 1
    # Same height: ties are listed by name.
    table_html = figures.tree_table.value
    assert table_html.index("Bosquet") < table_html.index("Grand Hêtre")


def test_no_tree_leaves_the_cards_empty():
    figures = TreeFigures(_located())
    figures.draw(trees.select(_located(), "Verte", "Hêtre commun"))
    assert figures.cards["trees"].figure == 0
    assert figures.cards["tallest"].figure is None
