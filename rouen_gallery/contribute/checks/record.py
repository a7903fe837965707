"""Checks of a reuse record (notebook metadata or external entry): schema, HTML, datasets."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ...record import AUDIENCES, THEMES, french_error
from .base import HTML_TAG, Notebook, Problem, has_placeholder

log = logging.getLogger(__name__)

FIELD_FIXES = {
    "title": "Un titre de 5 à 120 caractères, en texte simple, qui dit ce que l'on apprend.",
    "slug": "Minuscules sans accents, chiffres et tirets (ex. « bornes-de-recharge ») : "
    "c'est l'adresse de la page.",
    "description": "Une à trois phrases (20 à 600 caractères) qui disent ce que le lecteur "
    "va apprendre.",
    "theme": f"Choisissez un thème parmi : {', '.join(THEMES)}.",
    "tags": "Une liste de 10 mots-clés au plus, non vides, par ex. tags: [vélo, comptage].",
    "audience": f"Une liste choisie parmi : {', '.join(AUDIENCES)}.",
    "authors": 'Au moins un auteur : authors: [{name: "Nom ou collectif"}] '
    "(url facultative, en https).",
    "licence": "Indiquez la licence du code, par défaut « MIT » (les données gardent la "
    "licence de chaque jeu).",
    "datasets": "Listez au moins une clé de data/registry.yaml, par ex. "
    "datasets: [arbres-remarquables].",
    "timeout": "Un nombre de secondes entre 10 et 3600 (300 par défaut).",
    "variants": "Chaque variante a un slug, un titre (3 à 120 caractères), une description "
    "(20 à 300 caractères : ce qu'elle montre de plus) et des paramètres.",
    "type": "Choisissez application, visualization ou article.",
    "url": "L'adresse complète de la réutilisation, en https://.",
    "image": "Une image d'aperçu en https://, ou retirez le champ.",
}
HTTPS_FIX = (
    "Écrivez l'adresse en https:// (vérifiez qu'elle s'ouvre ainsi) ; un site sans https "
    "ne peut pas figurer dans la galerie."
)


def schema_problems(raw: Any, model: type[BaseModel], path: Path, origin: str) -> list[Problem]:
    """One problem per schema error; ``origin`` says which record (« Fiche « reuse » »)."""
    if not isinstance(raw, dict):
        return [
            Problem(
                path,
                "record-invalid",
                f"{origin} : la fiche doit être un objet (nom: valeur), pas {type(raw).__name__}.",
                "Partez du modèle : python build_gallery.py new « Titre ».",
            )
        ]
    problems = []
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            field = loc[0] if loc else ""
            https = field in ("url", "image") and err["type"] in ("value_error", "url_scheme")
            problems.append(
                Problem(
                    path,
                    "external-url-not-https" if https else "record-invalid",
                    f"{origin}, champ « {'.'.join(loc) or 'fiche'} » : {french_error(err)}.",
                    HTTPS_FIX if https else FIELD_FIXES.get(field, "Voir CONTRIBUTING.md."),
                )
            )
    licence = raw.get("licence")
    if isinstance(licence, str) and not licence.strip():
        problems.append(
            Problem(
                path, "record-invalid", f"{origin} : la licence est vide.", FIELD_FIXES["licence"]
            )
        )
    tags = raw.get("tags")
    if isinstance(tags, list):
        empty = [t for t in tags if not isinstance(t, str) or not t.strip()]
        if empty:
            problems.append(
                Problem(path, "record-invalid", f"{origin} : mot-clé vide.", FIELD_FIXES["tags"])
            )
    return problems


def _texts(raw: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, text) of every record string a card or page shows."""
    for name in ("title", "description", "licence"):
        if isinstance(raw.get(name), str):
            yield name, raw[name]
    for i, tag in enumerate(raw.get("tags") or []):
        if isinstance(tag, str):
            yield f"tags.{i}", tag
    for i, author in enumerate(raw.get("authors") or []):
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            yield f"authors.{i}.name", author["name"]
    for i, variant in enumerate(raw.get("variants") or []):
        if isinstance(variant, dict) and isinstance(variant.get("title"), str):
            yield f"variants.{i}.title", variant["title"]


def html_problems(raw: Any, path: Path, origin: str) -> list[Problem]:
    """Markup in texts the cards show as plain text (it would appear escaped, « <b> »)."""
    if not isinstance(raw, dict):
        return []
    return [
        Problem(
            path,
            "html-in-record",
            f"{origin}, champ « {name} » : contient du HTML ({HTML_TAG.search(text).group(0)}).",
            "Écrivez du texte simple : les cartes et les pages l'affichent tel quel, balises "
            "comprises. Retirez les balises (<b>, <script>, <a>…).",
        )
        for name, text in _texts(raw)
        if HTML_TAG.search(text)
    ]


def placeholder_problems(raw: Any, path: Path, origin: str) -> list[Problem]:
    """Record texts the contributor has not written yet (« À COMPLÉTER »)."""
    if not isinstance(raw, dict):
        return []
    return [
        Problem(
            path,
            "placeholder-left",
            f"{origin}, champ « {name} » : encore à compléter.",
            "Remplacez « À COMPLÉTER » par votre texte (métadonnées du notebook, clé « reuse »).",
        )
        for name, text in _texts(raw)
        if has_placeholder(text)
    ]


def dataset_problems(
    raw: Any, registry_keys: frozenset[str], path: Path, origin: str
) -> list[Problem]:
    """Dataset keys of the record, or of one of its variants, that the registry does not know."""
    if not isinstance(raw, dict):
        return []
    lists = [raw.get("datasets")] + [
        v.get("datasets") for v in raw.get("variants") or [] if isinstance(v, dict)
    ]
    keys = [k for keys in lists if isinstance(keys, list) for k in keys if isinstance(k, str)]
    return [
        unknown_dataset(key, registry_keys, path, origin)
        for key in dict.fromkeys(keys)
        if key not in registry_keys
    ]


def unknown_dataset(key: str, registry_keys: frozenset[str], path: Path, origin: str) -> Problem:
    close = difflib.get_close_matches(key, sorted(registry_keys), n=2)
    hint = f" Vouliez-vous dire {' ou '.join(close)} ?" if close else ""
    return Problem(
        path,
        "unknown-dataset",
        f"{origin} : le jeu de données « {key} » n'est pas dans le registre.{hint}",
        "Utilisez une clé de data/registry.yaml ; pour un nouveau jeu, demandez son ajout au "
        "registre dans la même merge request (source, licence, instantané).",
    )


def check_record(nb: Notebook) -> list[Problem]:
    """The ``reuse`` metadata: schema, plain-text fields, known datasets, filled in."""
    from ...record import NotebookReuse

    raw = nb.raw_record
    origin = "Fiche « reuse »"
    if raw is None:
        return [
            nb.problem(
                "record-missing",
                "Le notebook n'a pas de fiche « reuse » dans ses métadonnées.",
                "Partez du modèle : python build_gallery.py new « Titre », ou copiez la fiche "
                "d'un notebook existant (JupyterLab : panneau Propriétés › Métadonnées).",
            )
        ]
    return [
        *schema_problems(raw, NotebookReuse, nb.path, origin),
        *html_problems(raw, nb.path, origin),
        *dataset_problems(raw, nb.registry_keys, nb.path, origin),
        *placeholder_problems(raw, nb.path, origin),
    ]
