"""Render an executed notebook to its gallery page with nbconvert.

Markdown cells are turned into HTML and sanitised (contributed notebooks may carry
``<script>`` or ``onerror=``); code is kept but hidden behind the page's
« Voir le code » switch. The site's header and footer, rendered by the site's own
autoescaping templates, replace the markers of the nbconvert template. What a closed
disclosure of a widget holds (« Voir les données en tableau ») waits in a ``<template>``
the page's script puts in place when it is opened: a table of 300 rows is not part of a
page nobody asked to see it in.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import nbformat
import nh3
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from .assets import WidgetAssets, page_libraries

log = logging.getLogger(__name__)

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"figure", "figcaption", "details", "summary", "img"}
_ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "img": {"src", "alt", "title", "width", "height"},
    "a": {"href", "title"},
}


def sanitize_markdown(source: str) -> str:
    """Markdown → sanitised HTML (no scripts, no event handlers, no javascript: links)."""
    html = _MARKDOWN.render(source)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
"""Key of the widget state nbclient saves in a notebook's ``metadata.widgets``."""

MARKERS = ("<!--RR:HEAD-->", "<!--RR:HEADER-->", "<!--RR:FOOTER-->")
"""Where the site's head, header and footer go in the nbconvert template's output."""


def fill_page(body: str, head: str, header: str, footer: str) -> str:
    """Put the site's head, header and footer in place of the template's markers."""
    for marker, html in zip(MARKERS, (head, header, footer), strict=True):
        body = body.replace(marker, html)
    return body


DEFERRED = "rr-later"
"""Class of the ``<template>`` holding a closed disclosure's content (reuse-widgets.js)."""


def defer_disclosures(html: str) -> str:
    """``html`` with what each closed ``details.rr-details`` holds besides its summary moved
    into a ``<template class="rr-later">`` (unchanged when there is none)."""
    if "rr-details" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for details in soup.select("details.rr-details:not([open])"):
        if details.find_parent("template") is not None:
            continue  # inside a disclosure already deferred: it comes with it
        if details.find("template", class_=DEFERRED, recursive=False) is not None:
            continue  # deferred already
        content = [c for c in details.contents if getattr(c, "name", None) != "summary"]
        if not any(getattr(c, "name", None) for c in content):
            continue  # a few words: nothing worth deferring
        template = soup.new_tag("template", attrs={"class": DEFERRED})
        for child in content:
            template.append(child.extract())
        details.append(template)
        changed = True
    return str(soup) if changed else html


def defer_widget_disclosures(state: dict[str, Any]) -> None:
    """Defer the closed disclosures of every HTML widget of a page's embedded state."""
    for model in state.get("state", {}).values():
        values = model.get("state", {})
        if model.get("model_name") == "HTMLModel" and isinstance(values.get("value"), str):
            values["value"] = defer_disclosures(values["value"])


class SanitizeMarkdown(Preprocessor):
    """Replace each markdown cell's source by its sanitised HTML rendering."""

    def preprocess_cell(self, cell, resources, index):  # noqa: D102 - nbconvert hook
        if cell.cell_type == "markdown":
            cell.source = sanitize_markdown(cell.source)
            cell.attachments = {}
        return cell, resources


class NotebookRenderer:
    """One exporter reused for every page of a build."""

    def __init__(self, templates_dir: Path, widgets: WidgetAssets):
        self.widgets = widgets
        self.exporter = HTMLExporter(
            template_name="reuse",
            extra_template_basedirs=[str(templates_dir / "nbconvert")],
            require_js_url=widgets.require_js_url,
            exclude_anchor_links=True,
            language_code="fr",
        )
        self.exporter.register_preprocessor(SanitizeMarkdown(), enabled=True)

    def render_body(self, executed: Path, *, title: str) -> str:
        """The page as nbconvert renders it, with the site's markers still in place."""
        nb = nbformat.read(executed, as_version=4)
        nb.metadata["title"] = title
        state = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
        libraries = page_libraries(state, self.widgets.paths) if state else None
        if state:
            defer_widget_disclosures(state)
        resources: dict[str, Any] = {
            # None: a page without widgets loads no widget code at all.
            "widget_libraries": None if libraries is None else json.dumps(libraries),
            "require_config_json": self.widgets.require_config_json(libraries),
            "widget_loader_url": self.widgets.loader_url,
            "notebook_css_url": self.widgets.css_url,
            "assets_url": "../assets",
        }
        body, _ = self.exporter.from_notebook_node(nb, resources=resources)
        for marker in MARKERS:
            if body.count(marker) != 1:
                raise RuntimeError(f"nbconvert template lost its {marker} marker")
        return body
