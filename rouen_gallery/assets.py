"""Static assets of the site, including the widget JavaScript served from the site itself.

Widget bundles are taken from the installed Python packages (``share/jupyter/nbextensions``),
so they are exactly the installed versions. The renderer (``@jupyter-widgets/html-manager``)
and ``require.js`` come from ``gallery/node_modules`` (``npm ci`` in ``gallery/``); when npm
is not available the pages load them from a CDN at the pinned versions instead — then the
pages need the network to show widgets (documented in the README).

Shared files carry a hash of their content in their name (``require.3f2a….js``,
``vendor/bqplot-91c0…/index.js``): a host may let browsers keep them forever
(``deploy/nginx.conf`` does), and a new version is a new name. The renderer's single
file is cut into its six AMD modules so that a page never downloads the ipywidgets 7
compatibility modules it does not use, and each page asks only for the widget libraries
its embedded state names (:func:`page_libraries`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

GALLERY_DIR = Path(__file__).resolve().parent.parent / "gallery"
NODE_MODULES = GALLERY_DIR / "node_modules"
PAGE_STATIC = GALLERY_DIR / "templates" / "nbconvert" / "reuse" / "static"
"""The reuse page's own script (widget drawing) and stylesheet additions."""
WIDGET_BUNDLES = ("bqplot", "bqscales", "jupyter-leaflet")
"""AMD bundles shipped inside the Python packages, by module name."""
RENDERER_MODULES = (
    "@jupyter-widgets/base",
    "@jupyter-widgets/controls",
    "@jupyter-widgets/base7",
    "@jupyter-widgets/controls7",
    "@jupyter-widgets/html-manager",
    "@jupyter-widgets/html-manager/dist/libembed-amd",
)
"""The AMD modules defined by html-manager's ``libembed-amd.js``, in file order."""
HASH_LENGTH = 10
CDN = "https://cdn.jsdelivr.net/npm"
_DEFINE = re.compile(r'^define\("([^"]+)"', re.MULTILINE)
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def _pinned(package: str) -> str:
    deps = json.loads((GALLERY_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    return deps[package]


@dataclass(frozen=True)
class WidgetAssets:
    """URLs (relative to a reuse page) the rendered notebooks load widgets from.

    Plain data (it travels to the build's worker processes as a dict).
    """

    require_js_url: str
    loader_url: str
    """The page's script drawing the embedded widgets (``static/reuse-widgets.js``)."""
    css_url: str
    """JupyterLab's notebook stylesheet, once for the whole site instead of in each page."""
    paths: dict[str, str]
    """require.js ``paths``: AMD module name → URL without ``.js``."""
    bundles: dict[str, list[str]] = field(default_factory=dict)
    """require.js ``bundles`` (CDN mode: one file defines all the renderer's modules)."""
    offline: bool = True

    def require_config_json(self, libraries: list[str] | None = None) -> str:
        """The page's require.js config, naming only ``libraries`` among the widget bundles."""
        paths = {
            name: url
            for name, url in self.paths.items()
            if name not in WIDGET_BUNDLES or libraries is None or name in libraries
        }
        config: dict = {"paths": paths, "waitSeconds": 0}
        if self.bundles:
            config["bundles"] = self.bundles
        return json.dumps(config)


def page_libraries(widget_state: dict, available: dict[str, str]) -> list[str]:
    """Widget bundles a page's embedded state uses (``model_module``), among ``available``."""
    models = widget_state.get("state", {}).values()
    used = {m.get("model_module") for m in models}
    used |= {m.get("state", {}).get("_view_module") for m in models}
    return sorted(name for name in WIDGET_BUNDLES if name in used and name in available)


def content_hash(*paths: Path) -> str:
    """Short hash of the bytes of files (folders: every file inside, by relative path)."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(path.parent).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:HASH_LENGTH]


def _short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def hashed_name(path: Path) -> str:
    """``name.<hash>.ext`` for a file, the hash of its bytes."""
    return f"{path.stem}.{_short_hash(path.read_bytes())}{path.suffix}"


def nbextensions_dir() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "nbextensions"


def lab_css_files() -> list[Path]:
    """nbconvert's lab stylesheets a reuse page uses (light theme), then the page's own."""
    lab = Path(sys.prefix) / "share" / "jupyter" / "nbconvert" / "templates" / "lab" / "static"
    return [lab / "index.css", lab / "theme-light.css", PAGE_STATIC / "reuse.css"]


def notebook_css() -> str:
    """The reuse pages' shared stylesheet: :func:`lab_css_files` one after the other."""
    return "\n".join(p.read_text(encoding="utf-8") for p in lab_css_files())


def ensure_node_modules() -> bool:
    """Install the pinned npm packages once, if npm is there; True when available."""
    if (_renderer_dist() / "libembed-amd.js").exists():
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


def _renderer_dist() -> Path:
    return NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"


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


def split_renderer(source: str) -> dict[str, str] | None:
    """``libembed-amd.js`` cut at each top-level ``define("name", …)``: name → code.

    None when the file does not hold exactly the expected modules (a new html-manager
    release laid out otherwise): the caller then ships it whole.
    """
    starts = [
        (_with_license_comment(source, m.start()), m.group(1)) for m in _DEFINE.finditer(source)
    ]
    if tuple(name for _, name in starts) != RENDERER_MODULES:
        return None
    ends = [start for start, _ in starts[1:]] + [len(source)]
    return {
        name: _SOURCE_MAP.sub("", source[start:end]).strip() + "\n"
        for (start, name), end in zip(starts, ends, strict=True)
    }


def _with_license_comment(source: str, start: int) -> int:
    """Where a module begins, its licence comment included when one stands just before."""
    comment = source.rfind("/*! For license", 0, start)
    between = source[comment:start].rstrip()
    if comment != -1 and between.endswith("*/") and "\n" not in between:
        return comment
    return start


def _renderer_folder() -> str:
    dist = _renderer_dist()
    return f"html-manager-{content_hash(dist / 'libembed-amd.js', *_renderer_fonts(dist))}"


def _renderer_fonts(dist: Path) -> list[Path]:
    return sorted(
        p for p in dist.iterdir() if p.suffix in (".woff2", ".woff", ".ttf", ".eot", ".svg")
    )


def _bundle_folder(name: str) -> str:
    return f"{name}-{content_hash(nbextensions_dir() / name)}"


def widget_assets() -> WidgetAssets:
    """Where the pages will load widgets from (installs the npm packages if needed)."""
    paths = {
        name: f"../assets/vendor/{_bundle_folder(name)}/index"
        for name in WIDGET_BUNDLES
        if (nbextensions_dir() / name / "index.js").exists()
    }
    for name in sorted(set(WIDGET_BUNDLES) - set(paths)):
        log.warning("widget bundle %s not found in %s", name, nbextensions_dir())
    loader = f"../assets/{hashed_name(PAGE_STATIC / 'reuse-widgets.js')}"
    css = f"../assets/reuse.{_short_hash(notebook_css().encode())}.css"
    if ensure_node_modules():
        _check_renderer_matches_ipywidgets()
        folder = f"../assets/vendor/{_renderer_folder()}"
        parts = split_renderer((_renderer_dist() / "libembed-amd.js").read_text(encoding="utf-8"))
        if parts is None:
            log.warning("html-manager's libembed-amd.js has an unexpected layout: shipped whole")
            renderer = {"paths": {"rr-renderer": f"{folder}/libembed-amd"}}
            bundles = {"rr-renderer": list(RENDERER_MODULES)}
        else:
            renderer = {"paths": {name: f"{folder}/{name.rsplit('/', 1)[-1]}" for name in parts}}
            bundles = {}
        require = f"../assets/vendor/{hashed_name(NODE_MODULES / 'requirejs' / 'require.js')}"
        return WidgetAssets(require, loader, css, {**renderer["paths"], **paths}, bundles, True)
    manager = f"{CDN}/@jupyter-widgets/html-manager@{_pinned('@jupyter-widgets/html-manager')}"
    return WidgetAssets(
        f"{CDN}/requirejs@{_pinned('requirejs')}/require.js",
        loader,
        css,
        {"rr-renderer": f"{manager}/dist/libembed-amd", **paths},
        {"rr-renderer": list(RENDERER_MODULES)},
        False,
    )


def _in_site(site: Path, url: str) -> Path:
    """The file of the site a page's relative URL (``../assets/…``) points at."""
    return site / url.removeprefix("../")


def copy_assets(assets_src: Path, site: Path, widgets: WidgetAssets | None = None) -> WidgetAssets:
    """Copy the site's static files and the widget JavaScript into ``site/assets``."""
    widgets = widgets or widget_assets()
    target = site / "assets"
    shutil.copytree(assets_src, target, dirs_exist_ok=True)
    shutil.copy2(PAGE_STATIC / "reuse-widgets.js", _in_site(site, widgets.loader_url))
    _in_site(site, widgets.css_url).write_text(notebook_css(), encoding="utf-8")
    vendor = target / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    for name in WIDGET_BUNDLES:
        if name in widgets.paths:
            shutil.copytree(
                nbextensions_dir() / name,
                vendor / _bundle_folder(name),
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("*.map", "extension.js"),
            )
    if widgets.offline:
        dist = _renderer_dist()
        folder = vendor / _renderer_folder()
        folder.mkdir(exist_ok=True)
        for font in _renderer_fonts(dist):
            shutil.copy2(font, folder / font.name)
        source = (dist / "libembed-amd.js").read_text(encoding="utf-8")
        parts = split_renderer(source) or {"libembed-amd": source}
        for name, code in parts.items():
            (folder / f"{name.rsplit('/', 1)[-1]}.js").write_text(code, encoding="utf-8")
        shutil.copy2(NODE_MODULES / "requirejs/require.js", _in_site(site, widgets.require_js_url))
    return widgets
