"""Pages, index and catalog of the static site (Jinja2, autoescaped)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .entries import Entry
from .record import ExternalReuse, NotebookReuse

if TYPE_CHECKING:
    from .datasets import DatasetInfo

KIND_LABELS = {
    "notebook": "Notebook",
    "application": "Application",
    "visualization": "Visualisation",
    "article": "Article",
}
FACETS = (
    ("theme", "Thème"),
    ("dataset", "Jeu de données"),
    ("tag", "Mot-clé"),
    ("audience", "Public"),
)


@dataclass
class PageState:
    """Everything a page and its card show about one entry after the build."""

    entry: Entry
    datasets: list[DatasetInfo]
    status: str = "ok"
    """``ok``, ``failed``, ``timeout`` (or ``external`` for links)."""
    message: str = ""
    seconds: float | None = None
    cached: bool = False
    run_date: str | None = None
    shows_last_good: bool = False
    last_good_date: str | None = None
    thumbnail: str = ""
    page_key: str = ""
    """Key of the rendered page body: its thumbnail is reused while the key stays."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def href(self) -> str:
        if isinstance(self.entry.record, ExternalReuse):
            return str(self.entry.record.url)
        return f"reutilisations/{self.entry.slug}.html"


def environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(templates_dir / "site"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
    )


def _fr_seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def voila_link(base: str, entry: Entry) -> str:
    notebook = entry.notebook.name if entry.notebook else ""
    query = f"?{urlencode(entry.parameters)}" if entry.parameters else ""
    return f"{base.rstrip('/')}/voila/render/{quote(notebook)}{query}"


def binder_link(base: str, entry: Entry) -> str:
    notebook = entry.notebook.name if entry.notebook else ""
    return f"{base}?{urlencode({'labpath': f'notebooks/{notebook}'})}"


def page_context(state: PageState, voila_url: str, binder_url: str) -> dict[str, Any]:
    record = state.entry.record
    return {
        "slug": state.entry.slug,
        "title": state.entry.title,
        "description": record.description,
        "theme": record.theme,
        "authors": [a.name for a in record.authors],
        "licence": record.licence,
        "parameters": state.entry.declared,
        "datasets": state.datasets,
        "any_generated": any(d.generated for d in state.datasets),
        "status": state.status,
        "message": state.message,
        "shows_last_good": state.shows_last_good,
        "last_good_date": state.last_good_date,
        "run_date": state.run_date,
        "seconds": state.seconds,
        "seconds_fr": _fr_seconds(state.seconds),
        "voila_url": voila_link(voila_url, state.entry),
        "binder_url": binder_link(binder_url, state.entry),
        "notebook_download": f"{state.entry.notebook.name}" if state.entry.notebook else "",
    }


def json_ld(state: PageState, site_url: str) -> str:
    record = state.entry.record
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": state.entry.title,
        "description": record.description,
        "inLanguage": "fr",
        "keywords": record.tags,
        "about": record.theme,
        "author": [{"@type": "Organization", "name": a.name} for a in record.authors],
        "license": record.licence,
        "isBasedOn": [
            {"@type": "Dataset", "name": d.title, "url": d.page_url} for d in state.datasets
        ],
        "url": f"{site_url.rstrip('/')}/{state.href}" if site_url else state.href,
    }
    if state.run_date:
        data["dateModified"] = state.run_date
    # Inside <script>, markup characters are written as JSON escapes: nothing can close it.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def card(state: PageState, updates: dict[str, str]) -> dict[str, Any]:
    record = state.entry.record
    kind = record.type
    changed = [f"{d.title} : {updates[d.key]}" for d in state.datasets if d.key in updates]
    dates = [d.data_date_iso for d in state.datasets if d.data_date_iso]
    freshest = max(dates) if dates else None
    text = " ".join(
        [
            state.entry.title,
            record.description,
            record.theme,
            *record.tags,
            *[d.title for d in state.datasets],
        ]
    )
    return {
        "slug": state.entry.slug,
        "title": state.entry.title,
        "description": record.description,
        "theme": record.theme,
        "tags": record.tags,
        "audience": record.audience,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "dataset_keys": [d.key for d in state.datasets],
        "dataset_titles": [d.title for d in state.datasets],
        "any_generated": any(d.generated for d in state.datasets),
        "status": state.status if kind == "notebook" else "ok",
        "message": state.message,
        "seconds": state.seconds,
        "seconds_fr": _fr_seconds(state.seconds),
        "freshness": next((d.data_date for d in state.datasets if d.data_date_iso == freshest), ""),
        "updated": " ; ".join(changed),
        "href": state.href,
        "thumbnail": state.thumbnail,
        "thumbnail_alt": f"Aperçu : {state.entry.title}",
        "search_text": text,
    }


def facets(cards: list[dict[str, Any]], dataset_titles: dict[str, str]) -> list[dict[str, Any]]:
    result = []
    for name, label in FACETS:
        counts: dict[str, int] = {}
        for c in cards:
            values = {
                "theme": [c["theme"]],
                "dataset": c["dataset_keys"],
                "tag": c["tags"],
                "audience": c["audience"],
            }[name]
            for value in values:
                counts[value] = counts.get(value, 0) + 1
        values = [
            {"value": v, "label": dataset_titles.get(v, v) if name == "dataset" else v, "count": n}
            for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        result.append({"name": name, "label": label, "values": values})
    return result


def catalog_record(state: PageState, site_url: str) -> dict[str, Any]:
    """udata / Opendatasoft reuse model, plus run health."""
    record = state.entry.record
    base = site_url.rstrip("/") + "/" if site_url else ""
    item = {
        "title": state.entry.title,
        "slug": state.entry.slug,
        "description": record.description,
        "type": record.type,
        "topic": record.theme,
        "tags": record.tags,
        "audience": record.audience,
        "authors": [
            {"name": a.name, **({"url": str(a.url)} if a.url else {})} for a in record.authors
        ],
        "datasets": [d.catalog_record() for d in state.datasets],
        "image": (
            str(record.image)
            if isinstance(record, ExternalReuse) and record.image
            else f"{base}{state.thumbnail}"
            if state.thumbnail
            else None
        ),
        "url": state.href if isinstance(record, ExternalReuse) else f"{base}{state.href}",
        "licence": record.licence,
    }
    if isinstance(record, NotebookReuse):
        item["parameters"] = state.entry.declared
        item["health"] = {
            "status": state.status,
            "message": state.message or None,
            "seconds": None if state.seconds is None else round(state.seconds, 2),
            "cached": state.cached,
            "last_run": state.run_date,
            "last_good_run": state.last_good_date,
        }
    return item


def now_fr() -> str:
    return datetime.now().strftime("%d/%m/%Y à %H:%M")
