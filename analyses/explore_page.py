"""The Explorateur's page: open a dataset, compute every view for the reader's choices.

:func:`open_dataset` connects to the snapshot or the portal and plans the views;
:func:`overview` computes them all for one filter, period and measure. The choices the
controls offer, and the « réutiliser » texts beside each view, come from here too, so
the notebook only lays the widgets out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .explore import (
    View,
    count_view,
    coverage_view,
    map_view,
    preview_view,
    series_view,
    span_view,
    top_values_view,
)
from .explore_plan import FieldInfo, Granularity, choose_granularity, is_free_text, plan_views
from .explore_selection import Selection, make_selection
from .explore_sources import (
    ExploreError,
    MissingFieldError,
    Source,
    ViewUnavailableError,
    catalogue,
    connect,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

FILTER_VALUES = 15
"""Values of each categorical field offered in the filter list."""
NO_FILTER = ("Aucun filtre", "")
COUNT_MEASURE = ("Nombre d'enregistrements", "")


def plan_source(source: Source) -> Source:
    """Choose a source's views from its field types and the values of its text fields
    (their distinct counts, and whether they read as sentences)."""
    fields, count = source.info.fields, source.info.records_count
    source.plan = plan_views(fields, count)
    texts = [f for f in fields if f.type == "text" and f.name not in source.plan.hidden]
    tops = {}
    for info in texts:
        try:
            tops[info.name] = top_values_view(source, Selection(), info.name).data
        except MissingFieldError as exc:  # a declared field the data lacks: no category
            log.info("%s left out of the plan: %s", info.name, exc)
    distinct = {name: top.distinct for name, top in tops.items()}
    free = [name for name, top in tops.items() if is_free_text(top.counts.index)]
    source.plan = plan_views(fields, count, distinct, free)
    mode = "live" if source.live else "snapshot"
    log.info("planned %s (%s): %s", source.info.dataset_id, mode, source.plan.views)
    return source


def open_dataset(dataset_id: str, source: str | None = None) -> Source:
    """Open a dataset (snapshot or live, see :func:`~analyses.explore_sources.connect`)
    and plan its views (:func:`plan_source`)."""
    return plan_source(connect(dataset_id, source))


def try_open(dataset_id: str, source: str | None = None) -> tuple[Source | None, str]:
    """:func:`open_dataset`, or None and the French reason it cannot be opened."""
    try:
        return open_dataset(dataset_id, source), ""
    except ExploreError as exc:
        return None, str(exc)


@dataclass
class Overview:
    """Every view of the page for one selection."""

    selection: Selection
    problems: list[str]
    """What could not be applied (French), shown above the views."""
    count: View
    coverage: View
    bars: dict[str, View] = field(default_factory=dict)
    measure: FieldInfo | None = None
    span: View | None = None
    granularity: Granularity | None = None
    series: View | None = None
    map: View | None = None
    preview: View | None = None


def _optional(problems: list[str], what: str, compute: Callable[[], T]) -> T | None:
    """A view that may be missing: its French reason joins the problems instead."""
    try:
        return compute()
    except ViewUnavailableError as exc:
        log.info("%s not shown: %s", what, exc)
        reason = str(exc)
        problems.append(f"{what} non affichée : {reason[:1].lower()}{reason[1:]}")
        return None


def overview(
    source: Source, filtre: str = "", debut: str = "", fin: str = "", mesure: str = ""
) -> Overview:
    """Compute every view of the plan for the reader's filter, period and measure.

    Raises
    ------
    ViewUnavailableError
        Not even the record count can be computed (see :func:`try_overview`).
    """
    plan = source.plan
    selection, problems = make_selection(plan, filtre, debut, fin)
    measure = next((f for f in plan.measures if f.name == mesure.strip()), None)
    if mesure.strip() and (measure is None or plan.date_field is None):
        names = ", ".join(f.name for f in plan.measures) if plan.date_field else ""
        problems.append(
            f"mesure « {mesure} » ignorée : "
            + (f"champs numériques possibles : {names}" if names else "pas de série temporelle")
        )
        measure = None
    count = count_view(source, selection)
    result = Overview(selection, problems, count, coverage_view(source, selection), measure=measure)
    for info in plan.categories:
        bars = _optional(
            problems,
            f"la répartition de « {info.title} »",
            lambda name=info.name: top_values_view(source, selection, name),
        )
        if bars is not None:
            result.bars[info.name] = bars
    if plan.date_field is not None:
        result.span = _optional(problems, "la courbe", lambda: span_view(source, selection))
        if result.span is not None and result.span.data is not None:
            result.granularity = choose_granularity(*result.span.data, plan.date_field.type)
            result.series = _optional(
                problems,
                "la courbe",
                lambda: series_view(source, selection, result.granularity, measure),
            )
    if plan.map_field is not None:
        result.map = _optional(
            problems, "la carte", lambda: map_view(source, selection, count.data)
        )
    result.preview = _optional(problems, "l'aperçu", lambda: preview_view(source, selection))
    return result


def try_overview(
    source: Source, filtre: str = "", debut: str = "", fin: str = "", mesure: str = ""
) -> tuple[Overview | None, str]:
    """:func:`overview`, or None and the French reason nothing can be shown."""
    try:
        return overview(source, filtre, debut, fin, mesure), ""
    except ExploreError as exc:
        return None, str(exc)


def dataset_choices(current: str = "") -> list[tuple[str, str]]:
    """(title, dataset id) of the registry's datasets, and ``current`` if not among them."""
    choices = catalogue()
    if current and current not in [ident for _, ident in choices]:
        choices.append((f"« {current} »", current))
    return choices


