"""Analyses compute; widgets draw. What import-linter cannot see (``make lint`` checks the
imports): no colour is chosen in ``analyses/``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ANALYSES = Path(__file__).resolve().parent.parent / "analyses"
COLOUR = re.compile(r"#?[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}|rgba?\(.*\)")


def colour_literals(source: str) -> list[str]:
    """String constants of ``source`` that are a CSS colour (docstrings are not constants
    a page uses, but a colour there is a colour too: they are included)."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and COLOUR.fullmatch(node.value.strip())
    ]


def test_the_colour_check_sees_colours():
    assert colour_literals('A = {"x": "#1F5FA8", "y": "rgb(1, 2, 3)", "z": "1F5FA8"}') == [
        "#1F5FA8",
        "rgb(1, 2, 3)",
        "1F5FA8",
    ]
    assert colour_literals('A = "arrets"; B = "#1 de la liste"; C = 123456') == []


def test_analyses_pick_no_colours():
    found = {
        str(path.relative_to(ANALYSES)): colours
        for path in sorted(ANALYSES.rglob("*.py"))
        if (colours := colour_literals(path.read_text(encoding="utf-8")))
    }
    assert found == {}
