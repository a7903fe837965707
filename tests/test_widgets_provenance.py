"""Sources footer, data warning banner and the dashboard frame."""

from __future__ import annotations

import html
from dataclasses import replace

import ipywidgets
import pytest

from rouen_opendata import GENERATED_LABEL, DataProvenance
from widgets import dashboard, generated_banner, provenance_footer, section, style_block
from widgets.provenance import GENERATED_TITLE


@pytest.fixture
def real() -> DataProvenance:
    return DataProvenance(
        key="astuce-gtfs",
        title="Réseau <Astuce>",
        dataset_id=None,
        page_url="https://transport.data.gouv.fr/datasets/astuce?a=1&b=2",
        publisher="Métropole Rouen Normandie",
        licence="Licence Ouverte v2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        source="snapshot",
        data_date="2024-02-01",
        fetched_at="2024-02-01T00:00:00+00:00",
        generated=False,
        origin="GitHub",
        rows=3,
    )


def test_footer_links_title_and_licence_escaped(real):
    text = provenance_footer(real).value
    assert (
        '<a href="https://transport.data.gouv.fr/datasets/astuce?a=1&amp;b=2" '
        'target="_blank" rel="noopener">Réseau &lt;Astuce&gt;</a>'
    ) in text
    assert "Licence Ouverte v2.0</a>" in text and "données du 1er février 2024" in text
    assert "données réelles" in text and GENERATED_TITLE not in text


def test_footer_says_when_a_date_is_unknown(real):
    unknown = replace(real, data_date=None, fetched_at=None)
    text = provenance_footer(unknown).value
    assert "— date non communiquée —" in text and "données du" not in text
    offline = replace(real, data_date=None, fetched_at=None, fallback_reason="panne")
    text = provenance_footer(offline).value
    assert "copie hors ligne, date non communiquée" in text and " du date" not in text


def test_footer_does_not_link_other_schemes(real):
    text = provenance_footer(replace(real, page_url="javascript:alert(1)")).value
    assert "javascript:" not in text and "Réseau &lt;Astuce&gt;" in text


def test_banner_says_generated_and_offline(real):
    assert GENERATED_TITLE == GENERATED_LABEL
    assert generated_banner(real).layout.display == "none"
    generated = replace(real, key="sample", title="Comptages <vélo>", generated=True)
    offline = replace(real, fallback_reason="lecture en ligne impossible (Timeout) : <délai>")
    banner = generated_banner([generated, offline])
    assert banner.layout.display == ""
    assert f"<strong>{html.escape(GENERATED_LABEL)}</strong>" in banner.value
    assert "« Comptages &lt;vélo&gt; » n’est pas publié" in banner.value
    assert "ils montrent la méthode, pas la réalité" in banner.value
    assert "Données hors ligne du 01/02/2024" in banner.value
    assert "&lt;délai&gt;" in banner.value and "<délai>" not in banner.value
    footer = provenance_footer([generated, offline, offline]).value
    assert footer.count("<li>") == 2 and "copie hors ligne du 1er février 2024" in footer


def test_dashboard_assembles_one_responsive_column(real):
    controls = ipywidgets.Dropdown(options=["a"])
    body = section("Où sont les arrêts ?", [ipywidgets.HTML("carte")], "Texte <court>.")
    board = dashboard(
        "Le réseau",
        "Première phrase.\n\nSeconde <phrase>.",
        controls,
        body,
        replace(real, generated=True),
    )
    assert board.children[0] is style_block() and "rr-dashboard" in board._dom_classes
    assert (
        board.children[1] is board.header
        and '<h2 class="rr-title">Le réseau</h2>' in board.header.value
    )
    assert "<p>Seconde &lt;phrase&gt;.</p>" in board.header.value
    assert board.children[2] is board.banner and board.banner.layout.display == ""
    assert board.children[3] is controls and board.children[4] is body
    assert board.children[-1] is board.footer
    assert "Texte &lt;court&gt;." in body.children[0].value
    second = dashboard("Autre", "", None, [], real, footer=False)
    assert second.children[0] is board.children[0] and second.footer is None
    assert (
        ".rr-kpi-row" in style_block().value and "@media (max-width: 480px)" in style_block().value
    )
