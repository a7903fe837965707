"""The Explorateur's page: the sections of one dataset's views, filled for a selection.

The views are computed by :mod:`analyses.explore_page`; :class:`ExploreBoard` draws them
as a citizen sees them (a map whose popups show the fields' labels, a series, bars, the
fields table, a paged preview), each with the « Réutiliser ces données » request giving
it. The notebook binds the controls and calls :meth:`ExploreBoard.draw`.
"""

from __future__ import annotations

import html
import logging
from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import explore_page as explore
from analyses.explore import LAST_PAGE, PAGE_ROWS, MapData, preview_view
from analyses.explore_sources import Source
from rouen_opendata.formatting import format_count, format_date, format_number, format_percent

from .api_request import api_request
from .charts import ranked_bars, time_series
from .controls import ParameterControls, set_options
from .explore_view import figures_note, preview_table, reuse_texts
from .facts import text_card
from .indicators import kpi_card, kpi_row
from .layout import dashboard, section
from .map_panel import crossing_map
from .map_view import fit_view
from .maps import geojson_layer, points_layer
from .notice import notice_banner, set_notice
from .paged_table import paged_table
from .provenance import provenance_footer, provenance_html
from .symbols import symbol_layer
from .tables import format_cell, html_table

log = logging.getLogger(__name__)

PAGING_LIMIT_NOTE = (
    "Le portail ne donne page par page que les 10 000 premières lignes : "
    "l'export CSV ci-dessous les contient toutes."
)


def map_layer(source: Source, data: MapData) -> ipw.Widget:
    """The map's layer: points with their facts, counted circles, or shapes."""
    if data.kind == "clusters":
        return symbol_layer(
            data.frame,
            "Enregistrements regroupés",
            {"count": "Enregistrements"},
            size="count",
            min_radius=4,
            max_radius=22,
        )
    popup = {f.name: f.title for f in source.plan.popup if f.name in data.frame.columns}
    if data.kind == "shapes":
        features = [
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {popup[k]: format_cell(row[k]) for k in popup},
            }
            for geometry, row in zip(
                data.frame["geometry"], data.frame.to_dict("records"), strict=True
            )
        ]
        return geojson_layer({"type": "FeatureCollection", "features": features}, "Formes")
    return points_layer(data.frame, "Enregistrements", popup, radius=6)


