"""What the « permis de construire » dashboard shows for one commune, year and type.

:class:`PermitData` prepares the authorisations once (:func:`analyses.permits.prepare`)
beside the communes' reference table, checks a visitor's values, and gives the view of
a choice (:meth:`PermitData.view`); drawing it is :mod:`widgets.permits_board`'s job.
Pure computations: no widget, no colour, no HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import permits

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PermitData:
    """The authorisations, their years and the communes, ready for every choice.

    Attributes
    ----------
    rows
        The authorisations after :func:`analyses.permits.prepare`.
    communes
        The ``communes-metropole`` table: INSEE code, name, population, outline.
    years
        Years of authorisation present, in order.
    """

    rows: pd.DataFrame
    communes: pd.DataFrame
    years: list[int]

    @classmethod
    def from_frames(cls, frame: pd.DataFrame, communes: pd.DataFrame) -> PermitData:
        """From the permits frame (sample or real, same fields) and the communes table."""
        rows = permits.prepare(frame)
        years = permits.years(rows)
        log.info("%d authorisations over %d years", len(rows), len(years))
        return cls(rows, communes, years)

    @property
    def commune_names(self) -> list[str]:
        """Communes with at least one authorisation, in French alphabetical order."""
        return permits.communes(self.rows)

    @property
    def population_year(self) -> int:
        """Year of the INSEE legal populations used for the ratios."""
        return int(self.communes["population_millesime"].iloc[0])

    @property
    def checks(self) -> dict[str, Callable[[Any], Any]]:
        """Parameter name → its check: the value to use, or ``ValueError`` in French.

        A commune's name is accepted in any case (« elbeuf » gives « Elbeuf »).
        """
        return {
            "commune": lambda value: permits.check_commune(self.rows, value),
            "annee": lambda value: permits.check_year(self.rows, value),
            "type_dau": lambda value: permits.check_type(self.rows, value),
        }

    def view(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every figure the dashboard shows for ``commune``, ``annee`` and ``type_dau``.

        ``previous`` holds the totals of the year before when it is in the data (else
        None); ``communes``, ``per_1000`` and ``table`` cover every commune, so that the
        chosen one is seen among the others.
        """
        commune, year, kind = values["commune"], values["annee"], values["type_dau"]
        rows = self.rows
        chosen = permits.select(rows, commune, year, kind)
        before = None
        if year - 1 in self.years:
            before = permits.totals(permits.select(rows, commune, year - 1, kind))
        everywhere = permits.select(rows, permits.ALL_COMMUNES, year, kind)
        return {
            "commune": commune,
            "annee": year,
            "type_dau": kind,
            "years": self.years,
            "rows": chosen,
            "totals": permits.totals(chosen),
            "previous": before,
            "yearly": permits.yearly(
                permits.select(rows, commune, permits.ALL_YEARS, kind), self.years
            ),
            "communes": permits.by_commune(everywhere),
            "kinds": permits.by_dwelling_type(chosen),
            "per_1000": permits.per_1000_by_commune(everywhere, self.communes),
            "table": permits.commune_year_table(
                permits.select(rows, permits.ALL_COMMUNES, permits.ALL_YEARS, kind), self.years
            ),
        }
