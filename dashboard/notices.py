"""The notice a dashboard shows when its address had something it refused.

Short at once, complete on demand: one sentence per refused item (« « Tour Eiffel »
n'est pas un choix possible pour « Compteur » »), then the full lists — every valid
choice, every accepted parameter — behind a native ``<details>`` disclosure, so a
commune list of 71 names does not push the dashboard out of the first screen. The
runtime displays the notice at the top of the page (:class:`dashboard.Page`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .schema import TYPE_NAMES_FR, Parameter

HEADING = "Une partie de l'adresse de cette page n'a pas été comprise"
"""First words of the notice (tests and the browser look for them)."""


@dataclass(frozen=True)
class Problem:
    """One refused item of a dashboard address."""

    text: str
    """Short French sentence, shown at once (no final full stop)."""
    choices: Sequence[str] = field(default_factory=tuple)
    """Every valid choice as shown behind the disclosure (« « PIS-03 » (Piscine) »)."""
    subject: str = ""
    """What the choices are for (« « ligne » quand « mode » vaut « Bus » »)."""

    def __str__(self) -> str:
        return self.text


class ChoiceError(ValueError):
    """A value outside a parameter's choices; carries the choices for the notice."""

    def __init__(self, value: Any, subject: str, choices: Iterable[str]) -> None:
        self.problem = Problem(
            f"« {value} » n'est pas un choix possible pour {subject}. Choisissez dans la liste",
            tuple(choices),
            subject,
        )
        super().__init__(self.problem.text)


def url_text(value: Any) -> str:
    """A value as the address writes it (« oui »/« non » for booleans)."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return repr(value) if isinstance(value, float) else str(value)


def notice_html(problems: Sequence[Problem], declared: Mapping[str, Parameter]) -> str:
    """The notice's markup; empty when nothing was refused. Every text is escaped."""
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(p.text)}.</li>" for p in problems)
    lists = "".join(
        f"<li>{html.escape(p.subject)} (choix possibles : {html.escape(', '.join(p.choices))})."
        "</li>"
        for p in problems
        if p.choices
    )
    accepted = "; ".join(
        f"{html.escape(p.name)} ({TYPE_NAMES_FR[p.type_name]}, par défaut "
        f"« {html.escape(url_text(p.default))} »)"
        for p in declared.values()
    )
    return (
        '<div class="rr-banner rr-banner--generated" role="status">'
        f"<p><strong>{HEADING}</strong> : le tableau de bord utilise les valeurs par "
        "défaut à la place.</p>"
        f"<ul>{items}</ul>"
        '<details class="rr-details"><summary>Ce que l\'adresse peut contenir</summary>'
        + (f"<ul>{lists}</ul>" if lists else "")
        + f"<p>Paramètres acceptés : {accepted or 'aucun'}.</p></details></div>"
    )
