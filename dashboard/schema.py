"""Typed notebook parameters: one schema, one validator, shared by the build and Voilà.

A reuse notebook's first code cell is tagged ``parameters`` and holds only annotated
assignments with literal defaults (``commune: str = "Rouen"``). Values from a build
record (``rouen_gallery.entries``), from a dashboard URL (:mod:`dashboard.address`) or
from a contribution's variants (``rouen_gallery.contribute``) are all checked by
:func:`parameter_problems`: unknown names and values of the wrong type are refused
(papermill would only warn).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .exceptions import ParameterError

TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
TYPE_NAMES_FR: dict[str, str] = {
    "str": "texte",
    "int": "nombre entier",
    "float": "nombre",
    "bool": "oui/non",
}
_TRUE = {"true", "1", "oui", "yes", "vrai"}
_FALSE = {"false", "0", "non", "no", "faux"}


@dataclass(frozen=True)
class Parameter:
    """One declared parameter."""

    name: str
    type_name: str
    default: Any
    comment: str = ""

    def coerce(self, value: Any) -> Any:
        """Check (and convert from URL text) one value; raise ParameterError in French."""
        expected = TYPES[self.type_name]
        if isinstance(value, str) and self.type_name != "str":
            text = value.strip()
            try:
                if self.type_name == "bool":
                    if text.lower() in _TRUE:
                        return True
                    if text.lower() in _FALSE:
                        return False
                    raise ValueError(text)
                return expected(text.replace(",", ".") if self.type_name == "float" else text)
            except ValueError:
                raise ParameterError(
                    f"« {self.name} » attend un {TYPE_NAMES_FR[self.type_name]}, pas « {value} »."
                ) from None
        if self.type_name == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if type(value) is not expected:
            raise ParameterError(
                f"« {self.name} » attend un {TYPE_NAMES_FR[self.type_name]}, pas « {value!r} »."
            )
        return value


def find_parameters_cell(nb: Any) -> Any | None:
    """The first code cell tagged ``parameters``."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def _parse_statement(node: ast.stmt, lines: list[str]) -> Parameter | None:
    """One statement of a parameters cell; ParameterError (with its ``code``) if refused."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return None  # a docstring-like note is allowed
    if isinstance(node, ast.Assign):
        names = ", ".join(ast.unparse(t) for t in node.targets)
        raise ParameterError(
            f'« {names} » n\'a pas de type ; écrivez par exemple  commune: str = "Rouen".',
            code="untyped-parameter",
        )
    if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
        raise ParameterError(
            'seules des affectations typées sont permises, par exemple  commune: str = "Rouen".'
        )
    name = node.target.id
    type_name = node.annotation.id if isinstance(node.annotation, ast.Name) else None
    if type_name not in TYPES:
        raise ParameterError(
            f"« {name} » : type {ast.unparse(node.annotation)!s} non pris en charge "
            f"(types permis : {', '.join(TYPES)}).",
            code="untyped-parameter",
        )
    if node.value is None:
        raise ParameterError(
            f"« {name} » n'a pas de valeur par défaut.", code="parameter-not-literal"
        )
    try:
        default = ast.literal_eval(node.value)
    except ValueError:
        raise ParameterError(
            f"« {name} » : la valeur par défaut doit être littérale "
            f"(pas {ast.unparse(node.value)}).",
            code="parameter-not-literal",
        ) from None
    line = lines[node.lineno - 1]
    comment = line.split("#", 1)[1].strip() if "#" in line else ""
    param = Parameter(name, type_name, default, comment)
    try:
        param.coerce(default)
    except ParameterError as exc:
        raise ParameterError(str(exc), code="parameter-default-type") from None
    return param


def parameter_issues(source: str) -> tuple[dict[str, Parameter], list[ParameterError]]:
    """Every declared parameter that parses, and every refused statement (none skipped).

    ``build_gallery.py validate`` lists all the issues at once; each carries a ``code``.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return {}, [ParameterError(f"La cellule « parameters » ne se lit pas en Python : {exc}")]
    lines = source.splitlines()
    params: dict[str, Parameter] = {}
    issues: list[ParameterError] = []
    for node in tree.body:
        try:
            param = _parse_statement(node, lines)
        except ParameterError as exc:
            exc.line = node.lineno
            issues.append(exc)
            continue
        if param is not None:
            params[param.name] = param
    return params, issues


def parse_parameters_source(source: str) -> dict[str, Parameter]:
    """Declared parameters of a parameters cell; refuses anything but typed literals."""
    params, issues = parameter_issues(source)
    if issues:
        first = issues[0]
        where = f"Ligne {first.line} de la cellule « parameters » : " if first.line else ""
        raise ParameterError(f"{where}{first}", first.code)
    return params


def notebook_parameters(nb: Any) -> dict[str, Parameter]:
    """Declared parameters of a notebook; ParameterError if it has no parameters cell."""
    cell = find_parameters_cell(nb)
    if cell is None:
        raise ParameterError(
            "Le notebook n'a pas de cellule étiquetée « parameters » "
            "(ajoutez l'étiquette « parameters » à la première cellule de code).",
            code="no-parameters",
        )
    return parse_parameters_source(cell["source"])


def parameter_problems(
    values: Mapping[str, Any], declared: Mapping[str, Parameter]
) -> tuple[dict[str, Any], list[ParameterError]]:
    """The one validator: typed values for the names it accepts, and one French
    :class:`ParameterError` per refusal (``code`` ``unknown-parameter`` for a name the
    notebook does not declare, ``parameter-type`` for a value of the wrong type; ``name``
    set). Unknown names come first."""
    accepted = ", ".join(declared) or "aucun"
    problems = [
        ParameterError(
            f"paramètre inconnu : {name} (paramètres acceptés : {accepted})",
            code="unknown-parameter",
            name=name,
        )
        for name in sorted(set(values) - set(declared))
    ]
    typed: dict[str, Any] = {}
    for name, value in values.items():
        if name in declared:
            try:
                typed[name] = declared[name].coerce(value)
            except ParameterError as exc:
                problems.append(ParameterError(str(exc), code="parameter-type", name=name))
    return typed, problems


def validate_parameters(
    values: Mapping[str, Any], declared: Mapping[str, Parameter]
) -> dict[str, Any]:
    """Typed values for ``values``; every refusal of :func:`parameter_problems` at once,
    as one :class:`ParameterError`."""
    typed, problems = parameter_problems(values, declared)
    if problems:
        raise ParameterError(" ; ".join(str(p) for p in problems), code=problems[0].code)
    return typed
