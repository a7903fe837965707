"""Gallery entries: each record, and each of its variants, becomes one page."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from dashboard.schema import notebook_parameters, validate_parameters

from .exceptions import ParameterError, RecordError
from .record import ExternalReuse, NotebookReuse, format_validation_error, notebook_record

log = logging.getLogger(__name__)


@dataclass
class Entry:
    """One gallery page: a notebook with parameters, or an external link."""

    slug: str
    title: str
    record: NotebookReuse | ExternalReuse
    parameters: dict[str, Any] = field(default_factory=dict)
    """Parameters passed to papermill (validated against the parameters cell)."""
    declared: dict[str, Any] = field(default_factory=dict)
    """Every declared parameter with the value used (defaults filled in)."""
    problem: str | None = None
    """Why the entry cannot run (French), found before execution."""
    datasets: list[str] = field(default_factory=list)
    """Registry keys this entry reads (the variant's own list, else the record's)."""

    def __post_init__(self) -> None:
        if not self.datasets:
            self.datasets = list(self.record.datasets)

    @property
    def notebook(self) -> Path | None:
        return self.record.path if isinstance(self.record, NotebookReuse) else None

    @property
    def is_external(self) -> bool:
        return isinstance(self.record, ExternalReuse)


def read_notebook(path: Path) -> dict[str, Any]:
    """A notebook as plain JSON (nbformat's validation is slow to import; papermill
    validates when it executes). Sources are joined into strings."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if isinstance(cell.get("source"), list):
                cell["source"] = "".join(cell["source"])
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise RecordError(f"{path} : ce fichier n'est pas un notebook lisible ({exc}).") from None
    return nb


def notebook_entries(path: Path) -> list[Entry]:
    """The entries of one notebook: itself with defaults, then one per variant."""
    nb = read_notebook(path)
    record = notebook_record(nb, path)
    try:
        declared = notebook_parameters(nb)
    except ParameterError as exc:
        return [Entry(record.slug, record.title, record, problem=str(exc))]
    defaults = {name: p.default for name, p in declared.items()}
    entries = [Entry(record.slug, record.title, record, {}, defaults)]
    for variant in record.variants:
        slug = f"{record.slug}-{variant.slug}"
        try:
            typed = validate_parameters(variant.parameters, declared)
            entries.append(
                Entry(
                    slug,
                    variant.title,
                    record,
                    typed,
                    {**defaults, **typed},
                    datasets=list(variant.datasets or record.datasets),
                )
            )
        except ParameterError as exc:
            entries.append(
                Entry(
                    slug,
                    variant.title,
                    record,
                    dict(variant.parameters),
                    problem=f"Variante « {variant.slug} » : {exc}",
                )
            )
    return entries


def external_entries(path: Path) -> tuple[list[Entry], list[str]]:
    """Entries of ``gallery/external.yaml``, and the entries that could not be read."""
    if not path.exists():
        return [], []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        return [], [f"{path} : YAML illisible ({exc})."]
    if not isinstance(raw, list):
        return [], [f"{path} : une liste de réutilisations est attendue."]
    adapter = TypeAdapter(ExternalReuse)
    entries, problems = [], []
    for index, item in enumerate(raw):
        try:
            record = adapter.validate_python(item)
        except ValidationError as exc:
            problems.append(format_validation_error(exc, f"{path} (entrée {index + 1})"))
            continue
        entries.append(Entry(record.slug, record.title, record))
    return entries, problems


def collect_entries(notebooks_dir: Path, external_file: Path) -> tuple[list[Entry], list[str]]:
    """Every entry of the gallery, and the records that could not be used (French).

    A notebook or external record that is invalid, or whose slug is already taken, is
    reported and left out: the others still build.
    """
    entries: list[Entry] = []
    problems: list[str] = []
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        try:
            entries.extend(notebook_entries(path))
        except (RecordError, OSError) as exc:
            problems.append(str(exc))
    external, external_problems = external_entries(external_file)
    entries.extend(external)
    problems.extend(external_problems)
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.slug in seen:
            problems.append(
                f"Deux réutilisations ont le même identifiant « {entry.slug} » : "
                f"« {entry.title} » est laissée de côté."
            )
            continue
        seen[entry.slug] = entry
    return list(seen.values()), problems
