"""dashboard.address without a browser: URL → typed parameters, notice, URL state.

Voilà is simulated the way it runs a non-preheated kernel: ``VOILA_PREHEAT=False`` and
the visitor's ``QUERY_STRING`` in the environment (what ``voila.utils.get_query_string``
then reads). The preheated path is exercised by the browser tests.
"""

from __future__ import annotations

import html
import logging
import re

import ipywidgets
import pytest

from dashboard import address as live
from dashboard import incidents
from dashboard.exceptions import ParameterError

DEFAULTS = {"foret": "Toutes", "hauteur_min": 0, "seuil": 2.5, "carte": True}
FORETS = ["Toutes", "Forêt domaniale Verte", "Forêt domaniale de Roumare"]


@pytest.fixture
def visit(monkeypatch: pytest.MonkeyPatch):
    """``visit("a=1")`` → LiveParameters as a Voilà kernel serving that URL would get."""

    def read(query: str, **choices):
        monkeypatch.setenv("VOILA_PREHEAT", "False")
        monkeypatch.setenv("QUERY_STRING", query)
        return live.read_parameters(**DEFAULTS, choices=choices or None)

    return read


def notice_text(params: live.LiveParameters) -> str:
    message = params.notice.children[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", message.value))


def test_outside_voila_values_are_returned_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "foret=ignored")
    params = live.read_parameters(foret="Forêt domaniale Verte", hauteur_min=12)
    assert dict(params) == {"foret": "Forêt domaniale Verte", "hauteur_min": 12}
    assert params.problems == []
    assert params.notice.children[0].layout.display == "none"


def test_no_query_gives_the_defaults(visit) -> None:
    params = visit("")
    assert dict(params) == DEFAULTS
    assert params.problems == [] and params.from_url == {}


def test_deep_link_values_are_typed_from_the_defaults(visit) -> None:
    params = visit("foret=For%C3%AAt+domaniale+Verte&hauteur_min=30&seuil=3,5&carte=non")
    assert dict(params) == {
        "foret": "Forêt domaniale Verte",
        "hauteur_min": 30,
        "seuil": 3.5,
        "carte": False,
    }
    assert type(params["hauteur_min"]) is int and type(params["seuil"]) is float
    assert params.problems == []


def test_unknown_name_is_refused_and_the_accepted_ones_listed(visit) -> None:
    params = visit("foret=Forêt+domaniale+Verte&forest=Roumare")
    assert params["foret"] == "Forêt domaniale Verte"  # the valid part still applies
    assert len(params.problems) == 1
    text = notice_text(params)
    assert "forest" in text and "paramètres acceptés : foret, hauteur_min, seuil, carte" in text
    assert "valeurs par défaut" in text
    assert params.notice.children[0].layout.display is None


def test_wrong_type_keeps_the_default_and_says_why(visit) -> None:
    params = visit("hauteur_min=trente&seuil=nan&carte=peut-etre")
    assert params["hauteur_min"] == 0 and params["seuil"] == 2.5 and params["carte"] is True
    text = notice_text(params)
    assert "« hauteur_min » attend un nombre entier, pas « trente »" in text
    assert "« seuil » attend un nombre fini" in text
    assert "« carte » attend un oui/non" in text
    assert "hauteur_min (nombre entier, par défaut « 0 »)" in text


def test_choices_and_checks_refuse_values_outside_them(visit) -> None:
    def check_height(value: int) -> None:
        if not 0 <= value <= 60:
            raise ValueError(f"« hauteur_min » va de 0 à 60 mètres, pas {value}")

    params = visit("foret=Nulle+part&hauteur_min=99", foret=FORETS, hauteur_min=check_height)
    assert params["foret"] == "Toutes" and params["hauteur_min"] == 0
    text = notice_text(params)
    assert "« Nulle part » n'est pas un choix possible pour « foret »" in text
    assert "« Forêt domaniale de Roumare »" in text
    assert "va de 0 à 60 mètres, pas 99" in text
    accepted = visit("foret=For%C3%AAt+domaniale+de+Roumare", foret=FORETS)
    assert accepted["foret"] == "Forêt domaniale de Roumare" and accepted.problems == []