class ExploreBoard:
    """The Explorateur's page: one dataset's sections, filled for the reader's choices.

    ``page`` is the widget to display; :meth:`draw` opens another dataset when asked
    and fills every view, returning what the page shows (:func:`~analyses.explore_page.shown`).
    """

    def __init__(self, controls: ParameterControls) -> None:
        self.controls = controls
        self.notice = notice_banner()
        self.body = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.footer = provenance_footer([])
        self.page = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.parts: dict[str, Any] = {}
        self.source: Source | None = None
        self.values: dict[str, Any] | None = None
        """The values drawn last (None before the first drawing)."""

    def draw(self, source: Source | None, problem: str, values: dict[str, Any]) -> dict:
        """Show ``source`` for ``values`` (a new dataset alone clears the other choices)."""
        if self.values is None or values["dataset_id"] != self.values["dataset_id"]:
            values = self._choose(source, values)
            self._open(source, problem)
        self.values = dict(values)
        shown: dict[str, Any] = {"problem": problem, "parameters": self.controls.values}
        if source is None:
            return shown
        result, failure = explore.try_overview(
            source, values["filtre"], values["debut"], values["fin"], values["mesure"]
        )
        if result is None:
            self.body.children = []
            set_notice(self.notice, failure, "Les vues ne peuvent pas être affichées")
            return shown | {"problem": failure}
        self._fill(source, result)
        return shown | explore.shown(source, result)

    def _choose(self, source: Source | None, values: dict[str, Any]) -> dict[str, Any]:
        """The controls' choices for a new dataset; the reader's other choices are cleared
        when only the dataset changed (they belonged to the previous one)."""
        others = ("filtre", "debut", "fin", "mesure")
        if self.values is not None and all(values[k] == self.values[k] for k in others):
            values = {**values, **dict.fromkeys(others, "")}
        controls = self.controls.controls
        filters = (
            explore.filter_choices(source, values["filtre"]) if source else [explore.NO_FILTER]
        )
        measures = (
            explore.measure_choices(source, values["mesure"]) if source else [explore.COUNT_MEASURE]
        )
        dated = source is not None and source.plan.date_field is not None
        with self.controls.hold(notify=False):
            set_options(controls["filtre"], filters, values["filtre"])
            set_options(controls["mesure"], measures, values["mesure"])
            period = controls[("debut", "fin")]
            if not values["debut"]:
                period.start.value = None
            if not values["fin"]:
                period.end.value = None
            period.layout.display = "" if dated else "none"
            controls["mesure"].layout.display = "" if dated and source.plan.measures else "none"
            controls["filtre"].layout.display = "" if len(filters) > 1 else "none"
        return values

    def _open(self, source: Source | None, problem: str) -> None:
        """Title, warning, controls and the sections of the views chosen for the dataset."""
        self.source = source
        if source is None:
            self.parts, self.body.children = {}, []
            available = [f"{title} ({ident})" for title, ident in explore.dataset_choices()]
            set_notice(
                self.notice,
                problem,
                "Jeu de données introuvable",
                available,
                "Jeux disponibles hors ligne",
            )
            title, intro, provenances = "Explorateur", "Choisissez un jeu dans la liste.", []
        else:
            set_notice(self.notice, "")
            self.parts, self.body.children = _sections(source)
            info, provenances = source.info, [source.provenance]
            title = f"Explorer : {info.title}"
            intro = (
                f"{format_count(info.records_count, 'enregistrement')}, "
                f"{format_count(len(info.fields), 'champ')}. Les vues sont choisies d'après "
                "le type des champs ; sous chacune, la requête au portail qui la produit."
            )
        self.footer.value = provenance_html(provenances)
        self.footer.layout.display = "" if provenances else "none"
        board = dashboard(
            title, intro, self.controls, [self.notice, self.body], provenances, footer=False
        )
        self.page.children = [board]

    def _fill(self, source: Source, result: explore.Overview) -> None:
        """Put every view of ``result`` on the page, with the request giving it."""
        parts, req = self.parts, self.parts["requests"]
        problems = " ; ".join(result.problems)
        if problems:
            set_notice(
                self.notice, problems[:1].upper() + problems[1:], "Tout n'a pas pu être appliqué"
            )
        else:
            set_notice(
                self.notice,
                figures_note(source) if source.export_reason else "",
                "Calculs faits sur l'export du jeu",
            )
        total = source.info.records_count
        parts["count"].update(
            result.count.data,
            help=None if result.selection.is_everything else f"sur {format_number(total)} au total",
        )
        parts["modified"].update(
            format_date(source.info.modified) if source.info.modified else "non communiquée"
        )
        coverage = result.coverage.data
        parts["filled"].update(
            coverage["part"].mean() * 100, help=f"en moyenne sur les {len(coverage)} champs"
        )
        table = pd.DataFrame(
            {
                "Champ": coverage["champ"],
                "Nom dans l'API": coverage["nom"],
                "Type": coverage["type"],
                "Renseigné": coverage["part"].map(format_percent),
            }
        )
        parts["fields"].value = html_table(
            table,
            "Champs du jeu et part des enregistrements où ils sont renseignés",
            max_rows=len(table),
        )
        views = {"count": result.count, "coverage": result.coverage, "preview": result.preview}
        for name, bars in result.bars.items():
            parts["bars"][name].update(bars.data.counts)
            views[name] = bars
        if result.map is not None:
            _fill_map(source, parts, result.map.data)
            views["map"] = result.map
        if "series" in parts:
            _fill_series(parts["series"], result)
            views["series"] = result.series
        for name, view in views.items():
            if view is not None:
                req[name].update(**reuse_texts(source, view.query))
        parts["table"].reset(
            lambda page: preview_table(source, preview_view(source, result.selection, page).data),
            result.count.data,
        )


