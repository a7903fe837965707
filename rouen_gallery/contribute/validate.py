"""``build_gallery.py validate``: check contributions and list every problem at once.

Static checks read each notebook and ``gallery/external.yaml`` (see
:mod:`rouen_gallery.contribute.checks`); then, unless told not to, every notebook runs with its
defaults and each variant on the embedded snapshots, as the build runs it.
"""

from __future__ import annotations

import json
import logging
import os
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rouen_opendata import load_registry

from ..execute import JobResult
from ..settings import PROJECT_ROOT
from .checks import NOTEBOOK_CHECKS, Notebook, Problem
from .checks.execution import check_execution
from .checks.external import check_external, external_slugs

log = logging.getLogger(__name__)


@dataclass
class ValidationSettings:
    """Options of ``build_gallery.py validate`` (command-line flags map onto these)."""

    notebooks_dir: Path = PROJECT_ROOT / "notebooks"
    """Notebooks checked when no path is given; also scanned for duplicate slugs."""
    external_file: Path = PROJECT_ROOT / "gallery" / "external.yaml"
    """External reuses checked when no path is given; also scanned for duplicate slugs."""
    run: bool = True
    """Execute each notebook and variant (CI does; ``--no-run`` skips it for a quick check)."""
    jobs: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    """Notebooks executed at once."""
    kernel_name: str = "python3"
    """Jupyter kernel used to execute."""
    max_notebook_bytes: int = 1_000_000
    """Largest notebook file (outputs are stripped, so this is text, code and images)."""
    max_image_bytes: int = 300_000
    """Largest image embedded in a markdown cell."""


@dataclass
class Report:
    """Problems of every file checked, in file order."""

    checked: list[Path]
    problems: list[Problem]
    ran: bool

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_file(self) -> dict[Path, list[Problem]]:
        grouped: dict[Path, list[Problem]] = {path: [] for path in self.checked}
        for problem in self.problems:
            grouped.setdefault(problem.path, []).append(problem)
        return {path: problems for path, problems in grouped.items() if problems}


def default_paths(settings: ValidationSettings) -> list[Path]:
    """Every notebook of the gallery, then the external reuses file if present."""
    paths = sorted(settings.notebooks_dir.glob("*.ipynb"))
    return paths + ([settings.external_file] if settings.external_file.exists() else [])


def _expand(paths: Iterable[Path]) -> list[Path]:
    expanded: list[Path] = []
    for path in paths:
        expanded += sorted(path.glob("*.ipynb")) if path.is_dir() else [path]
    return list(dict.fromkeys(p.resolve() for p in expanded))


