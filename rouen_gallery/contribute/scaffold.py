"""``build_gallery.py new``: start a reuse notebook from the gallery's template.

The template (``gallery/templates/notebook/reuse-template.ipynb``) holds the narrative
skeleton and a small dashboard on the runtime (:mod:`dashboard`): a typed parameters
cell, ``Page()``, a ``load_dataset`` cell, one control, a draw function, the layout and
the sources footer; this module fills in the title, the slug, the theme, the datasets
and the authors.
"""

from __future__ import annotations

import json
import keyword
import logging
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from rouen_opendata import load_registry

from ..exceptions import ScaffoldError
from ..record import THEMES
from ..settings import PROJECT_ROOT
from .checks.base import PLACEHOLDER

log = logging.getLogger(__name__)

TEMPLATE = PROJECT_ROOT / "gallery" / "templates" / "notebook" / "reuse-template.ipynb"
SLUG_MAX = 60
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


@dataclass
class NewReuse:
    """What ``new`` needs to know (command-line options map onto these)."""

    title: str
    """Title shown on the card (5 to 120 characters, plain text)."""
    theme: str = "Exploration"
    """One of the gallery themes (``rouen_gallery.record.THEMES``)."""
    datasets: list[str] = field(default_factory=list)
    """Registry keys the notebook loads; empty leaves a « À COMPLÉTER » to fill in."""
    authors: list[str] = field(default_factory=list)
    """Names shown as authors; empty leaves a « À COMPLÉTER »."""
    notebooks_dir: Path = PROJECT_ROOT / "notebooks"
    """Where the notebook is written."""
    template: Path = TEMPLATE
    """Template notebook."""


def slugify(title: str) -> str:
    """``Où recharger sa voiture ?`` → ``ou-recharger-sa-voiture``."""
    text = unicodedata.normalize("NFKD", title.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut[:-1] if cut.endswith("-") else cut.rsplit("-", 1)[0]
    return slug


def _identifier(key: str) -> str:
    name = re.sub(r"\W+", "_", key).strip("_").lower() or "donnees"
    name = f"donnees_{name}" if name[0].isdigit() else name
    return f"{name}_" if keyword.iskeyword(name) else name


PLACEHOLDER_LOADING = (
    f'# {PLACEHOLDER} : la clé d\'un jeu de data/registry.yaml, "arbres-remarquables" '
    "par exemple.\n"
    f'donnees, provenance = load_dataset("{PLACEHOLDER}")\n'
    "provenances = [provenance]\n"
)
"""The template's loading lines, replaced by one ``load_dataset`` per dataset."""


def loading_code(keys: list[str]) -> str:
    """The ``load_dataset`` lines for the datasets (the first frame is ``donnees``)."""
    if not keys:
        return PLACEHOLDER_LOADING
    registry = load_registry()
    lines, provenances = [], []
    for i, key in enumerate(keys):
        frame = "donnees" if i == 0 else _identifier(key)
        provenance = "provenance" if i == 0 else f"provenance_{_identifier(key)}"
        tables = list(registry[key].tables)
        table = ""
        if len(tables) > 1:
            note = f"Tables de « {key} » : {', '.join(tables)}."
            lines += [f"# {part}" for part in textwrap.wrap(note, 97)]
            table = f', table="{tables[0]}"'
        lines.append(f'{frame}, {provenance} = load_dataset("{key}"{table})')
        provenances.append(provenance)
    lines.append(f"provenances = [{', '.join(provenances)}]")
    return "\n".join(lines) + "\n"


def _check(request: NewReuse) -> tuple[str, Path]:
    title = " ".join(request.title.split())
    if not 5 <= len(title) <= 120:
        raise ScaffoldError("Le titre doit compter de 5 à 120 caractères.")
    if request.theme not in THEMES:
        raise ScaffoldError(f"Thème inconnu « {request.theme} » : {', '.join(THEMES)}.")
    keys = load_registry().keys()
    unknown = [k for k in request.datasets if k not in keys]
    if unknown:
        raise ScaffoldError(
            f"Jeu(x) de données inconnu(s) : {', '.join(unknown)}. "
            f"Clés du registre : {', '.join(keys)}."
        )
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("Le titre doit contenir des lettres ou des chiffres.")
    target = request.notebooks_dir / f"{slug}.ipynb"
    if target.exists():
        raise ScaffoldError(
            f"{target} existe déjà : rien n'a été écrit. Choisissez un autre titre, ou "
            "ouvrez ce notebook avec make lab."
        )
    return title, target


def render(request: NewReuse, title: str, slug: str) -> dict[str, Any]:
    """The template notebook with this reuse's title, record and loading cell."""
    nb = json.loads(request.template.read_text(encoding="utf-8"))
    loading = loading_code(list(dict.fromkeys(request.datasets)))
    found = False
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            source = Template(source).safe_substitute(titre=title)
        elif PLACEHOLDER_LOADING.rstrip("\n") in source:
            # The cell may end right after it (formatters drop a cell's last newline).
            source = source.replace(PLACEHOLDER_LOADING.rstrip("\n"), loading.rstrip("\n"))
            found = True
        cell["source"] = source
    if not found:
        raise ScaffoldError(
            f"{request.template} : le modèle n'a plus de cellule de chargement à compléter "
            "(load_dataset) ; il a dû être modifié."
        )
    record = nb["metadata"]["reuse"]
    record.update(
        title=title,
        slug=slug,
        theme=request.theme,
        datasets=list(dict.fromkeys(request.datasets)),
        authors=[{"name": name} for name in request.authors] or [{"name": PLACEHOLDER}],
    )
    return nb


def create_notebook(request: NewReuse) -> Path:
    """Write ``<notebooks_dir>/<slug>.ipynb``; ScaffoldError (French) if it cannot."""
    title, target = _check(request)
    nb = render(request, title, target.stem)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # never overwrite, even in a race
        handle.write(json.dumps(nb, ensure_ascii=False, indent=1) + "\n")
    log.info("created %s from %s", target, request.template)
    return target


def next_steps(path: Path) -> str:
    """What to do after ``new`` (French)."""
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    return "\n".join(
        [
            f"Notebook créé : {shown}",
            "",
            "Étapes suivantes :",
            "  1. Ouvrez-le dans JupyterLab :  make lab",
            f"  2. Écrivez : remplacez chaque « {PLACEHOLDER} » (question, données, méthode,",
            "     résultat, limites, sources), adaptez les paramètres et le calcul.",
            f"  3. Vérifiez :  python build_gallery.py validate {shown}",
            "  4. Proposez-le : ouvrez une merge request (voir CONTRIBUTING.md).",
        ]
    )
