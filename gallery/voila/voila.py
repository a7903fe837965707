"""Voilà configuration of the live dashboards — the one place their settings live.

A traitlets config file. Voilà reads it when started with this folder in its config
path, which is what ``make serve`` / ``build_gallery.py serve`` do
(``rouen_gallery/serve.py``)::

    voila notebooks/ --Voila.config_file_paths=gallery/voila --port=8866

A JupyterHub or BinderHub deployment passes the same flag (see the README, « Beyond one
machine »). Every setting below says why it has its value. Environment variables
(declared in ``rouen_opendata/settings.py``) override the few a deployment sizes or
points elsewhere:

``GALLERY_SITE_URL``
    Address of the static gallery, the target of the « back to the gallery » link
    (default ``/``: the gallery and the dashboards share a host behind a proxy).
``GALLERY_VOILA_POOL_SIZE``
    Preheated kernels kept waiting per dashboard (default 1).
``GALLERY_VOILA_MAX_KERNELS``
    Visitor kernels alive at once before « Serveur occupé » (HTTP 503) (default 24).
``GALLERY_VOILA_CULL_IDLE``
    Seconds without activity before a visitor's kernel is stopped (default 120).
"""

import os
from pathlib import Path

from rouen_opendata import settings

c = get_config()  # noqa: F821 -- traitlets provides get_config() to config files

HERE = Path(__file__).resolve().parent

# --- Where things are -------------------------------------------------------------------
# The site template lives in gallery/voila/templates/rouen/. Voilà looks templates up in
# the Jupyter data path (<root>/voila/templates/<name>), so the gallery folder joins it
# first. Kernels inherit the variable; it only adds template and extension lookups.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (str(HERE.parent), os.environ.get("JUPYTER_PATH", "")) if p
)
GALLERY_URL = (settings.site_url() or "/").rstrip("/") + "/"

