"""One defaults object for the gallery build; every option documented where declared.

Defaults taken from the environment are read when a :class:`BuildSettings` is made
(see :mod:`rouen_opendata.settings`, where every variable is declared).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import tomllib

from rouen_opendata import settings as env

PROJECT_ROOT = env.PROJECT_ROOT


def notebook_packages(root: Path = PROJECT_ROOT) -> tuple[Path, ...]:
    """Every top-level package a notebook can import: those pyproject.toml installs.

    Derived from ``[tool.setuptools.packages.find]`` (its ``include`` and ``exclude``
    patterns, matched the way setuptools matches them against the folders holding an
    ``__init__.py``), so a new package is part of the build's key without a list to
    keep up to date.
    """
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    find = pyproject["tool"]["setuptools"]["packages"]["find"]
    include = find.get("include", ["*"])
    exclude = find.get("exclude", [])
    folders = root / find.get("where", ["."])[0]
    return tuple(
        sorted(
            init.parent
            for init in folders.glob("*/__init__.py")
            if any(fnmatch(init.parent.name, pattern) for pattern in include)
            and not any(fnmatch(init.parent.name, pattern) for pattern in exclude)
        )
    )


@dataclass
class BuildSettings:
    """Options of ``build_gallery.py build`` (command-line flags map onto these)."""

    notebooks_dir: Path = PROJECT_ROOT / "notebooks"
    """Folder scanned for reuse notebooks (``*.ipynb`` carrying a ``reuse`` record)."""
    external_file: Path = PROJECT_ROOT / "gallery" / "external.yaml"
    """External reuses (links to work made elsewhere), same record schema."""
    templates_dir: Path = PROJECT_ROOT / "gallery" / "templates"
    """Jinja2 templates of the site and the nbconvert template ``reuse``."""
    assets_dir: Path = PROJECT_ROOT / "gallery" / "assets"
    """Static files copied to ``<site>/assets``."""
    site_dir: Path = PROJECT_ROOT / "gallery" / "_site"
    """Where the site is published (replaced atomically at the end of a build)."""
    cache_dir: Path = field(default_factory=env.cache_dir)
    """Executed notebooks and their cache keys; also keeps the last good output
    (``GALLERY_CACHE_DIR``)."""
    shared_code: tuple[Path, ...] = field(default_factory=notebook_packages)
    """Packages the notebooks can import, hashed whole (every file): any change re-runs
    every notebook. A notebook importing one module loads others it does not name
    (``rouen_gallery.live`` loads the contribution checks), so no finer list is safe."""
    jobs: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    """Notebooks executed at once (one worker process each)."""
    default_timeout: int | None = None
    """Per-notebook timeout in seconds overriding every record's ``timeout``."""
    kernel_name: str = "python3"
    """Jupyter kernel used by papermill."""
    strict: bool = False
    """Exit non-zero when any notebook fails (CI uses it)."""
    use_cache: bool = True
    """Reuse executed notebooks whose cache key did not change."""
    thumbnails: str = "auto"
    """``auto`` (Chromium screenshot when available, else a drawn image), ``browser``, ``drawn``."""
    site_url: str = field(default_factory=env.site_url)
    """Public base URL of the site, for absolute links in catalog.json (empty = relative;
    ``GALLERY_SITE_URL``)."""
    voila_url: str = field(default_factory=env.voila_url)
    """Base URL of the live Voilà dashboards the pages link to (``GALLERY_VOILA_URL``)."""
    binder_url: str = field(default_factory=env.binder_url)
    """Binder launch URL of this repository, ``?labpath=`` appended (``GALLERY_BINDER_URL``)."""
    progress: bool = True
    """Show a progress bar while notebooks execute."""