def _fill_map(source: Source, parts: dict[str, Any], data: MapData) -> None:
    parts["map"].replace_layer("Enregistrements", map_layer(source, data))
    if data.kind != "shapes":
        fit_view(parts["map"].map, data.frame)
    grouped = " regroupés par zone" if data.kind == "clusters" else ""
    cut = " : seuls les premiers ont été lus" if data.truncated else ""
    note = f"{format_count(data.located, 'enregistrement')} sur la carte{grouped}{cut}."
    parts["map_note"].value = f'<p class="rr-table-note">{html.escape(note)}</p>'


def _fill_series(chart: Any, result: explore.Overview) -> None:
    unit = f"Somme de « {result.measure.title} »" if result.measure else "Enregistrements"
    chart.set_labels(y_label=unit)
    if result.series is None:
        chart.set_title(f"{unit} : aucune date dans cette sélection")
        chart.update(pd.DataFrame({"periode": [], "n": []}), "periode", "n")
        return
    chart.set_labels(x_label=result.granularity.axis_label)
    chart.set_title(f"{unit} {result.granularity.label}")
    chart.update(result.series.data, "periode", "total" if result.measure else "n")


def _sections(source: Source) -> tuple[dict[str, Any], list[ipw.Widget]]:
    """The widgets of the views chosen for this dataset (empty), and the page's sections."""
    plan = source.plan
    parts: dict[str, Any] = {
        "count": kpi_card("Enregistrements", None),
        "modified": text_card("Dernière mise à jour", ""),
        "filled": kpi_card("Cases renseignées", None, "%"),
        "licence": text_card("Licence", source.info.licence or "non précisée"),
        "fields": ipw.HTML(layout=ipw.Layout(width="100%")),
        "bars": {
            f.name: ranked_bars(
                pd.Series(dtype=float), f.title, "Enregistrements", label_name=f.title
            )
            for f in plan.categories
        },
    }
    names = ["count", "coverage", "preview", "map", "series", *parts["bars"]]
    req = parts["requests"] = {name: api_request("") for name in names}
    sections = [
        kpi_row([parts[k] for k in ("count", "modified", "filled", "licence")]),
        req["count"],
    ]
    if plan.map_field is not None:
        parts["map"] = crossing_map(
            {}, info="Touchez ou survolez un point pour afficher ses informations."
        )
        parts["map_note"] = ipw.HTML()
        sections.append(section("Où ?", [parts["map"], parts["map_note"], req["map"]]))
    if plan.date_field is not None:
        parts["series"] = time_series(
            pd.DataFrame({"d": [], "v": []}), "d", "v", "", "Enregistrements"
        )
        title = f"Quand ? Selon « {plan.date_field.title} »"
        sections.append(section(title, [parts["series"], req["series"]]))
    if plan.categories:
        bars = [ipw.VBox([parts["bars"][f.name], req[f.name]]) for f in plan.categories]
        sections.append(section("Quelles valeurs reviennent le plus ?", bars))
    parts["table"] = paged_table(
        lambda page: pd.DataFrame(),
        0,
        PAGE_ROWS,
        "Premiers enregistrements",
        last_page=LAST_PAGE,
        limit_note=PAGING_LIMIT_NOTE,
    )
    sections.append(
        section(
            "Les champs du jeu",
            [parts["fields"], req["coverage"]],
            "Chaque champ, son type et la part des enregistrements où il est renseigné.",
        )
    )
    sections.append(section("Aperçu des données", [parts["table"], req["preview"]]))
    return parts, sections