# --- Network ----------------------------------------------------------------------------
# Loopback only: citizens reach the dashboards through a reverse proxy or JupyterHub,
# never this process directly. A deployment overrides it on the command line.
c.Voila.ip = "127.0.0.1"
# A server has no browser to open, and stops if its port is taken rather than silently
# moving to another one (the proxy in front points at this port).
c.Voila.open_browser = False
c.Voila.port_retries = 0
# nosniff: a file is never run as something else than its declared type. Applies to the
# pages and error pages (Jupyter handlers); the gallery link reaches the error pages too.
# static_immutable_cache: the widget libraries' front-end files (JupyterLab extensions:
# ipywidgets, ipyleaflet, bqplot) carry the hash of their content in their names, so
# browsers may keep them. Voilà serves them « no-cache »: every visit asked again for
# some 60 files, in three waves of round trips, before drawing anything. (Behind a
# --Voila.base_url, put that prefix in front of the path.)
c.Voila.tornado_settings = {
    "headers": {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"},
    "jinja_template_vars": {"gallery_url": GALLERY_URL},
    "static_immutable_cache": ["/voila/labextensions/"],
}

# Kernels talk to this server over Unix sockets in its private connection folder rather
# than TCP ports on 127.0.0.1: no kernel port any local user could reach, and no port
# clash when many kernels start at once (with TCP, two servers starting their pools
# together picked the same ports and kernels failed to start).
c.KernelManager.transport = "ipc"

# --- Look: the gallery's French template ------------------------------------------------
# gallery/voila/templates/rouen: extends Voilà's « lab » template with the gallery's
# header, stylesheet (gallery/assets/site.css), French loading state and error pages.
c.VoilaConfiguration.template = "rouen"
c.VoilaConfiguration.theme = "light"
# Visitors cannot switch to another template or theme with ?template= / ?theme=: only
# the dashboard's own parameters belong in its URL.
c.VoilaConfiguration.allow_template_override = "NO"
c.VoilaConfiguration.allow_theme_override = "NO"
# The folder listing at / is the template's French tree.html, not the JupyterLab
# file browser (which is English and would offer a file search).
c.VoilaConfiguration.classic_tree = True
# Values the template reads as resources.rouen (the page is rendered before the visitor
# arrives when a kernel is preheated, so it cannot depend on the request).
c.VoilaConfiguration.resources = {"rouen": {"gallery_url": GALLERY_URL}}
# The page loads only the JupyterLab extensions dashboards use (Voilà loads every one
# installed): jupyterlab_pygments colours code in JupyterLab, and dashboards show none
# (Voilà already leaves out its own JupyterLab preview extension).
c.VoilaConfiguration.extension_denylist = ["jupyterlab_pygments"]

# --- What a citizen never sees ----------------------------------------------------------
# Code cells are not shown (the gallery page has « Voir le code » for the curious).
c.VoilaConfiguration.strip_sources = True
# A cell error reaches the page as the template's French message with an incident id;
# the traceback stays in this server's log (rouen_gallery.live logs it with that id).
c.VoilaConfiguration.show_tracebacks = False
# The template renders an error output (a cell failed before rouen_gallery.live was
# imported) with this filter: the same French message, a new incident id, logged.
c.VoilaExporter.filters = {"incident": "rouen_gallery.voila_server.incident"}

# --- Files: dashboards and their images only -------------------------------------------
# /voila/files/ serves files next to the notebooks. Only images, with plain names (no
# "..", no hidden folders); notebooks and Python files never (no source download).
c.VoilaConfiguration.file_allowlist = [r"[\w\-]+(/[\w\-]+)*\.(png|jpe?g|gif|svg|webp)"]
c.VoilaConfiguration.file_denylist = [r".*\.(ipynb|py)", r"(.*/)?\..*"]

# --- Speed: preheated kernels -----------------------------------------------------------
POOL_SIZE = settings.voila_pool_size()
# Each dashboard keeps kernels that have already run its cells up to
# rouen_gallery.live.read_parameters (data loaded, figures prepared) and wait there for
# a visitor's URL. A visit takes one and the pool refills. Size pools for bursts: a
# visit arriving while its pool refills pays the cold start. (Voilà cannot preheat
# when it runs as a Jupyter server extension, e.g. on Binder: there, visits are cold.)
c.VoilaConfiguration.preheat_kernel = True
# Kernels per pool. Per-dashboard sizes may be added, keyed by notebook path relative
# to the served folder, e.g. "reseau-astuce.ipynb": {"pool_size": 4}; "default" applies
# to the others.
c.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": POOL_SIZE}}
# Seconds before refilling a pool after a visit took a kernel: the visitor's page gets
# the CPU first. A refill (a kernel loading its libraries and data) takes a whole core
# for seconds; with 1 s it started while the visitor's browser was still building the
# dashboard, 0.5 s slower on 2 cores (bench/bench_voila.py). A second visitor within
# these seconds (plus the warm-up) gets a kernel started for them: size pools for bursts.
c.VoilaKernelManager.fill_delay = 5.0
# No per-cell timeout: a preheated kernel waits in read_parameters for as long as no one
# visits. Idle culling (below) bounds the life of visitors' kernels instead.

# --- Load: a cap on live kernels, idle ones stopped ------------------------------------
# The kernel manager refuses a new visitor with the template's 503.html (« Serveur
# occupé, réessayez dans quelques minutes ») when this many visitor kernels are alive.
# Preheated kernels are not counted: they cost pool_size x dashboards on top. A kernel
# holds 140 MB (a small dashboard) to 220 MB (comptages-velo), shared pages split
# (bench/bench_voila.py): 24 visitors + 12 pooled kernels need about 8 GB.
c.VoilaConfiguration.multi_kernel_manager_class = "rouen_gallery.voila_server.CappedKernelManager"
c.CappedKernelManager.max_visitor_kernels = settings.voila_max_kernels()
# A closed tab stops its kernel at once: Voilà's page sends a beacon carrying its XSRF
# cookie, which Voilà forgets to give dashboard pages (voila-dashboards/voila#1458: the
# beacon was refused and every kernel lingered until culled). This identity provider
# (Voilà's own, anonymous visitors) hands the cookie out with each dashboard.
c.Voila.identity_provider_class = "rouen_gallery.voila_server.DashboardIdentityProvider"
# A tab left open or a lost connection: its kernel is stopped after this many idle
# seconds (default 2 minutes), even if still connected. Server memory is then bounded by
# the visitors active in the last minutes, not by open tabs. Nothing is lost: the
# dashboard's state is in its address, and the page (static/rouen-voila.js) reopens that
# address on a preheated kernel at the visitor's next action, with a French note.
c.MappingKernelManager.cull_idle_timeout = settings.voila_cull_idle()
c.MappingKernelManager.cull_connected = True
# Idle kernels looked for every quarter of that time (at most every 30 s).
c.MappingKernelManager.cull_interval = max(1, min(30, settings.voila_cull_idle() // 4))
# A kernel busy computing is not idle: never stop it mid-answer.
c.MappingKernelManager.cull_busy = False
