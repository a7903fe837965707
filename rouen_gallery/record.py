"""The reuse record: one validated schema drives the gallery.

A notebook reuse carries its record in the notebook metadata under ``"reuse"``;
an external reuse (a link to an app, a map, an article made elsewhere) is a record in
``gallery/external.yaml``. The build is a loop over these records.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from .exceptions import RecordError

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
THEMES = ("Mobilité", "Transition écologique", "Équipements", "Urbanisme", "Exploration")
"""Gallery themes (facets on the index page)."""
AUDIENCES = ("Grand public", "Ateliers", "Développeurs", "Élus et services")
TAGS = (
    "affluence",
    "arbres",
    "bus",
    "carte",
    "communes",
    "déchets",
    "énergie",
    "évolution dans le temps",
    "exploration",
    "fréquentation",
    "logement",
    "loisirs",
    "métro",
    "musées",
    "nature",
    "patinoire",
    "patrimoine",
    "piscines",
    "transports en commun",
    "vélo",
    "voiture électrique",
)
"""The citizen vocabulary of the index's keyword filter: words of everyday French, no tool
or format names, one word per idea. Other tags stay searchable but get no filter chip."""


class Author(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, max_length=80, description="Nom ou collectif affiché.")
    url: HttpUrl | None = None


class Variant(BaseModel):
    """The same notebook run with other parameters, shown as its own gallery entry."""

    model_config = ConfigDict(extra="forbid")
    slug: str = Field(description="Suffix of the entry's slug, e.g. 'patinoire'.")
    title: str = Field(min_length=3, max_length=120)
    description: str = Field(
        min_length=20,
        max_length=300,
        description="Ce que cette variante montre de plus que la page principale, en une phrase.",
    )
    parameters: dict[str, Any] = Field(default_factory=dict)
    datasets: list[str] | None = Field(
        None, description="Clés du registre que cette variante lit, si elle n'en lit qu'une partie."
    )

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError("minuscules, chiffres et tirets seulement (ex. « piscine-boissiere »)")
        return value


class ReuseRecord(BaseModel):
    """Fields shared by notebook and external reuses (udata / Opendatasoft reuse model)."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=5, max_length=120, description="Titre affiché sur la carte.")
    slug: str = Field(description="Identifiant d'URL unique.")
    description: str = Field(
        min_length=20, max_length=600, description="Résumé d'une à trois phrases."
    )
    theme: Literal[THEMES]  # type: ignore[valid-type]
    tags: list[str] = Field(default_factory=list, max_length=10)
    audience: list[Literal[AUDIENCES]] = Field(default_factory=lambda: ["Grand public"])  # type: ignore[valid-type]
    authors: list[Author] = Field(min_length=1)
    licence: str = Field(
        "MIT", description="Licence du code ; les données gardent la licence de chaque jeu."
    )
    datasets: list[str] = Field(min_length=1, description="Clés du registre data/registry.yaml.")

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError("minuscules, chiffres et tirets seulement (ex. « reseau-astuce »)")
        return value


class NotebookReuse(ReuseRecord):
    """A reuse made of a notebook of this repository."""

    type: Literal["notebook"] = "notebook"
    timeout: int = Field(300, ge=10, le=3600, description="Secondes avant d'arrêter l'exécution.")
    variants: list[Variant] = Field(default_factory=list)
    path: Path | None = Field(None, exclude=True, description="Set by the loader.")


class ExternalReuse(ReuseRecord):
    """A reuse made elsewhere with the portal's data, shown as a link card."""

    type: Literal["application", "visualization", "article"]
    url: HttpUrl
    image: HttpUrl | None = None

    @field_validator("url", "image")
    @classmethod
    def _https(cls, value: HttpUrl | None) -> HttpUrl | None:
        if value is not None and value.scheme != "https":
            raise ValueError("l'adresse doit commencer par https://")
        return value


def french_error(err: Any) -> str:
    """Pydantic's English error, said in French for contributors."""
    kind, ctx = err["type"], err.get("ctx") or {}
    messages = {
        "missing": "champ obligatoire absent",
        "extra_forbidden": "champ inconnu (vérifiez l'orthographe)",
        "string_too_short": f"trop court ({ctx.get('min_length')} caractères au moins)",
        "string_too_long": f"trop long ({ctx.get('max_length')} caractères au plus)",
        "too_short": f"il en faut au moins {ctx.get('min_length')}",
        "too_long": f"{ctx.get('max_length')} au plus",
        "literal_error": f"« {err.get('input')} » n'est pas permis (choix : {ctx.get('expected')})",
        "value_error": str(ctx.get("error", err["msg"])),
        "string_type": "du texte est attendu",
        "list_type": "une liste est attendue",
        "dict_type": "un objet (nom: valeur) est attendu",
        "model_type": "un objet (nom: valeur) est attendu",
        "int_parsing": "un nombre entier est attendu",
        "int_type": "un nombre entier est attendu",
        "greater_than_equal": f"au moins {ctx.get('ge')}",
        "less_than_equal": f"au plus {ctx.get('le')}",
        "url_parsing": "adresse web invalide",
        "url_type": "adresse web invalide",
        "url_scheme": "l'adresse doit commencer par https://",
    }
    return messages.get(kind, err["msg"])


def format_validation_error(exc: ValidationError, origin: str) -> str:
    """One French line per problem, naming the field."""
    lines = [f"{origin} : fiche de réutilisation invalide"]
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(fiche)"
        lines.append(f"  - {where} : {french_error(err)}")
    return "\n".join(lines)


def notebook_record(nb: dict[str, Any] | Any, path: Path) -> NotebookReuse:
    """Validate the ``reuse`` metadata of a notebook."""
    raw = nb.get("metadata", {}).get("reuse")
    if raw is None:
        raise RecordError(
            f"{path} : le notebook n'a pas de fiche « reuse » dans ses métadonnées "
            "(utilisez « python build_gallery.py new » pour partir du modèle)."
        )
    try:
        record = NotebookReuse.model_validate(dict(raw))
    except ValidationError as exc:
        raise RecordError(format_validation_error(exc, str(path))) from None
    record.path = path
    return record
