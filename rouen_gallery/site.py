"""Pages, index and catalog of the static site (Jinja2, autoescaped)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from dashboard.notices import url_text
from rouen_opendata.formatting import format_number

from .entries import Entry, notebook_entries
from .exceptions import RecordError
from .record import ExternalReuse, NotebookReuse, Variant
from .wording import parameters_sentence

if TYPE_CHECKING:
    from .datasets import DatasetInfo
    from .thumbnails import CardPicture

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "0.0.0.0")
"""A Voilà address on these hosts is the builder's own machine: a published page does not
link to it (a visitor would reach their own computer)."""


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
    """The card picture's fallback file (PNG at display size, or a drawn SVG)."""
    picture: CardPicture | None = None
    """The card picture at each density, WebP and PNG; None when drawn."""
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


def fr_seconds(value: float | None) -> str:
    return "" if value is None else format_number(value, 1)


def variant_of(entry: Entry) -> Variant | None:
    """The variant record an entry was made from (None for a reuse's own page)."""
    if not isinstance(entry.record, NotebookReuse):
        return None
    prefix = f"{entry.record.slug}-"
    return next((v for v in entry.record.variants if prefix + v.slug == entry.slug), None)


def voila_link(base: str, entry: Entry) -> str:
    """The live dashboard of an entry; empty when ``base`` is unset or the builder's own
    machine (the button is then left out of the page)."""
    if not base or (urlsplit(base).hostname or "") in {h.strip("[]") for h in LOOPBACK_HOSTS}:
        return ""
    notebook = entry.notebook.name if entry.notebook else ""
    query = f"?{urlencode(entry.parameters)}" if entry.parameters else ""
    return f"{base.rstrip('/')}/voila/render/{quote(notebook)}{query}"


def _family_entries(entry: Entry) -> list[Entry]:
    """The entries of the entry's notebook (its own page, then each variant), read again
    from the notebook; just the entry when the notebook cannot be read."""
    path = entry.notebook
    if path is None:
        return [entry]
    try:
        family = notebook_entries(path)
    except (RecordError, OSError):
        return [entry]
    return [e for e in family if e.problem is None] or [entry]


def _as_text(values: dict[str, Any]) -> dict[str, str]:
    return {name: url_text(value) for name, value in values.items()}


def precomputed_states(entry: Entry, voila_url: str, binder_url: str) -> dict[str, Any]:
    """What a reuse page's script needs to change a control without any server.

    ``states``: each page the build made for the notebook (its own page, its variants),
    with every declared parameter's value as the address writes it; ``defaults``: the
    notebook's own values (a live dashboard's address leaves them out); ``live``: the
    published Voilà dashboard the page hands over to for any other combination (empty:
    none is published, the page says so); ``lab``: the Binder link.
    """
    family = _family_entries(entry)
    defaults = next((e.declared for e in family if not e.parameters), entry.declared)
    live = voila_link(voila_url, entry).split("?", 1)[0]
    return {
        "page": f"{entry.slug}.html",
        "defaults": _as_text(defaults),
        "states": [{"href": f"{e.slug}.html", "values": _as_text(e.declared)} for e in family],
        "live": live,
        "lab": binder_link(binder_url, entry),
    }


def script_json(data: Any) -> str:
    """JSON for inside a ``<script>``: markup characters written as JSON escapes."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def binder_link(base: str, entry: Entry) -> str:
    notebook = entry.notebook.name if entry.notebook else ""
    return f"{base}?{urlencode({'labpath': f'notebooks/{notebook}'})}"


def _family(state: PageState) -> list[dict[str, str]]:
    """The reuse's other pages (its own page and its variants), for « Aussi » links."""
    record = state.entry.record
    if not isinstance(record, NotebookReuse):
        return []
    pages = [{"title": record.title, "description": record.description, "slug": record.slug}]
    pages += [
        {"title": v.title, "description": v.description, "slug": f"{record.slug}-{v.slug}"}
        for v in record.variants
    ]
    return [{**p, "href": f"{p['slug']}.html"} for p in pages if p["slug"] != state.entry.slug]


def page_context(state: PageState, voila_url: str, binder_url: str) -> dict[str, Any]:
    record = state.entry.record
    variant = variant_of(state.entry)
    return {
        "slug": state.entry.slug,
        "title": state.entry.title,
        "description": variant.description if variant else record.description,
        "reuse_title": record.title if variant else "",
        "reuse_href": f"{record.slug}.html" if variant else "",
        "family": _family(state),
        "theme": record.theme,
        "authors": [a.name for a in record.authors],
        "licence": record.licence,
        "parameters": state.entry.declared,
        "parameters_fr": parameters_sentence(state.entry.parameters),
        "datasets": state.datasets,
        "any_generated": any(d.generated for d in state.datasets),
        "status": state.status,
        "message": state.message,
        "shows_last_good": state.shows_last_good,
        "last_good_date": state.last_good_date,
        "run_date": state.run_date,
        "seconds": state.seconds,
        "seconds_fr": fr_seconds(state.seconds),
        "voila_url": voila_link(voila_url, state.entry),
        "binder_url": binder_link(binder_url, state.entry),
        "notebook_download": f"{state.entry.notebook.name}" if state.entry.notebook else "",
        "states_json": (
            script_json(precomputed_states(state.entry, voila_url, binder_url))
            if isinstance(record, NotebookReuse) and state.entry.declared
            else ""
        ),
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
    return script_json(data)


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
        fell_back = state.status == "ok" and any(d.fallback for d in state.datasets)
        item["health"] = {
            # A page that ran on the snapshot because a live read failed is not "ok".
            "status": "fallback" if fell_back else state.status,
            "message": state.message
            or " ; ".join(f"{d.title} : {d.fallback}" for d in state.datasets if d.fallback)
            or None,
            "seconds": None if state.seconds is None else round(state.seconds, 2),
            "cached": state.cached,
            "last_run": state.run_date,
            "last_good_run": state.last_good_date,
        }
    return item


def now_fr() -> str:
    return datetime.now().strftime("%d/%m/%Y à %H:%M")
