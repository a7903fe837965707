"""Checks of the parameters cell and of the variants that set its values."""

from __future__ import annotations

import ast
import logging
import re
from typing import Any

from dashboard import schema
from dashboard.schema import Parameter, parameter_issues

from .base import Notebook, Problem, cell_source, where

log = logging.getLogger(__name__)

EXAMPLE = 'commune: str = "Rouen"  # commune étudiée'
FIXES = {
    "no-parameters": (
        "Ajoutez en tête une cellule de code étiquetée « parameters » (JupyterLab : panneau "
        f"Propriétés › Étiquettes de cellule) avec des affectations typées, par ex.  {EXAMPLE}. "
        "Sans paramètre, gardez la cellule étiquetée avec un simple commentaire."
    ),
    "parameters-not-first": (
        "Placez la cellule « parameters » avant toute autre cellule de code : les valeurs "
        "choisies par la galerie et par Voilà sont injectées juste après elle."
    ),
    "untyped-parameter": f"Annotez chaque paramètre avec str, int, float ou bool :  {EXAMPLE}.",
    "parameter-not-literal": (
        "Écrivez la valeur telle quelle (texte, nombre, True/False), sans calcul ni appel : "
        "annee: int = 2023. Faites les calculs dans la cellule suivante."
    ),
    "parameter-default-type": (
        'Accordez la valeur au type déclaré (int : 10 ; float : 2.5 ; str : "texte" ; bool : True).'
    ),
    "parameters-invalid": (
        "La cellule « parameters » ne contient que des affectations typées : déplacez imports "
        "et calculs dans la cellule suivante."
    ),
    "parameter-undocumented": (
        f"Terminez la ligne par un commentaire qui dit ce que règle le paramètre :  {EXAMPLE}."
    ),
}


def _parameters_cell(nb: Notebook) -> tuple[int, dict[str, Any]] | None:
    for index, cell in enumerate(nb.cells, start=1):
        tags = (cell.get("metadata") or {}).get("tags") or []
        if cell.get("cell_type") == "code" and "parameters" in tags:
            return index, cell
    return None


def _assigned_names(source: str) -> set[str]:
    """Every name the parameters cell assigns, typed or not."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(re.findall(r"(?m)^\s*([A-Za-z_]\w*)\s*[:=]", source))
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def declared_parameters(nb: Notebook) -> dict[str, Parameter]:
    """Parameters that parse (possibly fewer than the cell declares)."""
    found = _parameters_cell(nb)
    return parameter_issues(cell_source(found[1]))[0] if found else {}


def check_parameters_cell(nb: Notebook) -> list[Problem]:
    """A tagged parameters cell, first among code cells, typed literals with a comment each."""
    found = _parameters_cell(nb)
    if found is None:
        return [
            nb.problem(
                "no-parameters",
                "Le notebook n'a pas de cellule étiquetée « parameters ».",
                FIXES["no-parameters"],
            )
        ]
    index, cell = found
    problems = []
    first_code = next(i for i, c in enumerate(nb.cells, 1) if c.get("cell_type") == "code")
    if first_code != index:
        problems.append(
            nb.problem(
                "parameters-not-first",
                f"{where(index)} : la cellule « parameters » n'est pas la première cellule "
                f"de code (la cellule {first_code} passe avant).",
                FIXES["parameters-not-first"],
            )
        )
    params, issues = parameter_issues(cell_source(cell))
    for issue in issues:
        message = f"{where(index, issue.line)} (paramètres) : {issue}"
        problems.append(nb.problem(issue.code, message, FIXES[issue.code]))
    for param in params.values():
        if not param.comment:
            problems.append(
                nb.problem(
                    "parameter-undocumented",
                    f"{where(index)} : le paramètre « {param.name} » n'a pas de commentaire.",
                    FIXES["parameter-undocumented"],
                )
            )
    return problems


def check_variants(nb: Notebook) -> list[Problem]:
    """Variants set only declared parameters, with values of the declared type."""
    raw = nb.raw_record
    variants = raw.get("variants") if isinstance(raw, dict) else None
    if not isinstance(variants, list):
        return []
    found = _parameters_cell(nb)
    source = cell_source(found[1]) if found else ""
    declared = declared_parameters(nb)
    badly_declared = _assigned_names(source) - set(declared)
    accepted = ", ".join(declared) or "aucun"
    problems = []
    for variant in variants:
        if not isinstance(variant, dict) or not isinstance(variant.get("parameters"), dict):
            continue  # the schema check reports it
        label = f"Variante « {variant.get('slug', '?')} »"
        for exc in schema.parameter_problems(variant["parameters"], declared)[1]:
            name = exc.name or "?"
            if exc.code == "unknown-parameter":
                if name in badly_declared:
                    continue  # reported by check_parameters_cell, not twice
                problems.append(
                    nb.problem(
                        "unknown-variant-parameter",
                        f"{label} : « {name} » n'est pas un paramètre déclaré "
                        f"(paramètres déclarés : {accepted}).",
                        "Corrigez le nom dans la variante, ou déclarez le paramètre dans la "
                        "cellule « parameters ».",
                    )
                )
            else:
                problems.append(
                    nb.problem(
                        "variant-parameter-type",
                        f"{label} : {exc}",
                        f"Donnez à « {name} » une valeur du type déclaré "
                        f"({declared[name].type_name}), comme sa valeur par défaut "
                        f"{declared[name].default!r}.",
                    )
                )
    return problems
