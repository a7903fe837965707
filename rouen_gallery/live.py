"""Former home of the dashboard runtime, kept for the notebooks not yet on :mod:`dashboard`.

New notebooks use :class:`dashboard.Page`; this module only re-exports the lower-level
calls (importing it installs the incident handler in Voilà, as :mod:`dashboard` does).
"""

from __future__ import annotations

import dashboard  # noqa: F401 -- installs the French incident handler in a Voilà kernel
from dashboard.address import LiveParameters, parse_query, read_parameters, sync_url
from dashboard.kernel import in_voila

__all__ = ["LiveParameters", "in_voila", "parse_query", "read_parameters", "sync_url"]
