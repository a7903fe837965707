"""One defaults object for the gallery build; every option documented where declared."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
    cache_dir: Path = field(
        default_factory=lambda: Path(
            os.environ.get("GALLERY_CACHE_DIR", PROJECT_ROOT / ".cache" / "gallery")
        )
    )
    """Executed notebooks and their cache keys; also keeps the last good output."""
    shared_code: tuple[Path, ...] = (
        PROJECT_ROOT / "widgets",
        PROJECT_ROOT / "analyses",
        PROJECT_ROOT / "rouen_opendata",
        PROJECT_ROOT / "rouen_gallery" / "live.py",
        PROJECT_ROOT / "rouen_gallery" / "parameters.py",
    )
    """Code the notebooks import: any change re-runs every notebook."""
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
    site_url: str = os.environ.get("GALLERY_SITE_URL", "")
    """Public base URL of the site, for absolute links in catalog.json (empty = relative)."""
    voila_url: str = os.environ.get("GALLERY_VOILA_URL", "http://127.0.0.1:8866")
    """Base URL of the live Voilà dashboards the pages link to."""
    binder_url: str = os.environ.get(
        "GALLERY_BINDER_URL",
        "https://mybinder.org/v2/gh/metropole-rouen-normandie/reutilisations/HEAD",
    )
    """Binder launch URL of this repository (``?labpath=`` is appended)."""
    progress: bool = True
    """Show a progress bar while notebooks execute."""
