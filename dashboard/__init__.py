"""The dashboard runtime: what a reuse notebook imports to become a live dashboard.

A notebook says *what* it shows — its parameters, one control per parameter, a function
from parameter values to a drawn view, the page's sections — and the runtime does the
rest, the same way in the gallery build (papermill), JupyterLab and Voilà: the schema is
read from the notebook's own ``parameters`` cell; the one validator
(:func:`dashboard.schema.parameter_problems`, also used by the build and the
contribution checker) checks the values; the controls show them; the page is drawn
before a visitor arrives (a preheated Voilà kernel runs everything up to
:meth:`Page.show`, then waits); the visitor's address is read, checked against the
controls' choices, applied, and the page redrawn only if it changed something; the
address then follows the controls; a refused address gets a short French notice at the
top of the page (the full lists behind a disclosure); an error becomes a French message
with an incident id, its traceback going to the server log (:mod:`dashboard.incidents`).

A complete notebook, cell by cell (the same as CONTRIBUTING.md's, which a test runs)::

    # 1 — code, tagged « parameters »: typed literal defaults, a comment each
    foret: str = "Toutes"  # nom de la forêt, ou Toutes

    # 2 — code, on its own: from here on an error reaches a visitor as a French message;
    #     the notice about a refused address is displayed here, at the top of the page
    from dashboard import Page

    page = Page()

    # 3 — code: the other imports, the data, the figures (empty), the controls
    import pandas as pd

    import widgets as w
    from rouen_opendata import load_dataset

    arbres, provenance = load_dataset("arbres-remarquables")
    nombre = w.kpi_card("Arbres remarquables", None)
    hauteurs = w.ranked_bars(pd.Series(dtype=float), "Hauteur des arbres", "Hauteur (m)")
    forets = ["Toutes", *sorted(arbres["forest"].dropna().unique())]
    controls = page.controls(foret=w.dropdown("Forêt", forets))

    # 4 — code: what the page shows for given values; drawn now, and on each change
    def draw(values):
        choisis = arbres
        if values["foret"] != "Toutes":
            choisis = arbres[arbres["forest"] == values["foret"]]
        nombre.update(len(choisis))
        ...
        return choisis

    page.draw(draw)

    # 5 — code: the layout; show() reads the visitor's address, then displays it
    page.show(w.dashboard("Titre", "Introduction.", controls, [w.kpi_row([nombre])], provenance))

The API
-------
:class:`Page` ``()``
    Reads the parameters cell (last one the kernel ran) and the values the notebook runs
    with (``page["foret"]``, ``page.values``); displays the notice area.
:meth:`Page.controls` ``(name=control, …, accept={name: function}, options={name: function})``
    Binds controls (``widgets.dropdown``, ``widgets.date_range`` under a pair of names…)
    and returns the :class:`widgets.controls.ParameterControls` to put in the layout. A
    drop-down's options are the parameter's choices. ``accept`` turns a parameter value
    into the control's (a place's name into its id) or refuses it (``ValueError`` with a
    French message). A parameter without control only takes the value the notebook runs
    with. A wrong notebook value stops with a French :class:`ParameterError`.
``options={name: function}`` (parameters checked together, 1)
    A drop-down whose options depend on other parameters: the function's parameter names
    are those it reads, ``options={"ligne": lambda mode: lines_of(mode)}``. The options
    are set for the notebook's values, the value checked against them (« « T4 » n'est
    pas un choix possible pour « ligne » quand « mode » vaut « Bus » » for an address),
    and given again each time ``mode`` changes, the value falling back to the first
    option when it is not offered any more (no callback to write).
``accept={name: function naming others}`` (parameters checked together, 2)
    An accept function naming its parameter and others gets their values too and is
    called after them: it checks them together or derives one from the others,
    ``accept={"debut": lambda debut, fin: start_of(debut, fin)}`` (an empty start a year
    before the end; a start after the end refused by a ``ValueError``). From an address,
    the refused value goes back to the notebook's, derived again; an address value
    the notebook's others do not go with is refused instead.
:meth:`Page.draw` ``(function)``
    ``function(values) -> view`` updates the figures in place and returns what it drew
    (a table, a dict): called now, then after each change of the controls.
:meth:`Page.show` ``(board)``
    Everything that waits for the visitor; the cells after it run while they wait, so
    keep there only prose and the sources footer.
:func:`current_page`
    The kernel's last :class:`Page`: ``.view`` (last view drawn), ``.shown`` (its values),
    ``.address`` (``from_url``, ``problems``). Tests read them by running one more cell
    (``tests/notebook_runs.py``); the published notebook carries no test code.

Free-text parameters reach the page as the visitor typed them: escape them before
putting them in HTML, or give them a drop-down. Lower-level calls for notebooks not yet
on :class:`Page`: :func:`dashboard.address.read_parameters` and
:func:`dashboard.address.sync_url`.
"""

from __future__ import annotations

from . import incidents, kernel
from .exceptions import ControlError, DashboardError, NotInNotebookError, ParameterError
from .page import Page, current_page

__all__ = [
    "ControlError",
    "DashboardError",
    "NotInNotebookError",
    "Page",
    "ParameterError",
    "current_page",
]

if kernel.in_voila():
    incidents.install()