def filter_choices(source: Source, current: str = "") -> list[tuple[str, str]]:
    """« Commune : Rouen » → ``commune:Rouen`` for the most frequent values of each
    categorical field, and ``current`` if not among them."""
    choices = [NO_FILTER]
    for info in source.plan.filterable:
        try:
            counts = top_values_view(source, Selection(), info.name).data.counts
        except ViewUnavailableError:
            continue
        for value in counts.index[:FILTER_VALUES]:
            if "," not in value:
                choices.append((f"{info.title} : {value}", f"{info.name}:{value}"))
    if current.strip() and current not in [value for _, value in choices]:
        choices.append((f"Filtre demandé : {current}", current))
    return choices


def measure_choices(source: Source, current: str = "") -> list[tuple[str, str]]:
    """Count the records, or add up one of the numeric fields, per period (and
    ``current`` if not among them)."""
    choices = [COUNT_MEASURE] + [(f"Somme de « {f.title} »", f.name) for f in source.plan.measures]
    if current.strip() and current not in [value for _, value in choices]:
        choices.append((f"Mesure demandée : {current}", current))
    return choices


def shown(source: Source, result: Overview) -> dict:
    """What the page shows, as JSON-ready values (recorded by the notebook for tests)."""
    coverage = result.coverage.data
    views = {"count": result.count, "coverage": result.coverage}
    views |= {
        name: v
        for name, v in (("map", result.map), ("series", result.series), ("preview", result.preview))
        if v
    }
    series = None if result.series is None else result.series.data
    return {
        "dataset_id": source.info.dataset_id,
        "key": source.info.key,
        "title": source.info.title,
        "mode": "live" if source.live else "snapshot",
        "computed_on": "portal" if source.on_portal else ("export" if source.live else "snapshot"),
        "export_reason": source.export_reason,
        "views": list(source.plan.views),
        "problems": list(result.problems),
        "count": int(result.count.data),
        "coverage": {
            name: round(float(part), 6) if part == part else None
            for name, part in zip(coverage["nom"], coverage["part"], strict=True)
        },
        "bars": {
            name: [[value, int(n)] for value, n in view.data.counts.head(FILTER_VALUES).items()]
            for name, view in result.bars.items()
        },
        "map": None
        if result.map is None
        else {
            "kind": result.map.data.kind,
            "located": result.map.data.located,
            "items": len(result.map.data.frame),
        },
        "granularity": result.granularity.key if result.granularity else None,
        "measure": result.measure.name if result.measure else None,
        "series_points": 0 if series is None else len(series),
        "series_total": None
        if series is None
        else float(series["total" if result.measure else "n"].sum()),
        "preview_rows": 0 if result.preview is None else len(result.preview.data),
        "urls": {name: view.query.records_url(source.reads) for name, view in views.items()},
    }
