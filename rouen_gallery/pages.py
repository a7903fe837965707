"""Rendered page bodies, cached: a page is re-rendered only when what it is made of changed.

A body is nbconvert's output for one executed notebook, with the site's head, header
and footer markers still in place (those change with every build: date, links). Its
key covers the executed notebook's bytes, the page title, the nbconvert template,
the widget asset URLs, the renderer's code and the installed versions. Workers render
the body right after executing a notebook, in parallel; the build fills the markers.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import _digest, dependency_lock, file_digest, tree_digest

if TYPE_CHECKING:
    from .assets import WidgetAssets
    from .render import NotebookRenderer

BODY_FILE = "page.html"
KEY_FILE = "page.json"


class PageBodies:
    """``<cache>/<slug>/page.html``, its key in ``<cache>/<slug>/page.json``."""

    def __init__(self, cache_dir: Path, templates_dir: Path, widgets: WidgetAssets):
        self.root = cache_dir
        self.templates_dir = templates_dir
        self.widgets = widgets
        self.base = _digest(
            {
                "template": tree_digest(templates_dir / "nbconvert"),
                "widgets": asdict(widgets),
                "renderer": tree_digest(Path(__file__).with_name("render.py"), Path(__file__)),
                "dependencies": dependency_lock(),
            }
        )
        self._renderer: NotebookRenderer | None = None

    @property
    def renderer(self) -> NotebookRenderer:
        if self._renderer is None:  # nbconvert is slow to import: only when rendering
            from .render import NotebookRenderer

            self._renderer = NotebookRenderer(self.templates_dir, self.widgets)
        return self._renderer

    def key(self, executed: Path, title: str) -> str:
        return _digest([self.base, file_digest(executed), title])

    def cached(self, slug: str, key: str) -> str | None:
        path = cached_file(self.root / slug, BODY_FILE, key)
        return path.read_text(encoding="utf-8") if path else None

    def body(self, slug: str, executed: Path, title: str) -> tuple[str, str]:
        """(body, key): from the cache, or rendered now and stored."""
        key = self.key(executed, title)
        body = self.cached(slug, key)
        if body is None:
            body = self.renderer.render_body(executed, title=title)
            folder = self.root / slug
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / (BODY_FILE + ".tmp")
            tmp.write_text(body, encoding="utf-8")
            store_file(folder, BODY_FILE, key, tmp)
        return body, key


def cached_file(folder: Path, name: str, key: str) -> Path | None:
    """``folder/name`` if it was stored for exactly this key."""
    try:
        keys = json.loads((folder / KEY_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    path = folder / name
    return path if keys.get(name) == key and path.exists() else None


def store_file(folder: Path, name: str, key: str, source: Path) -> None:
    """Move ``source`` to ``folder/name`` and record its key (the key is written last)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        keys = json.loads((folder / KEY_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        keys = {}
    keys.pop(name, None)
    _write_keys(folder, keys)
    os.replace(source, folder / name)
    keys[name] = key
    _write_keys(folder, keys)


def _write_keys(folder: Path, keys: dict[str, str]) -> None:
    tmp = folder / (KEY_FILE + ".tmp")
    tmp.write_text(json.dumps(keys), encoding="utf-8")
    os.replace(tmp, folder / KEY_FILE)
