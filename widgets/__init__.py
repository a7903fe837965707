"""Reusable dashboard components of the reuse gallery (French UI, no data fetching).

Widgets receive frames and ``DataProvenance`` objects from ``rouen_opendata``; they
never read files or URLs. Every chart and map can be updated in place by controls,
and has a table alternative for screen readers. Everything public is re-exported
here (``import widgets as w``); each job has one module:

- ``api_request``: the portal request behind a view (« Réutiliser ces données »).
- ``axes``: chart axes in French: round ticks, French tick labels, room for long labels.
- ``background``: every map's background without network: commune outlines and names.
- ``bikeshare_board``: the Lovélo page's figures: station and stop map, cards, distances, density.
- ``calendar``: calendar heat map of daily values (weeks or months).
- ``charging_board``: the charging stations page's figures: station map, cards, distances, communes.
- ``charts``: charts with a data table: time series, ranked (or ordered) horizontal bars.
- ``checklist``: tick boxes for choosing several options, one parameter.
- ``choropleth``: communes coloured by class of a value, with a legend in words.
- ``colors``: default colour, CSS colour check, swatches and HTML legends.
- ``controls``: filter controls whose values are the notebook's parameters.
- ``counter_board``: the bike counters page's figures, updated in place: map, cards, records.
- ``crossing_board``: the crossing map page's figures: layers, commune shares, cards, table.
- ``crowd``: crowd levels (« calme », « chargé ») as HTML tables.
- ``download``: « Télécharger le tableau » CSV link that works without a kernel.
- ``dropoff_board``: the drop-off points page's figures: container map, point, cards, communes.
- ``energy_board``: the energy page's figures: cards, years, rankings, map, commune table.
- ``entries_board``: the attendance page's figures: cards, timeline, calendar, profiles, places.
- ``explore_board``: the Explorateur's page for any dataset: map, series, facets, table, requests.
- ``explore_view``: the Explorateur's parts: data preview, notes on left-out views, reuse texts.
- ``facts``: key facts written as text, beside the KPI cards.
- French numbers, percentages and dates come from ``rouen_opendata.formatting`` (re-exported).
- ``gap_series``: dated line that shows missing data as gaps.
- ``graduated``: points in classes of a value: circle markers with popups and a legend.
- ``grouped_bars``: bars of several series, grouped or stacked.
- ``heatmap``: day-of-week × hour heat map.
- ``indicators``: key figure cards with their trend.
- ``layout``: the dashboard frame: style, title, sections, sources.
- ``link_markers``: markers whose popups carry links.
- ``map_panel``: maps crossing layers: switcher, legend, info panel, table.
- ``map_view``: map view fitted to its points, computed in Python.
- ``maps``: base map and point layers that stay light; replaced markers closed.
- ``network_board``: the Astuce network page's figures: stop map, cards, lines, weeks.
- ``notice``: French notice banner above a dashboard.
- ``paged_table``: table shown one page at a time.
- ``permits_board``: the building permits page's figures: permit map, cards, years, communes, types.
- ``point_picker``: a point the visitor moves on a map.
- ``provenance``: sources footer and data warning banner.
- ``ridership_board``: the boardings page's figures: stop map, cards, rankings, months.
- ``steady_points``: graduated circles restyled in place when the same points are redrawn.
- ``symbols``: circles sized by a value and coloured by a category, in one GeoJSON layer.
- ``tables``: accessible HTML tables and the « Voir les données en tableau » disclosure.
- ``trees_board``: the remarkable trees page's figures: map by forest, cards, rankings, list.
- ``visit_board``: the « quand y aller ? » page's figures: the answer in words, week, months.

A function named like its module (``gap_series``, ``checklist``…) replaces the module
as an attribute of the package: import such modules with ``from widgets.X import …``.
"""

from rouen_opendata.formatting import (
    DAYS,
    DAYS_SHORT,
    MISSING,
    MONTHS,
    format_count,
    format_date,
    format_date_range,
    format_number,
    format_percent,
    is_missing,
)

