"""Graduated points whose markers are kept and restyled when the same places are redrawn.

:meth:`widgets.graduated.GraduatedPoints.update` creates new markers and popups on each
call (about 60 widgets for 29 counters), and creating a widget costs a message with its
whole state to the browser. When a redraw shows the same places (a new period, another
counter highlighted), :class:`SteadyGraduatedPoints` changes the existing markers'
values instead, one batched message per marker; other redraws fall back to the parent.
"""

from __future__ import annotations

import pandas as pd

from .graduated import HIGHLIGHT_COLOR, MARKER_LIMIT, GraduatedPoints
from .maps import facts_html, point_facts


class SteadyGraduatedPoints(GraduatedPoints):
    """:class:`~widgets.graduated.GraduatedPoints` that restyles its markers in place
    when a redraw shows the same places (same index, in any order)."""

    def update(self, frame: pd.DataFrame, value: str, highlight: object = None) -> None:
        located = frame.dropna(subset=[self.lat, self.lon, value])
        located = located.sort_values(value, ascending=False, kind="stable").head(MARKER_LIMIT)
        markers = dict(zip(getattr(self, "_keys", []), self.layer.layers, strict=True))
        if not markers or set(located.index) != set(markers):
            super().update(frame, value, highlight)
            self._keys = self._drawing_order(list(self.shown.index), highlight)
            return
        classes = self.classify(located[value])
        for (key, row), cls in zip(located.iterrows(), classes, strict=True):
            chosen, faded = key == highlight, highlight is not None and key != highlight
            marker = markers[key]
            with marker.hold_sync():
                marker.radius = int(self.radii[cls]) + (3 if chosen else 0)
                marker.color = HIGHLIGHT_COLOR if chosen else "white"
                marker.weight = 4 if chosen else 1
                marker.fill_color = self.colors[cls]
                marker.fill_opacity = 0.35 if faded else 0.85
            marker.popup.value = facts_html(point_facts(row, self.popup_fields))
        self._keys = self._drawing_order(list(located.index), highlight)
        self.layer.layers = tuple(markers[key] for key in self._keys)
        self.shown = located.assign(_class=classes)

    @staticmethod
    def _drawing_order(keys: list, highlight: object) -> list:
        """Largest first, the highlighted point last (drawn on top of its neighbours)."""
        if highlight in keys:
            keys.append(keys.pop(keys.index(highlight)))
        return keys
