"""The index page: one card per reuse (its variants listed inside), filters, and the
maintainers' « santé de la galerie » page."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .record import TAGS, ExternalReuse
from .site import PageState, fr_seconds, variant_of
from .thumbnails import CARD_SIZE

if TYPE_CHECKING:
    from jinja2 import Environment

    from .datasets import DatasetInfo

log = logging.getLogger(__name__)

KIND_LABELS = {
    "application": "Application",
    "visualization": "Visualisation",
    "article": "Article",
}
"""Shown on the card of an external reuse; a reuse of this gallery needs no label."""
DATA_KINDS = {"reelles": "Données réelles", "exemple": "Données d'exemple"}
FACETS = (
    ("theme", "Thème"),
    ("data", "Nature des données"),
    ("tag", "Mot-clé"),
    ("dataset", "Jeu de données"),
    ("audience", "Public"),
)
"""Filters of the index: the theme on the first line, the others behind « Plus de filtres »."""
EAGER_CARDS = 3
"""Cards whose picture loads at once (the first row at 1280 px); the others load lazily."""
HEALTH_PAGE = "sante.html"


def _short_titles(titles: list[str]) -> list[str]:
    """Variant titles without the prefix they all share (« Explorer : »)."""
    if len(titles) < 2:
        return titles
    prefix = titles[0].split(" : ", 1)[0] + " : "
    if all(t.startswith(prefix) for t in titles):
        return [t[len(prefix) :] for t in titles]
    return titles


def _data_kinds(datasets: list[DatasetInfo]) -> list[str]:
    kinds = {"exemple" if d.generated else "reelles" for d in datasets}
    return [k for k in DATA_KINDS if k in kinds]


def _card(members: list[PageState], updates: dict[str, str], position: int) -> dict[str, Any]:
    main = next((m for m in members if m.entry.slug == m.entry.record.slug), members[0])
    record = main.entry.record
    variants = [m for m in members if m is not main]
    shorts = _short_titles([v.entry.title for v in variants])
    listed = [
        {
            "title": short,
            "description": getattr(variant_of(v.entry), "description", ""),
            "href": v.href,
            "failed": v.status not in ("ok", "external"),
        }
        for v, short in zip(variants, shorts, strict=True)
    ]
    datasets = {d.key: d for m in members for d in m.datasets}
    changed = [f"{d.title} : {updates[d.key]}" for d in main.datasets if d.key in updates]
    dates = [d.data_date_iso for d in main.datasets if d.data_date_iso]
    freshest = max(dates) if dates else None
    text = " ".join(
        [
            main.entry.title,
            record.description,
            record.theme,
            *record.tags,
            *[d.title for d in datasets.values()],
            *[
                f"{v.entry.title} {item['description']}"
                for v, item in zip(variants, listed, strict=True)
            ],
        ]
    )
    return {
        "slug": main.entry.slug,
        "title": main.entry.title,
        "description": record.description,
        "theme": record.theme,
        "tags": [t for t in record.tags if t in TAGS],
        "audience": record.audience,
        "kind": record.type,
        "kind_label": KIND_LABELS.get(record.type, ""),
        "external": isinstance(record, ExternalReuse),
        "dataset_keys": list(datasets),
        "data_kinds": _data_kinds(main.datasets),
        "any_generated": any(d.generated for d in main.datasets),
        "failed": main.status not in ("ok", "external"),
        "message": main.message,
        "freshness": next((d.data_date for d in main.datasets if d.data_date_iso == freshest), ""),
        "updated": " ; ".join(changed),
        "href": main.href,
        "picture": main.picture,
        "thumbnail": main.thumbnail,
        "thumbnail_alt": f"Aperçu : {main.entry.title}",
        "width": CARD_SIZE[0],
        "height": CARD_SIZE[1],
        "lazy": position >= EAGER_CARDS,
        "variants": listed,
        "search_text": text,
    }


def reuse_cards(states: list[PageState], updates: dict[str, str]) -> list[dict[str, Any]]:
    """One card per reuse, in the order of the entries; a variant joins its reuse's card."""
    groups: dict[str, list[PageState]] = {}
    for state in states:
        groups.setdefault(state.entry.record.slug, []).append(state)
    return [_card(members, updates, i) for i, members in enumerate(groups.values())]


def facets(cards: list[dict[str, Any]], dataset_titles: dict[str, str]) -> list[dict[str, Any]]:
    """Each filter with its values, the most frequent first, and how many cards have each."""
    result = []
    for name, label in FACETS:
        counts: dict[str, int] = {}
        for c in cards:
            values = {
                "theme": [c["theme"]],
                "data": c["data_kinds"],
                "dataset": c["dataset_keys"],
                "tag": c["tags"],
                "audience": c["audience"],
            }[name]
            for value in values:
                counts[value] = counts.get(value, 0) + 1
        labels = {"dataset": dataset_titles, "data": DATA_KINDS}.get(name, {})
        values = [
            {"value": v, "label": labels.get(v, v), "count": n}
            for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        result.append({"name": name, "label": label, "values": values})
    return result


def render_index(
    env: Environment,
    states: list[PageState],
    updates: dict[str, str],
    dataset_titles: dict[str, str],
    build_date: str,
) -> str:
    """The index page's HTML."""
    cards = reuse_cards(states, updates)
    all_facets = facets(cards, dataset_titles)
    return env.get_template("index.html").render(
        cards=cards,
        themes=all_facets[0],
        more_facets=all_facets[1:],
        build_date=build_date,
        health_page=HEALTH_PAGE,
    )


def render_health(env: Environment, states: list[PageState], build_date: str) -> str:
    """The maintainers' page: every entry's last run, time, cache use and problem."""
    rows = [
        {
            "title": st.entry.title,
            "slug": st.entry.slug,
            "href": st.href,
            "status": st.status,
            "failed": st.status not in ("ok", "external"),
            "message": st.message,
            "seconds_fr": fr_seconds(st.seconds),
            "cached": st.cached,
            "run_date": st.run_date or "",
            "last_good_date": st.last_good_date or "",
        }
        for st in states
    ]
    return env.get_template("health.html").render(
        rows=rows,
        failures=sum(r["failed"] for r in rows),
        build_date=build_date,
    )
