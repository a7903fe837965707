"""The reader's selection: exact values of some fields and a period of the date field.

The dashboard's parameters ``filtre`` (``champ:valeur``, comma-separated) and
``debut``/``fin`` (ISO dates, the end included) become a :class:`Selection`;
:func:`make_selection` leaves out what it cannot apply and says why in French, so a
mistyped address still gives a dashboard.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .explore_plan import FILTER_TYPES, ViewPlan

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Selection:
    """Which records the views describe: exact values, and a period of the date field."""

    filters: tuple[tuple[str, str], ...] = ()
    date_field: str | None = None
    start: date | None = None
    end: date | None = None
    """Last day included."""

    @property
    def is_everything(self) -> bool:
        return not self.filters and self.start is None and self.end is None

    @property
    def end_exclusive(self) -> date | None:
        return None if self.end is None else self.end + timedelta(days=1)


def check_date(value: str) -> str:
    """Accept ``""`` or an ISO date (``AAAA-MM-JJ``); raise ``ValueError`` in French."""
    if value.strip():
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"« {value} » n'est pas une date (format attendu : AAAA-MM-JJ)"
            ) from None
    return value


def parse_filter(text: str) -> list[tuple[str, str]]:
    """``"commune:Rouen, pavtyp:Textile"`` → ``[("commune", "Rouen"), ("pavtyp", "Textile")]``.

    Raises ``ValueError`` in French for a piece without ``:``. Values may not contain
    commas (the separator).
    """
    pairs = []
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        name, sep, value = piece.partition(":")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"« {piece} » ne suit pas la forme champ:valeur")
        pairs.append((name.strip(), value.strip()))
    return pairs


def make_selection(
    plan: ViewPlan, filtre: str = "", debut: str = "", fin: str = ""
) -> tuple[Selection, list[str]]:
    """The selection to apply, and what could not be applied (French sentences).

    A filter on an unknown field, on a field that is not text or an integer, or naming a
    field twice is left out; a period on a dataset without dates is ignored; a period
    whose start follows its end is swapped.
    """
    problems: list[str] = []
    filters: dict[str, str] = {}
    try:
        pairs = parse_filter(filtre)
    except ValueError as exc:
        problems.append(f"filtre ignoré : {exc}")
        pairs = []
    names = ", ".join(f.name for f in plan.filterable) or "aucun"
    for name, value in pairs:
        found = plan.field(name)
        if found is None or name in plan.hidden:
            problems.append(f"filtre « {name} » ignoré : ce champ n'existe pas (champs : {names})")
        elif found.type not in FILTER_TYPES:
            problems.append(
                f"filtre « {name} » ignoré : seuls les champs texte ou entiers filtrent"
            )
        elif name in filters:
            problems.append(f"filtre « {name}:{value} » ignoré : une seule valeur par champ")
        elif found.type == "int" and not re.fullmatch(r"-?\d+", value):
            problems.append(f"filtre « {name} » ignoré : « {value} » n'est pas un entier")
        else:
            filters[name] = value
    start = date.fromisoformat(debut.strip()) if debut.strip() else None
    end = date.fromisoformat(fin.strip()) if fin.strip() else None
    if (start or end) and plan.date_field is None:
        problems.append("période ignorée : ce jeu de données n'a pas de champ date")
        start = end = None
    if start and end and start > end:
        start, end = end, start
    selection = Selection(
        tuple(filters.items()),
        plan.date_field.name if plan.date_field else None,
        start,
        end,
    )
    return selection, problems