def test_check_refuses_a_value_outside_choices_that_depend_on_another(visit) -> None:
    params = visit("foret=For%C3%AAt+domaniale+Verte&hauteur_min=30", foret=FORETS)
    assert params.check("foret", FORETS) is True and params.problems == []
    assert params.check("carte", [False]) is True  # not from the URL: left alone
    assert params["carte"] is True
    heights_in_that_forest = range(0, 20)
    assert params.check("hauteur_min", heights_in_that_forest, depends_on=["foret"]) is False
    assert params["hauteur_min"] == 0 and "hauteur_min" not in params.from_url
    assert params["foret"] == "Forêt domaniale Verte"  # the rest of the URL still applies
    text = notice_text(params)
    assert (
        "« 30 » n'est pas un choix possible pour « hauteur_min » quand "
        "« foret » vaut « Forêt domaniale Verte ». Choisissez dans la liste."
    ) in text
    every_height = ", ".join(f"« {h} »" for h in heights_in_that_forest)
    details = params.notice.children[0].value.split("<details", 1)[1]
    assert f"(choix possibles : {every_height})." in html.unescape(details)  # all, disclosed
    assert params.notice.children[0].layout.display is None


def test_check_with_a_function_and_after_other_problems(visit) -> None:
    def check(value: str) -> None:
        raise ValueError(f"« {value} » ne convient pas ici.")

    params = visit("foret=Roumare&seuil=abc")
    assert len(params.problems) == 1
    assert params.check("foret", check) is False
    assert params["foret"] == "Toutes" and params.from_url == {}
    text = notice_text(params)
    assert "« seuil » attend un nombre" in text and "« Roumare » ne convient pas ici." in text
    assert len(params.problems) == 2


def test_values_are_literals_never_evaluated(visit) -> None:
    code = "__import__('os').system('touch /tmp/pwned')"
    params = visit(f"foret={code}&hauteur_min=1%2B1")
    assert params["foret"] == code  # kept as text, as declared
    assert params["hauteur_min"] == 0
    assert "pas « 1+1 »" in notice_text(params)


def test_markup_in_the_query_is_escaped_in_the_notice(visit) -> None:
    params = visit("x=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&%3Cscript%3E=1")
    markup = params.notice.children[0].value
    assert "<img" not in markup and "<script" not in markup
    assert "&lt;script&gt;" in markup


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("foret=" + "a" * 2001, "trop longue (plus de 2000 caractères)"),
        ("&".join(f"p{i}=1" for i in range(40)), "trop de paramètres"),
        ("foret=" + "a" * 201, "la valeur de « foret » est trop longue"),
        ("hauteur_min=1&hauteur_min=2", "« hauteur_min » est donné plusieurs fois"),
    ],
)
def test_oversized_or_repeated_queries_are_refused(visit, query: str, problem: str) -> None:
    params = visit(query)
    assert dict(params) == DEFAULTS
    assert any(problem in str(p) for p in params.problems), params.problems


def test_a_default_of_an_unsupported_type_is_a_notebook_error() -> None:
    with pytest.raises(ParameterError, match="type list non pris en charge"):
        live.read_parameters(lignes=["T1", "T2"])


def test_query_keeps_only_values_that_differ_from_the_defaults(visit) -> None:
    params = visit("")
    query = params.query({**DEFAULTS, "foret": "Forêt domaniale Verte", "seuil": 3.0})
    assert query == "foret=For%C3%AAt%20domaniale%20Verte&seuil=3.0"
    assert params.query({**DEFAULTS, "carte": False, "unknown": 1}) == "carte=non"
    assert params.query(DEFAULTS) == ""


class FakeControls:
    """The duck type sync_url expects: ``.values`` and ``.observe(callback, settled=…)``."""

    def __init__(self, values: dict) -> None:
        self.values = dict(values)
        self.callbacks: list = []

    def observe(self, callback, *, settled: bool = False) -> None:
        assert settled, "the address must show the values once a change has settled"
        self.callbacks.append(callback)

    def set(self, **changes) -> None:
        self.values.update(changes)
        for callback in self.callbacks:
            callback(self.values)


def test_sync_url_writes_the_state_the_template_copies(visit) -> None:
    params = visit("")
    controls = FakeControls(DEFAULTS)
    live.sync_url(controls, params)
    assert params.notice.children[1].value == ""
    controls.set(foret='Forêt "Verte" & <co>')
    state = params.notice.children[1].value
    assert state == (
        '<span data-rr-query="foret=For%C3%AAt%20%22Verte%22%20%26%20%3Cco%3E"></span>'
    )
    controls.set(foret="Toutes")
    assert params.notice.children[1].value == '<span data-rr-query=""></span>'


def test_sync_url_with_the_widgets_package_controls(visit) -> None:
    import widgets as w

    params = visit("hauteur_min=5")
    controls = w.ParameterControls(
        {
            "foret": w.dropdown("Forêt", FORETS, params["foret"]),
            "hauteur_min": ipywidgets.IntSlider(value=params["hauteur_min"], max=60),
        }
    )
    live.sync_url(controls, params)
    controls.controls["foret"].value = "Forêt domaniale de Roumare"
    assert "foret=For%C3%AAt%20domaniale%20de%20Roumare&amp;hauteur_min=5" in (
        params.notice.children[1].value
    )


