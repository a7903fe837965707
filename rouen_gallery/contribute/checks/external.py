"""Checks of ``gallery/external.yaml``: links to reuses made elsewhere with the portal's data."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from ...record import ExternalReuse
from .base import Problem
from .record import dataset_problems, html_problems, placeholder_problems, schema_problems

log = logging.getLogger(__name__)

EXAMPLE = "gallery/external.yaml (exemple commenté en tête du fichier)"


def read_external(path: Path) -> tuple[list[Any], list[Problem]]:
    """The raw entries of the file, or why it cannot be read."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (ligne {mark.line + 1})" if mark else ""
        return [], [
            Problem(
                path,
                "external-file-invalid",
                f"Le fichier n'est pas du YAML valide{line}.",
                f"Vérifiez l'indentation (espaces, pas de tabulations) et les guillemets ; "
                f"modèle : {EXAMPLE}.",
            )
        ]
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [
            Problem(
                path,
                "external-file-invalid",
                "Le fichier doit contenir une liste de réutilisations (chaque entrée commence "
                "par « - »).",
                f"Modèle : {EXAMPLE} ; une liste vide s'écrit [].",
            )
        ]
    return raw, []


def entry_label(index: int, item: Any) -> str:
    slug = item.get("slug") if isinstance(item, dict) else None
    return f"Entrée {index}" + (f" (« {slug} »)" if isinstance(slug, str) else "")


def check_external(path: Path, registry_keys: frozenset[str]) -> list[Problem]:
    """Same record fields as a notebook, plus type, https URL and image."""
    entries, problems = read_external(path)
    for index, item in enumerate(entries, start=1):
        origin = entry_label(index, item)
        problems += schema_problems(item, ExternalReuse, path, origin)
        problems += html_problems(item, path, origin)
        problems += dataset_problems(item, registry_keys, path, origin)
        problems += placeholder_problems(item, path, origin)
    return problems


def external_slugs(path: Path) -> list[tuple[str, str]]:
    """(slug, where) of every entry, for the duplicate check."""
    entries, _ = read_external(path)
    return [
        (item["slug"], entry_label(i, item))
        for i, item in enumerate(entries, start=1)
        if isinstance(item, dict) and isinstance(item.get("slug"), str)
    ]
