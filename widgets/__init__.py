"""Reusable dashboard components of the reuse gallery (French UI, no data fetching).

Widgets receive frames and ``DataProvenance`` objects from ``rouen_opendata``; they
never read files or URLs. Every chart and map can be updated in place by controls,
and has a table alternative for screen readers.
"""

from .charts import Chart, RankedBars, TimeSeriesChart, ranked_bars, time_series
from .controls import (
    DateRange,
    ParameterControls,
    date_picker,
    date_range,
    dropdown,
    multi_select,
    set_options,
)
from .format import (
    DAYS,
    MONTHS,
    format_count,
    format_date,
    format_date_range,
    format_number,
    format_percent,
)
from .heatmap import WeekHourHeatmap, week_hour_heatmap
from .indicators import KpiCard, kpi_card, kpi_row
from .layout import Dashboard, dashboard, section, style_block
from .map_panel import InfoPanel, MapPanel, crossing_map, legend, legend_html
from .maps import (
    MARKER_LIMIT,
    ROUEN_CENTER,
    base_map,
    geojson_layer,
    points_geojson,
    points_layer,
    set_points,
)
from .provenance import generated_banner, provenance_footer
from .tables import html_table

__all__ = [
    "DAYS",
    "MARKER_LIMIT",
    "MONTHS",
    "ROUEN_CENTER",
    "Chart",
    "Dashboard",
    "DateRange",
    "InfoPanel",
    "KpiCard",
    "MapPanel",
    "ParameterControls",
    "RankedBars",
    "TimeSeriesChart",
    "WeekHourHeatmap",
    "base_map",
    "crossing_map",
    "dashboard",
    "date_picker",
    "date_range",
    "dropdown",
    "format_count",
    "format_date",
    "format_date_range",
    "format_number",
    "format_percent",
    "generated_banner",
    "geojson_layer",
    "html_table",
    "kpi_card",
    "kpi_row",
    "legend",
    "legend_html",
    "multi_select",
    "points_geojson",
    "points_layer",
    "provenance_footer",
    "ranked_bars",
    "section",
    "set_options",
    "set_points",
    "style_block",
    "time_series",
    "week_hour_heatmap",
]