def read_notebook(
    path: Path, settings: ValidationSettings, registry_keys: frozenset[str]
) -> Notebook | Problem:
    """The notebook, or the one problem that stops every check."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Problem(
            path,
            "notebook-unreadable",
            f"Le fichier ne se lit pas comme un notebook ({exc}).",
            "Ouvrez-le dans JupyterLab et enregistrez-le ; en cas de conflit git, gardez une "
            "seule version des cellules en conflit.",
        )
    if not isinstance(data, dict) or data.get("nbformat") != 4:
        return Problem(
            path,
            "notebook-unreadable",
            "Le fichier n'est pas un notebook au format 4.",
            f"Convertissez-le :  jupyter nbconvert --to notebook --inplace {path.name}",
        )
    return Notebook(
        path,
        data,
        len(text.encode("utf-8")),
        registry_keys,
        settings.max_notebook_bytes,
        settings.max_image_bytes,
    )


def _notebook_slugs(path: Path) -> list[tuple[str, str]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("reuse")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return []
    if not isinstance(raw, dict) or not isinstance(raw.get("slug"), str):
        return []
    slugs = [(raw["slug"], "fiche")]
    for variant in raw.get("variants") or []:
        if isinstance(variant, dict) and isinstance(variant.get("slug"), str):
            slugs.append((f"{raw['slug']}-{variant['slug']}", f"variante « {variant['slug']} »"))
    return slugs


def _slugs(path: Path) -> list[tuple[str, str]]:
    return _notebook_slugs(path) if path.suffix == ".ipynb" else external_slugs(path)


def check_duplicate_slugs(checked: Sequence[Path], settings: ValidationSettings) -> list[Problem]:
    """Slugs of the checked files that another gallery file (or entry) already uses."""
    context = _expand([settings.notebooks_dir]) if settings.notebooks_dir.is_dir() else []
    if settings.external_file.exists():
        context.append(settings.external_file.resolve())
    owners: dict[str, list[tuple[Path, str]]] = {}
    for path in dict.fromkeys([*checked, *context]):
        for slug, label in _slugs(path):
            owners.setdefault(slug, []).append((path, label))
    problems = []
    for slug, places in owners.items():
        for path, label in places:
            others = [f"{p.name} ({lab})" for p, lab in places if (p, lab) != (path, label)]
            if others and path in checked:
                problems.append(
                    Problem(
                        path,
                        "duplicate-slug",
                        f"Le slug « {slug} » ({label}) est aussi celui de {', '.join(others)}.",
                        "Choisissez un slug unique : c'est l'adresse de la page dans la galerie.",
                    )
                )
    return problems


def _check_file(path: Path, settings: ValidationSettings, keys: frozenset[str]) -> list[Problem]:
    if not path.exists():
        return [Problem(path, "file-not-found", "Fichier introuvable.", "Vérifiez le chemin.")]
    if path.suffix in (".yaml", ".yml"):
        return check_external(path, keys)
    return [
        Problem(
            path,
            "file-not-supported",
            "Ce n'est ni un notebook (.ipynb) ni un fichier de réutilisations externes (.yaml).",
            "Passez un notebook de notebooks/ ou gallery/external.yaml.",
        )
    ]


def validate_paths(
    paths: Sequence[Path] | None = None,
    settings: ValidationSettings | None = None,
    on_done: Callable[[JobResult], None] | None = None,
) -> Report:
    """Check ``paths`` (default: every notebook and the external file) and report all."""
    settings = settings or ValidationSettings()
    checked = _expand(paths if paths else default_paths(settings))
    keys = frozenset(load_registry().keys())
    problems: list[Problem] = []
    notebooks: list[Notebook] = []
    for path in checked:
        if path.suffix != ".ipynb" or not path.exists():
            problems += _check_file(path, settings, keys)
            continue
        nb = read_notebook(path, settings, keys)
        if isinstance(nb, Problem):
            problems.append(nb)
            continue
        notebooks.append(nb)
        for check in NOTEBOOK_CHECKS:
            problems += check(nb)
    problems += check_duplicate_slugs(checked, settings)
    if settings.run and notebooks:
        problems += check_execution(notebooks, settings.jobs, settings.kernel_name, on_done)
    order = {path: i for i, path in enumerate(checked)}
    problems.sort(key=lambda p: order.get(p.path, len(order)))
    return Report(checked, problems, settings.run)


def _s(n: int) -> str:
    return "s" if n > 1 else ""


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def format_report(report: Report) -> str:
    """French report grouped per file, each problem with its fix; a short line when clean."""
    n_files = len(report.checked)
    not_run = "" if report.ran else " (sans exécution : --no-run ; la CI exécute les notebooks)"
    if report.ok:
        return f"Tout est bon : {n_files} fichier{_s(n_files)} vérifié{_s(n_files)}{not_run}."
    lines = []
    grouped = report.by_file()
    for path, problems in grouped.items():
        lines.append(f"{_shown(path)} — {len(problems)} problème{_s(len(problems))}")
        for number, problem in enumerate(problems, start=1):
            head = f"  {number}. [{problem.code}] "
            lines.append(
                textwrap.fill(problem.message, 100, initial_indent=head, subsequent_indent=" " * 6)
            )
            lines.append(
                textwrap.fill(problem.fix, 100, initial_indent="     → ", subsequent_indent=" " * 7)
            )
        lines.append("")
    n = len(report.problems)
    summary = (
        f"{n} problème{_s(n)} dans {len(grouped)} fichier{_s(len(grouped))} sur {n_files} "
        f"vérifié{_s(n_files)}{not_run}. Corrigez-les puis relancez la validation."
    )
    lines.append(textwrap.fill(summary, 100))
    return "\n".join(lines)