LINES = {"Tous": ["Toutes", "T4", "F1"], "TEOR": ["Toutes", "T4"], "Bus": ["Toutes", "F1"]}


@pytest.mark.parametrize("url_first", [True, False], ids=["url-first", "url-last"])
@pytest.mark.parametrize("silently", [True, False], ids=["hold-notify-false", "plain"])
def test_the_address_shows_the_values_after_a_callback_replaced_options(
    monkeypatch: pytest.MonkeyPatch, url_first: bool, silently: bool
) -> None:
    """Mode TEOR → Bus: the notebook's callback gives the line drop-down the bus lines,
    « T4 » falls back to « Toutes »; the address must say so, not ``mode=Bus&ligne=T4``."""
    import widgets as w

    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "mode=TEOR&ligne=T4")
    params = live.read_parameters(mode="Tous", ligne="Toutes")
    controls = w.ParameterControls(
        {
            "mode": w.dropdown("Mode", list(LINES), params["mode"]),
            "ligne": w.dropdown("Ligne", LINES[params["mode"]], params["ligne"]),
        }
    )

    def refresh(values):
        with controls.hold(notify=not silently):
            w.set_options(controls.controls["ligne"], LINES[values["mode"]], values["ligne"])

    if url_first:
        live.sync_url(controls, params)
    controls.observe(refresh)
    if not url_first:
        live.sync_url(controls, params)
    controls.controls["mode"].value = "Bus"
    assert controls.values == {"mode": "Bus", "ligne": "Toutes"}
    assert params.notice.children[1].value == '<span data-rr-query="mode=Bus"></span>'
    controls.controls["ligne"].value = "F1"
    assert params.notice.children[1].value == (
        '<span data-rr-query="mode=Bus&amp;ligne=F1"></span>'
    )


def test_incident_report_logs_the_traceback_and_shows_only_the_id(
    capfd: pytest.CaptureFixture[str],
) -> None:
    logger = logging.getLogger("dashboard")
    before = list(logger.handlers)
    try:
        try:
            raise RuntimeError("détail interne SECRET-7")
        except RuntimeError as exc:
            incidents.report(None, type(exc), exc, exc.__traceback__)
        out, err = capfd.readouterr()
    finally:
        for handler in set(logger.handlers) - set(before):
            logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    ident = re.search(r"Incident ([0-9A-F]{6}) in", err).group(1)
    assert "Traceback (most recent call last)" in err and "SECRET-7" in err
    assert "SECRET-7" not in out and "Traceback" not in out
    assert ident in incidents.incident_html(ident)


def test_incident_ids_are_short_and_distinct() -> None:
    ids = {incidents.new_incident_id() for _ in range(200)}
    assert len(ids) == 200 and all(re.fullmatch(r"[0-9A-F]{6}", i) for i in ids)


# --- dashboard.Page, without a kernel: the namespace a notebook would have ----------------

PARAMETERS_CELL = 'mode: str = "Tous"  # mode\nligne: str = "Toutes"  # ligne\n'


@pytest.fixture
def notebook(monkeypatch: pytest.MonkeyPatch):
    """``notebook(query, **values)`` → a Page in a fake kernel: its history holds the
    parameters cell then papermill's injected cell, its namespace the values."""
    import dashboard.page

    def start(query: str | None = None, **values):
        ns = {"In": ["", PARAMETERS_CELL, 'mode = "Bus"\n'], "mode": "Tous", "ligne": "Toutes"}
        ns.update(values)
        monkeypatch.setattr(dashboard.kernel, "namespace", lambda: ns)
        monkeypatch.setattr(dashboard.page, "display", lambda *objects: None)
        if query is None:
            monkeypatch.delenv("VOILA_PREHEAT", raising=False)
        else:
            monkeypatch.setenv("VOILA_PREHEAT", "False")
            monkeypatch.setenv("QUERY_STRING", query)
        return dashboard.Page()

    return start


def _lines_dashboard(page):
    """Two drop-downs, the lines following the mode (a callback), and a counted draw."""
    import widgets as w

    controls = page.controls(
        mode=w.dropdown("Mode", list(LINES)), ligne=w.dropdown("Ligne", LINES["Tous"])
    )
    controls.observe(
        lambda values: w.set_options(controls.controls["ligne"], LINES[values["mode"]])
    )
    drawn: list[dict] = []
    page.draw(lambda values: drawn.append(dict(values)) or len(drawn))
    return controls, drawn


