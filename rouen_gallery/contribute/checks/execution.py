"""Run each notebook (defaults, then each variant) on the embedded snapshots, as the build does.

Reports failures, runs over the record's timeout, and personal data in what the run shows.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.schema import validate_parameters

from ...exceptions import ParameterError
from ...execute import Job, JobResult, run_jobs
from ...record import NotebookReuse
from .base import Notebook, Problem, where
from .parameters import declared_parameters
from .personal import check_personal_columns_in_outputs

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = NotebookReuse.model_fields["timeout"].default
"""Timeout of a notebook whose record cannot be read (the schema's default)."""


@dataclass
class Run:
    """One execution planned for a notebook."""

    notebook: Notebook
    label: str
    """« valeurs par défaut » or « variante « x » » (French, for messages)."""
    job: Job


def _timeout(nb: Notebook) -> int:
    raw = nb.raw_record if isinstance(nb.raw_record, dict) else {}
    value = raw.get("timeout", DEFAULT_TIMEOUT)
    return value if isinstance(value, int) and 10 <= value <= 3600 else DEFAULT_TIMEOUT


def plan_runs(notebooks: Iterable[Notebook], workdir: Path, kernel_name: str) -> list[Run]:
    """Defaults of every notebook, and each variant whose parameters are valid."""
    runs = []
    stems: set[str] = set()
    for number, nb in enumerate(notebooks):
        # Job slugs name the worker's files and its log lines: readable and unique.
        stem = nb.path.stem if nb.path.stem not in stems else f"{nb.path.stem}-{number}"
        stems.add(stem)
        timeout = _timeout(nb)
        env = {"OPENDATA_SOURCE": "snapshot"}
        settings: list[tuple[str, str, dict[str, Any]]] = [("valeurs par défaut", stem, {})]
        declared = declared_parameters(nb)
        for variant in nb.record.variants if nb.record else []:
            try:
                typed = validate_parameters(variant.parameters, declared)
            except ParameterError:
                continue  # reported by check_variants; not run
            settings.append((f"variante « {variant.slug} »", f"{stem}-{variant.slug}", typed))
        for label, slug, parameters in settings:
            job = Job(
                slug, nb.path, workdir / f"{slug}.ipynb", parameters, timeout, kernel_name, env
            )
            runs.append(Run(nb, label, job))
    return runs


PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}
"""Cells papermill adds to its output; skipped to count cells as the contributor sees them."""


def _failure(output: Path) -> str:
    """« Cellule 4 : NameError — … » from the executed notebook, counted like the source."""
    try:
        executed = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return ""
    cells = [
        c
        for c in executed.get("cells", [])
        if not PAPERMILL_TAGS & set((c.get("metadata") or {}).get("tags") or [])
    ]
    for index, cell in enumerate(cells, start=1):
        for out in cell.get("outputs") or []:
            if out.get("output_type") == "error":
                return f"{where(index)} : {out.get('ename')} — {out.get('evalue')}"[:500]
    return ""


def run_problems(run: Run, result: JobResult) -> list[Problem]:
    """What one run says about its notebook."""
    nb, timeout = run.notebook, run.job.timeout
    if result.status == "timeout" or (result.status == "ok" and result.seconds > timeout):
        return [
            nb.problem(
                "too-slow",
                f"Exécution ({run.label}) : plus de {timeout} s, la limite de la fiche "
                f"(arrêtée après {result.seconds:.0f} s).",
                "Allégez le calcul (filtrez tôt, agrégez, évitez les boucles sur les lignes) ; "
                "si le temps est justifié, augmentez « timeout » dans la fiche (3600 s au plus).",
            )
        ]
    if result.status != "ok":
        log.info("%s (%s) failed:\n%s", nb.path, run.label, result.detail)
        return [
            nb.problem(
                "execution-failed",
                f"Exécution ({run.label}) : {_failure(run.job.output) or result.message}",
                "Relancez le notebook dans JupyterLab (Exécuter › Redémarrer le noyau et tout "
                "exécuter) avec ces paramètres, corrigez l'erreur, puis videz les sorties.",
            )
        ]
    try:
        executed = json.loads(run.job.output.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return []
    return check_personal_columns_in_outputs(nb, executed)


def check_execution(
    notebooks: list[Notebook],
    workers: int,
    kernel_name: str = "python3",
    on_done: Callable[[JobResult], None] | None = None,
) -> list[Problem]:
    """Execute every notebook and variant in parallel; problems in notebook order."""
    with tempfile.TemporaryDirectory(prefix="gallery-validate-") as tmp:
        runs = plan_runs(notebooks, Path(tmp), kernel_name)
        results = {r.slug: r for r in run_jobs([r.job for r in runs], workers, on_done)}
        problems: list[Problem] = []
        for run in runs:
            problems += run_problems(run, results[run.job.slug])
    return problems
