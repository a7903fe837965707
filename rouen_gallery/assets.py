"""Static assets of the site, including the widget JavaScript served from the site itself.

Widget bundles are taken from the installed Python packages (``share/jupyter/nbextensions``),
so they are exactly the installed versions. The renderer (``@jupyter-widgets/html-manager``)
and ``require.js`` come from ``gallery/node_modules`` (``npm ci`` in ``gallery/``); when npm
is not available the pages load them from a CDN at the pinned versions instead — then the
pages need the network to show widgets (documented in the README).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

GALLERY_DIR = Path(__file__).resolve().parent.parent / "gallery"
NODE_MODULES = GALLERY_DIR / "node_modules"
WIDGET_BUNDLES = ("bqplot", "bqscales", "jupyter-leaflet")
"""AMD bundles shipped inside the Python packages, by module name."""


def _pinned(package: str) -> str:
    deps = json.loads((GALLERY_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    return deps[package]


CDN = "https://cdn.jsdelivr.net/npm"


@dataclass(frozen=True)
class WidgetAssets:
    """URLs (relative to a reuse page) the rendered notebooks load widgets from."""

    require_js_url: str
    widget_renderer_url: str
    paths: dict[str, str]
    offline: bool

    def require_config_json(self) -> str:
        return json.dumps({"paths": self.paths})


def nbextensions_dir() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "nbextensions"


def ensure_node_modules() -> bool:
    """Install the pinned npm packages once, if npm is there; True when available."""
    if (NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist" / "embed-amd.js").exists():
        return True
    npm = shutil.which("npm")
    if npm is None:
        log.warning("npm not found: widget renderer will load from %s (pages need network)", CDN)
        return False
    command = [
        npm,
        "ci" if (GALLERY_DIR / "package-lock.json").exists() else "install",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--loglevel=error",
    ]
    try:
        subprocess.run(command, cwd=GALLERY_DIR, check=True, capture_output=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        log.warning("npm could not install the widget renderer (%s); using the CDN", exc)
        return False
    return True


def _check_renderer_matches_ipywidgets() -> None:
    """Warn when html-manager was built for another @jupyter-widgets/base than ipywidgets'."""
    lab = (
        Path(sys.prefix)
        / "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager"
        / "package.json"
    )
    html = NODE_MODULES / "@jupyter-widgets/html-manager/package.json"
    if not (lab.exists() and html.exists()):
        return
    want = json.loads(lab.read_text())["dependencies"].get("@jupyter-widgets/base")
    have = json.loads(html.read_text())["dependencies"].get("@jupyter-widgets/base")
    if want != have:
        log.warning(
            "html-manager expects @jupyter-widgets/base %s but ipywidgets ships %s: "
            "update gallery/package.json",
            have,
            want,
        )


def widget_assets() -> WidgetAssets:
    """Where the pages will load widgets from (installs the npm packages if needed)."""
    paths = {
        name: f"../assets/vendor/{name}/index"
        for name in WIDGET_BUNDLES
        if (nbextensions_dir() / name / "index.js").exists()
    }
    for name in sorted(set(WIDGET_BUNDLES) - set(paths)):
        log.warning("widget bundle %s not found in %s", name, nbextensions_dir())
    if ensure_node_modules():
        _check_renderer_matches_ipywidgets()
        return WidgetAssets(
            "../assets/vendor/require.js", "../assets/vendor/html-manager/embed-amd.js", paths, True
        )
    return WidgetAssets(
        f"{CDN}/requirejs@{_pinned('requirejs')}/require.js",
        f"{CDN}/@jupyter-widgets/html-manager@{_pinned('@jupyter-widgets/html-manager')}"
        "/dist/embed-amd.js",
        paths,
        False,
    )


def copy_assets(assets_src: Path, site: Path, widgets: WidgetAssets | None = None) -> WidgetAssets:
    """Copy the site's static files and the widget JavaScript into ``site/assets``."""
    widgets = widgets or widget_assets()
    target = site / "assets"
    shutil.copytree(assets_src, target, dirs_exist_ok=True)
    vendor = target / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    for name in widgets.paths:
        shutil.copytree(
            nbextensions_dir() / name,
            vendor / name,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("*.map", "extension.js"),
        )
    if widgets.offline:
        dist = NODE_MODULES / "@jupyter-widgets/html-manager/dist"
        shutil.copytree(
            dist,
            vendor / "html-manager",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("*.map", "embed.js", "*.LICENSE.txt", "libembed-amd.js"),
        )
        shutil.copy2(NODE_MODULES / "requirejs/require.js", vendor / "require.js")
    return widgets