def test_page_reads_its_schema_from_the_parameters_cell_it_ran(notebook) -> None:
    page = notebook(mode="TEOR")
    assert list(page.declared) == ["mode", "ligne"]
    assert page.declared["mode"].comment == "mode"
    assert page.values == {"mode": "TEOR", "ligne": "Toutes"}  # papermill's value, typed


def test_a_notebook_value_outside_the_choices_stops_in_french(notebook) -> None:
    import widgets as w

    page = notebook(mode="Métro")
    with pytest.raises(ParameterError, match="« Métro » n'est pas un choix possible pour « Mode »"):
        page.controls(mode=w.dropdown("Mode", list(LINES)))


def test_a_plain_visit_draws_once_before_the_visitor(notebook) -> None:
    page = notebook("")
    controls, drawn = _lines_dashboard(page)
    page.show(ipywidgets.VBox())
    assert drawn == [{"mode": "Tous", "ligne": "Toutes"}]  # not redrawn for the visit
    assert page.view == 1 and page.shown == drawn[0]
    controls.controls["mode"].value = "Bus"
    assert drawn[-1] == {"mode": "Bus", "ligne": "Toutes"}
    assert page.address.notice.children[1].value == '<span data-rr-query="mode=Bus"></span>'


def test_the_address_is_applied_in_order_with_dependent_choices(notebook) -> None:
    page = notebook("mode=Bus&ligne=T4")
    controls, drawn = _lines_dashboard(page)
    page.show(ipywidgets.VBox())
    assert controls.values == {"mode": "Bus", "ligne": "Toutes"}  # T4 is not a bus line
    assert drawn[-1] == controls.values and len(drawn) == 2  # redrawn once, for the visit
    text = notice_text(page.address)
    assert "« T4 » n'est pas un choix possible pour « Ligne »" in text
    accepted = notebook("mode=TEOR&ligne=T4")
    controls, drawn = _lines_dashboard(accepted)
    accepted.show(ipywidgets.VBox())
    assert controls.values == {"mode": "TEOR", "ligne": "T4"} and accepted.address.problems == []


def test_a_parameter_without_control_keeps_the_notebooks_value(notebook) -> None:
    import widgets as w

    page = notebook("ligne=F1")
    page.controls(mode=w.dropdown("Mode", list(LINES)))
    page.draw(lambda values: None)
    page.show(ipywidgets.VBox())
    assert page.address["ligne"] == "Toutes"
    assert "« F1 » n'est pas un choix possible pour « ligne »" in notice_text(page.address)


def test_a_period_is_bound_to_a_pair_of_parameters(notebook, monkeypatch) -> None:
    import widgets as w

    monkeypatch.setattr(
        "dashboard.kernel.notebook_parameters",
        lambda ns: live.declare({"debut": "2024-01-01", "fin": ""}),
    )
    page = notebook("fin=2024-03-31&debut=31/12/2024", debut="2024-01-01", fin="")
    controls = page.controls({("debut", "fin"): w.date_range("Période", None, None)})
    assert controls.values == {"debut": "2024-01-01", "fin": ""}
    # Nothing returned: a cell ending with page.draw(...) shows nothing on the page.
    assert page.draw(lambda values: dict(values)) is None
    page.show(ipywidgets.VBox())
    assert page.view == {"debut": "2024-01-01", "fin": "2024-03-31"}  # the valid part applies
    text = notice_text(page.address)
    assert (
        "« 31/12/2024 » n'est pas une date pour « Période du » (format attendu : AAAA-MM-JJ)"
        in (text)
    )


def test_a_point_picker_is_bound_to_a_pair_of_parameters(notebook, monkeypatch) -> None:
    import ipyleaflet

    import widgets as w

    monkeypatch.setattr(
        "dashboard.kernel.notebook_parameters",
        lambda ns: live.declare({"lat": 49.44, "lon": 1.1}),
    )
    page = notebook("lon=1.05&lat=nord", lat=49.45, lon=1.09)
    picker = w.point_picker(ipyleaflet.Map(), 0.0, 0.0, home=("Centre de Rouen", 49.44, 1.1))
    controls = page.controls({("lat", "lon"): picker})
    assert picker.value == (49.45, 1.09)  # the notebook's values, not the picker's start
    page.draw(lambda values: dict(values))
    page.show(ipywidgets.VBox())
    assert picker.value == (49.45, 1.05)  # the valid part of the address applies
    assert page.view == controls.values == {"lat": 49.45, "lon": 1.05}
    assert "« nord »" in notice_text(page.address)
    picker.value = (49.4, 1.0)
    assert page.view == {"lat": 49.4, "lon": 1.0}
