"""Colours of the dashboards: the default colour, swatches, legends written as HTML.

A legend under the figure stays readable on a phone (a legend drawn over a small map
hides much of it) and is read by screen readers. Colours go into ``style`` attributes,
so every colour is checked by :func:`css_color` first.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from typing import Any

from analyses import transit

log = logging.getLogger(__name__)

DEFAULT_COLOR = "#1F5FA8"
"""Colour of a chart or a map layer given none."""
MUTED_COLOR = "#C5CAD3"
"""Colour of the bars that are not highlighted."""
_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[a-z]{3,20})$")
LINE_STYLE = "border-radius:0;height:0.25em"
"""Extra style of a swatch drawn as a line (a chart's curve) rather than a dot."""
MODE_COLORS = {
    transit.METRO: "#123E8B",
    transit.TEOR: "#E63027",
    transit.BUS: "#E08A00",
    transit.ON_DEMAND: "#8E44AD",
    transit.BOAT: "#0B9BD0",
    transit.LIFTS: "#6B7B3A",
    transit.OTHER: "#444444",
    transit.UNKNOWN_MODE: "#9AA0A6",
}
"""One colour per public transport mode (metro and TEOR as on the network's own maps)."""


def line_colors(lines: Any) -> dict[str, str]:
    """Line short name → its colour in the GTFS feed (``route_color``, optional: a line
    without one gets :data:`DEFAULT_COLOR`), as ``#RRGGBB``."""
    given = lines["route_color"] if "route_color" in lines else [None] * len(lines)
    return {
        str(name): f"#{str(color).upper()}" if isinstance(color, str) and color else DEFAULT_COLOR
        for name, color in zip(lines["route_short_name"], given, strict=True)
    }


def css_color(color: str) -> str:
    """``color`` itself when it is a hex colour or a colour name; ``ValueError`` otherwise."""
    if not _COLOR.match(color):
        raise ValueError(f"not a CSS colour: {color!r}")
    return color


def swatch_html(color: str, *, line: bool = False) -> str:
    """A coloured dot (or a short line, ``line=True``) put before a label."""
    extra = f";{LINE_STYLE}" if line else ""
    return f'<span class="rr-swatch" style="background:{css_color(color)}{extra}"></span>'


def legend_html(items: Mapping[str, str], title: str = "Légende") -> str:
    """A legend as HTML text, label → colour; an empty ``title`` shows none."""
    entries = "".join(
        f"<li>{swatch_html(color)}{html.escape(label)}</li>" for label, color in items.items()
    )
    heading = f'<span class="rr-legend-title">{html.escape(title)}</span>' if title else ""
    return f'<div class="rr-legend">{heading}<ul>{entries}</ul></div>'