from .api_request import ApiRequest, api_request, api_request_html
from .axes import (
    french_tick_labels,
    js_number,
    label_margin,
    nice_ticks,
    set_date_ticks,
    set_value_ticks,
    short_labels,
    tick_decimals,
)
from .background import (
    CommuneNames,
    MapBackground,
    NameIcon,
    OutlineShapes,
    add_background,
    default_outlines,
    light_outlines,
    name_places,
    names_at_zoom,
    outlines_collection,
    rounded,
)
from .bikeshare_board import BikeshareFigures, shown_stops, walking_options
from .calendar import (
    CalendarHeatmap,
    NullableGridHeatMap,
    calendar_heatmap,
    month_grid,
    week_grid,
    week_tick_labels,
)
from .charging_board import (
    ChargingFigures,
    distance_options,
    kw_text,
    outside_text,
    power_options,
)
from .charts import Chart, RankedBars, TimeSeriesChart, make_figure, ranked_bars, time_series
from .checklist import Checklist, checklist
from .choropleth import Choropleth, value_text
from .colors import DEFAULT_COLOR, MODE_COLORS, css_color, legend_html, line_colors, swatch_html
from .controls import (
    DateRange,
    ParameterControls,
    date_picker,
    date_range,
    dropdown,
    multi_select,
    set_options,
)
from .counter_board import CounterBoard, gap_text, outages_html, records_html, yoy_html
from .crossing_board import CrossingBoard, layer_checklist
from .crowd import level_badge, month_grid_html, typical_range, week_table_html
from .download import CsvDownload, csv_data_uri, csv_download, csv_text, safe_filename
from .dropoff_board import DropoffFigures, density_headers, spelling_html, what_text
from .energy_board import EnergyFigures, commune_frame, table_headers
from .entries_board import AttendanceFigures
from .explore_board import ExploreBoard, map_layer
from .explore_view import add_option, figures_note, preview_table, reuse_texts
from .facts import TextCard, text_card
from .gap_series import GapSeriesChart, gap_series
from .graduated import GraduatedPoints, class_breaks, class_labels
from .grouped_bars import GroupedBars, grouped_bars
from .heatmap import WeekHourHeatmap, week_hour_heatmap
from .indicators import AnswerCard, KpiCard, kpi_card, kpi_row, trend_text
from .layout import Dashboard, dashboard, section, style_block
from .link_markers import (
    linked_points_layer,
    links_html,
    links_list_html,
    popup_html,
    set_linked_points,
)
from .map_panel import InfoPanel, MapPanel, crossing_map, legend
from .map_view import fit_view
from .maps import (
    DEFAULT_ZOOM,
    MARKER_LIMIT,
    ROUEN_CENTER,
    base_map,
    close_markers,
    facts_html,
    geojson_layer,
    point_facts,
    point_style,
    points_geojson,
    points_layer,
    popups,
    set_points,
)
from .network_board import NetworkBoard, network_intro
from .notice import notice_banner, notice_html, set_notice
from .paged_table import PagedTable, paged_table
from .permits_board import PermitFigures, permit_options, selection_words
from .point_picker import PointPicker, point_picker
from .provenance import banner_html, generated_banner, provenance_footer, provenance_html
from .ridership_board import RidershipFigures
from .steady_points import SteadyGraduatedPoints
from .symbols import SymbolLayer, radii, symbol_layer
from .tables import details_html, format_cell, html_table
from .trees_board import TreeFigures
from .visit_board import VisitFigures, answer_sentence, in_words, period_text

__all__ = [
    "DAYS",
    "DAYS_SHORT",
    "DEFAULT_COLOR",
    "DEFAULT_ZOOM",
    "MARKER_LIMIT",
    "MISSING",
    "MODE_COLORS",
    "MONTHS",
    "ROUEN_CENTER",
    "AnswerCard",
    "ApiRequest",
    "AttendanceFigures",
    "BikeshareFigures",
    "CalendarHeatmap",
    "ChargingFigures",
    "Chart",
    "Checklist",
    "Choropleth",
    "CommuneNames",
    "CounterBoard",
    "CrossingBoard",
    "CsvDownload",
    "Dashboard",
    "DateRange",
    "DropoffFigures",
    "EnergyFigures",
    "ExploreBoard",
    "GapSeriesChart",
    "GraduatedPoints",
    "GroupedBars",
    "InfoPanel",
    "KpiCard",
    "MapBackground",
    "MapPanel",
    "NameIcon",
    "NetworkBoard",
    "NullableGridHeatMap",
    "OutlineShapes",
    "PagedTable",
    "ParameterControls",
    "PermitFigures",
    "PointPicker",
    "RankedBars",
    "RidershipFigures",
    "SteadyGraduatedPoints",
    "SymbolLayer",
    "TextCard",
    "TimeSeriesChart",
    "TreeFigures",
    "VisitFigures",
    "WeekHourHeatmap",
    "add_background",
    "add_option",
    "answer_sentence",
    "api_request",
    "api_request_html",
    "banner_html",
    "base_map",
    "calendar_heatmap",
    "checklist",
    "class_breaks",
    "class_labels",
    "close_markers",
    "commune_frame",
    "crossing_map",
    "css_color",
    "csv_data_uri",
    "csv_download",
    "csv_text",
    "dashboard",
    "date_picker",
    "date_range",
    "default_outlines",
    "density_headers",
    "details_html",
    "distance_options",
    "dropdown",
    "facts_html",
    "figures_note",
    "fit_view",
    "format_cell",
    "format_count",
    "format_date",
    "format_date_range",
    "format_number",
    "format_percent",
    "french_tick_labels",
    "gap_series",
    "gap_text",
    "generated_banner",
    "geojson_layer",
    "grouped_bars",
    "html_table",
    "in_words",
    "is_missing",
    "js_number",
    "kpi_card",
    "kpi_row",
    "kw_text",
    "label_margin",
    "layer_checklist",
    "legend",
    "legend_html",
    "level_badge",
    "light_outlines",
    "line_colors",
    "linked_points_layer",
    "links_html",
    "links_list_html",
    "make_figure",
    "map_layer",
    "month_grid",
    "month_grid_html",
    "multi_select",
    "name_places",
    "names_at_zoom",
    "network_intro",
    "nice_ticks",
    "notice_banner",
    "notice_html",
    "outages_html",
    "outlines_collection",
    "outside_text",
    "paged_table",
    "period_text",
    "permit_options",
    "point_facts",
    "point_picker",
    "point_style",
    "points_geojson",
    "points_layer",
    "popup_html",
    "popups",
    "power_options",
    "preview_table",
    "provenance_footer",
    "provenance_html",
    "radii",
    "ranked_bars",
    "records_html",
    "reuse_texts",
    "rounded",
    "safe_filename",
    "section",
    "selection_words",
    "set_date_ticks",
    "set_linked_points",
    "set_notice",
    "set_options",
    "set_points",
    "set_value_ticks",
    "short_labels",
    "shown_stops",
    "spelling_html",
    "style_block",
    "swatch_html",
    "symbol_layer",
    "table_headers",
    "text_card",
    "tick_decimals",
    "time_series",
    "trend_text",
    "typical_range",
    "value_text",
    "walking_options",
    "week_grid",
    "week_hour_heatmap",
    "week_table_html",
    "week_tick_labels",
    "what_text",
    "yoy_html",
]
