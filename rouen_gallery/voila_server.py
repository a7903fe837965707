"""Server-side pieces of the live dashboards, named in ``gallery/voila/voila.py``.

- :class:`CappedKernelManager` refuses a new visitor with HTTP 503 (the template's
  French « Serveur occupé » page) when ``max_visitor_kernels`` visitor kernels are
  alive. Preheated kernels waiting in a pool are not visitors and are not counted.
- :class:`DashboardIdentityProvider` gives each dashboard page the XSRF cookie that
  closing its tab needs to stop its kernel.
- :func:`incident` is the Jinja filter behind the template's fallback incident
  message (a cell failed before :mod:`dashboard` could report it itself).

These run inside the Voilà server process; logs go to its log.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.identity import PasswordIdentityProvider, User
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer
from voila.handler import VoilaHandler

from dashboard.incidents import incident_html, new_incident_id

log = logging.getLogger(__name__)

PREHEAT_ENV = "VOILA_PREHEAT"
"""Set to "True" by Voilà in the environment of the kernels it starts for a pool."""


class CappedKernelManager(AsyncMappingKernelManager):
    """Kernel manager with a cap on the kernels serving visitors.

    Voilà wraps the configured class in its own subclass when kernels are preheated;
    that subclass's ``get_rendered_notebook`` (a visitor taking a pooled kernel) shadows
    any method of this class, so the cap wraps the bound method of the instance.
    """

    max_visitor_kernels = Integer(
        24,
        config=True,
        help="Visitor kernels alive at once; one more visitor gets HTTP 503.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._visitors: set[str] = set()
        self._arriving = 0
        if self.parent is not None and not log.handlers:
            # The Voilà application's handlers, so these lines look like its own.
            for handler in self.parent.log.handlers:
                log.addHandler(handler)
            log.setLevel(logging.INFO)
            log.propagate = False
        take_pooled = getattr(self, "get_rendered_notebook", None)
        if take_pooled is not None:
            self.get_rendered_notebook = self._capped(take_pooled)

    @property
    def visitor_kernels(self) -> int:
        """Kernels currently serving a visitor (pooled ones excluded)."""
        self._visitors &= set(self.list_kernel_ids())
        return len(self._visitors)

    def _admit(self) -> None:
        """Reserve a place for one visitor, or refuse with 503."""
        if self.visitor_kernels + self._arriving >= self.max_visitor_kernels:
            log.warning(
                "Server busy: %d visitor kernels alive (cap %d), visitor refused with 503",
                self.visitor_kernels,
                self.max_visitor_kernels,
            )
            raise web.HTTPError(503, "Server busy: too many live dashboards")
        self._arriving += 1

    def _capped(self, take_pooled: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def take(*args: Any, **kwargs: Any) -> Any:
            self._admit()
            try:
                render_task, rendered, kernel_id = await take_pooled(*args, **kwargs)
                self._visitors.add(kernel_id)
            finally:
                self._arriving -= 1
            return render_task, rendered, kernel_id

        return take

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel; one for a visitor (not for a pool) must pass the cap."""
        visitor = (kwargs.get("env") or {}).get(PREHEAT_ENV) != "True"
        if not visitor:
            return await super().start_kernel(*args, **kwargs)
        self._admit()
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
            self._visitors.add(kernel_id)
        finally:
            self._arriving -= 1
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Stop a kernel (closed tab, idle cull, server exit) and free its place."""
        self._visitors.discard(kernel_id)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)


class DashboardIdentityProvider(PasswordIdentityProvider):
    """Voilà's identity provider, also handing each dashboard page its XSRF cookie.

    Closing a dashboard's tab stops its kernel with a POST to
    ``/voila/api/shutdown/<kernel>`` carrying the page's ``_xsrf`` cookie, but Voilà
    never sets that cookie on dashboard pages (voila-dashboards/voila#1458): the POST
    was refused and the kernel kept its place under the cap until culled.
    """

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        user = await ensure_async(super().get_user(handler))
        if user is not None and isinstance(handler, VoilaHandler):
            handler.current_user = user  # what xsrf_token reads; prepare() sets it too
            handler.xsrf_token  # noqa: B018 -- reading it sets the cookie when missing
        return user


def incident(output: Any, notebook: str) -> str:
    """Jinja filter: the French incident message for a cell error output.

    Voilà logs the failing cell (with its traceback) just before rendering it; this
    logs the new incident id the citizen sees, tying the two together.
    """
    ident = new_incident_id()
    log.error(
        "Incident %s: a cell of %s failed before the dashboard runtime was imported (%s: %s); "
        "Voilà logged the cell and its traceback just above",
        ident,
        notebook,
        output.get("ename", "?"),
        output.get("evalue", ""),
    )
    return incident_html(ident)
