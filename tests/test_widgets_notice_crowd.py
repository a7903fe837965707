"""The notice banner and the crowd level tables: escaped French HTML, levels in words."""

from __future__ import annotations

import pandas as pd

from widgets.crowd import LEVEL_COLORS, level_badge, month_grid_html, typical_range, week_table_html
from widgets.notice import notice_banner, set_notice

DAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]


def test_the_notice_is_hidden_when_empty_and_escapes_its_text():
    banner = notice_banner()
    assert banner.value == "" and banner.layout.display == "none"
    set_notice(banner, "Le jeu « <x> » est inconnu.", "Jeu de données")
    assert banner.layout.display == ""
    assert "<strong>Jeu de données</strong>" in banner.value and "&lt;x&gt;" in banner.value
    set_notice(banner, "  ")
    assert banner.layout.display == "none"


def test_a_long_list_goes_behind_a_disclosure_after_one_sentence():
    banner = notice_banner()
    names = [f"Jeu <{n}>" for n in range(12)]
    set_notice(banner, "Jeu inconnu.", "Jeu de données introuvable", names, "Jeux disponibles")
    sentence, _, disclosure = banner.value.partition("<details")
    assert "Jeu &lt;0&gt;" not in sentence
    assert disclosure.count("<li>") == 12 and "&lt;11&gt;" in disclosure
    assert "<summary>Jeux disponibles</summary>" in disclosure
    set_notice(banner, "Jeu inconnu.")
    assert "<details" not in banner.value


def test_levels_are_words_with_a_colour():
    badge = level_badge("chargé")
    assert ">chargé</span>" in badge and LEVEL_COLORS["chargé"] in badge
    assert ">&lt;b&gt;</span>" in level_badge("<b>")
    assert typical_range({"bas": 420.0, "haut": 1610.5}) == "420 à 1\u202f610 entrées"
    assert typical_range({"bas": float("nan"), "haut": 3.0}) == ""


def test_week_table_outlines_the_chosen_day():
    table = pd.DataFrame(
        {
            "niveau": ["calme", "fermé"],
            "bas": [10.0, float("nan")],
            "haut": [20.0, float("nan")],
            "jours_ouverts": [12, 0],
            "jours": [13, 13],
        },
        index=[0, 5],
    )
    text = week_table_html(table, DAYS, 5, "Affluence <test>")
    assert "<caption>Affluence &lt;test&gt;</caption>" in text
    assert text.count("<tr") == 8  # header and seven days
    chosen = text.split('<tr class="rr-chosen">')[1].split("</tr>")[0]
    assert "Samedi" in chosen and ">fermé</span>" in chosen and "0/13" in chosen
    assert "10 à 20" in text and ">fermé</span>" in text.split("Mardi")[1]  # missing rows: closed


def test_month_grid_has_a_level_per_month_and_weekday():
    index = pd.MultiIndex.from_tuples([(1, 0), (1, 5)], names=["mois", "jour"])
    table = pd.DataFrame({"niveau": ["calme", "chargé"]}, index=index)
    months = [f"M{m}" for m in range(1, 13)]
    text = month_grid_html(table, months, [d[:3] for d in DAYS], 5, "Mois et jours")
    assert text.count("<tr>") == 1 + 12
    january = text.split('<th scope="row">M1</th>')[1].split("</tr>")[0]
    assert january.count("<td") == 7 and ">calme</span>" in january
    assert (
        '<td class="rr-chosen"><span class="rr-level" style="background:#F7B9A6">chargé' in january
    )
