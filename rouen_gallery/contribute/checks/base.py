"""What every check shares: the problem it reports and the notebook it reads.

A check is a small function ``check_x(notebook) -> list[Problem]``. Problem codes are
stable (contributors and CI search for them); messages and fixes are French.
"""

from __future__ import annotations

import ast
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ...record import NotebookReuse

log = logging.getLogger(__name__)

PLACEHOLDER = "À COMPLÉTER"
"""Marker the notebook template leaves where the contributor must write."""
_PLACEHOLDER_KEY = "A COMPLETER"


@dataclass(frozen=True)
class Problem:
    """One thing to fix in a contribution."""

    path: Path
    code: str
    """Stable identifier, e.g. ``no-parameters`` (see CONTRIBUTING.md)."""
    message: str
    """What is wrong and where (French)."""
    fix: str
    """How to fix it (French)."""


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lowercase without accents (``Prénom`` → ``prenom``), for tolerant comparisons."""
    return strip_accents(text).lower()


def has_placeholder(text: str) -> bool:
    """True when ``text`` still holds the template's « À COMPLÉTER » (capitals, accents or not).

    Lowercase « à compléter » is ordinary French and is left alone.
    """
    return _PLACEHOLDER_KEY in strip_accents(text)


def cell_source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


@dataclass
class CodeCell:
    """A code cell as Python: IPython syntax (``!cmd``, ``%magic``) turned into calls."""

    index: int
    """1-based position among all the notebook's cells."""
    source: str
    tree: ast.Module | None
    """None when the cell is not valid Python."""
    error: str = ""


@dataclass
class Notebook:
    """A notebook file read as JSON, with what the checks need precomputed lazily."""

    path: Path
    data: dict[str, Any]
    size: int
    registry_keys: frozenset[str]
    max_bytes: int
    """Largest notebook file accepted (``ValidationSettings.max_notebook_bytes``)."""
    max_image_bytes: int
    """Largest image embedded in a markdown cell (``ValidationSettings.max_image_bytes``)."""

    @property
    def cells(self) -> list[dict[str, Any]]:
        return [c for c in self.data.get("cells", []) if isinstance(c, dict)]

    @property
    def raw_record(self) -> Any:
        return self.data.get("metadata", {}).get("reuse")

    @cached_property
    def record(self) -> NotebookReuse | None:
        """The validated record, or None when it is missing or invalid."""
        try:
            return NotebookReuse.model_validate(self.raw_record)
        except ValidationError:
            return None

    @cached_property
    def code_cells(self) -> list[CodeCell]:
        from IPython.core.inputtransformer2 import TransformerManager

        manager = TransformerManager()
        cells = []
        for index, cell in enumerate(self.cells, start=1):
            if cell.get("cell_type") != "code":
                continue
            source = cell_source(cell)
            try:
                tree = ast.parse(manager.transform_cell(source))
            except (SyntaxError, ValueError) as exc:
                cells.append(CodeCell(index, source, None, str(exc)))
                continue
            cells.append(CodeCell(index, source, tree))
        return cells

    def markdown_cells(self) -> list[tuple[int, str]]:
        return [
            (i, cell_source(c))
            for i, c in enumerate(self.cells, start=1)
            if c.get("cell_type") == "markdown"
        ]

    def problem(self, code: str, message: str, fix: str) -> Problem:
        return Problem(self.path, code, message, fix)


def where(cell: int, line: int | None = None) -> str:
    """« Cellule 3, ligne 2 » — cells counted from the top, as in JupyterLab."""
    return f"Cellule {cell}" + (f", ligne {line}" if line else "")


def call_name(node: ast.Call) -> str:
    """``open`` for ``open(...)``, ``read_csv`` for ``pd.read_csv(...)``."""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def snippet(source: str, line: int, width: int = 70) -> str:
    """The stripped source line, shortened, to quote in a message."""
    lines = source.splitlines()
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return text if len(text) <= width else text[: width - 1] + "…"


HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
"""Something a browser would read as markup (``<script>``, ``<b>``, ``<!-- -->``)."""
