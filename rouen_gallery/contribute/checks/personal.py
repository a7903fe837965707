"""No personal data shown: columns that name, reach or identify a person.

Two readings: column names selected in the code (static), and the headers of the
tables a run displays (pandas HTML and text reprs, HTML widgets). Which names are
personal is the data layer's rule (:mod:`rouen_opendata.personal_data`), the one the
Explorateur follows to hide fields.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from rouen_opendata.personal_data import personal_columns

from .base import Notebook, Problem, cell_source, where

log = logging.getLogger(__name__)

COLUMN_KEYWORDS = {"columns", "usecols", "subset", "names", "index", "values", "on", "by"}
CREATING_CALLS = {"assign"}

FIX = (
    "Ne montrez aucune donnée qui désigne une personne : retirez ces colonnes avant "
    "d'afficher (df.drop(columns=[…])), agrégez (comptes par commune, par mois), ou "
    "renommez une colonne qui ne concerne pas une personne (« nom » d'un arrêt → « arrêt »)."
)


def _strings(node: ast.expr) -> Iterator[str]:
    """String constants of a column selection (``"a"``, ``["a", "b"]``, ``{"a": "b"}``)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.value


def code_columns(tree: ast.Module) -> list[str]:
    """Column names a cell selects, creates or renames."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            found += _strings(node.slice)
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in COLUMN_KEYWORDS:
                    found += _strings(keyword.value)
                name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
                if name in CREATING_CALLS and keyword.arg:
                    found.append(keyword.arg)
    return found


def check_personal_columns_in_code(nb: Notebook) -> list[Problem]:
    """Column selections in the code that look like personal data."""
    problems = []
    for cell in nb.code_cells:
        columns = personal_columns(code_columns(cell.tree)) if cell.tree else []
        if columns:
            problems.append(
                nb.problem(
                    "personal-data-column",
                    f"{where(cell.index)} : colonnes qui ressemblent à des données "
                    f"personnelles : {', '.join(columns)}.",
                    FIX,
                )
            )
    return problems


class _Headers(HTMLParser):
    """Header cells (``<th>``) of every table in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "th":
            self._depth += 1
            self.headers.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.headers[-1] += data.strip()


def html_headers(fragment: str) -> list[str]:
    parser = _Headers()
    parser.feed(fragment)
    parser.close()
    return [h for h in parser.headers if h]


def text_headers(text: str) -> list[str]:
    """Header words of pandas text reprs: a line starting with spaces above an index line."""
    lines = text.splitlines()
    headers = []
    for line, below in zip(lines, lines[1:], strict=False):
        if line.startswith(" ") and line.strip() and below[:1].strip():
            headers += line.split()
    return headers


def output_columns(output: dict[str, Any]) -> list[str]:
    """Column headers shown by one cell output."""
    data = output.get("data") or {}
    texts = [cell_source({"source": data.get("text/plain", "")})]
    if output.get("output_type") == "stream":
        texts = [cell_source({"source": output.get("text", "")})]
    found = html_headers(cell_source({"source": data.get("text/html", "")}))
    for text in texts:
        found += text_headers(text)
    return found


def _widget_html(executed: dict[str, Any]) -> list[str]:
    """HTML values of the widgets a run saved (tables drawn by ``widgets``)."""
    state = (executed.get("metadata", {}).get("widgets") or {}).get(
        "application/vnd.jupyter.widget-state+json", {}
    )
    values = []
    for model in (state.get("state") or {}).values():
        value = (model.get("state") or {}).get("value")
        if isinstance(value, str) and "<th" in value:
            values.append(value)
    return values


def check_personal_columns_in_outputs(nb: Notebook, executed: dict[str, Any]) -> list[Problem]:
    """Tables a run displays whose headers look like personal data."""
    problems = []
    for index, cell in enumerate(executed.get("cells", []), start=1):
        columns = [c for out in cell.get("outputs", []) for c in output_columns(out)]
        shown = personal_columns(columns)
        if shown:
            problems.append(
                nb.problem(
                    "personal-data-column",
                    f"{where(index)} : le résultat affiche des colonnes qui ressemblent à des "
                    f"données personnelles : {', '.join(shown)}.",
                    FIX,
                )
            )
    widget_columns = [h for value in _widget_html(executed) for h in html_headers(value)]
    shown = personal_columns(widget_columns)
    if shown:
        problems.append(
            nb.problem(
                "personal-data-column",
                "Un tableau interactif affiche des colonnes qui ressemblent à des données "
                f"personnelles : {', '.join(shown)}.",
                FIX,
            )
        )
    return problems
