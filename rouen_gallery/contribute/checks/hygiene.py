"""Checks of what a reviewer should not have to read: outputs, sizes, images, placeholders."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from .base import PLACEHOLDER, Notebook, Problem, cell_source, has_placeholder, where

log = logging.getLogger(__name__)

DATA_URI = re.compile(r"data:image/[\w.+-]+;base64,([A-Za-z0-9+/=\s]+)")


def check_outputs(nb: Notebook) -> list[Problem]:
    """Notebooks are committed without outputs or execution counts."""
    cells = [
        i
        for i, cell in enumerate(nb.cells, start=1)
        if cell.get("cell_type") == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    if not cells:
        return []
    listed = ", ".join(map(str, cells[:12])) + ("…" if len(cells) > 12 else "")
    return [
        nb.problem(
            "outputs-committed",
            f"Le notebook contient des résultats d'exécution "
            f"(cellule{'s' if len(cells) > 1 else ''} {listed}).",
            f"Videz les sorties avant de proposer le notebook :  nbstripout {nb.path.name}  "
            "(ou make format ; JupyterLab : Édition › Effacer toutes les sorties, puis "
            "enregistrer). Le hook pre-commit le fait pour vous : pre-commit install.",
        )
    ]


def check_size(nb: Notebook) -> list[Problem]:
    """The file stays small enough to review and to clone."""
    if nb.size <= nb.max_bytes:
        return []
    return [
        nb.problem(
            "notebook-too-large",
            f"Le fichier pèse {nb.size / 1e6:.1f} Mo (limite {nb.max_bytes / 1e6:.1f} Mo).",
            "Videz les sorties, retirez les images collées dans le texte et déplacez le code "
            "qu'un autre notebook pourrait utiliser dans un module (rouen_opendata, widgets).",
        )
    ]


def _embedded_images(cell: dict) -> list[tuple[str, int]]:
    """(name, bytes) of the images a markdown cell carries inside the notebook."""
    images = []
    for name, bundle in (cell.get("attachments") or {}).items():
        for data in (bundle or {}).values():
            images.append((f"pièce jointe « {name} »", len(str(data)) * 3 // 4))
    for match in DATA_URI.finditer(cell_source(cell)):
        images.append(("image data:", len(re.sub(r"\s", "", match.group(1))) * 3 // 4))
    return images


def check_image_sizes(nb: Notebook) -> list[Problem]:
    """Images pasted into markdown cells stay small."""
    problems = []
    for index, cell in enumerate(nb.cells, start=1):
        for name, size in _embedded_images(cell):
            if size > nb.max_image_bytes:
                problems.append(
                    nb.problem(
                        "image-too-large",
                        f"{where(index)} : {name} pèse {size // 1000} ko "
                        f"(limite {nb.max_image_bytes // 1000} ko).",
                        "Réduisez l'image (largeur 1200 px au plus, PNG ou JPEG compressé) ; "
                        "une figure calculée doit être produite par le code, pas collée.",
                    )
                )
    return problems


class _Images(HTMLParser):
    """``<img>`` tags of an HTML fragment and whether they have a text alternative."""

    def __init__(self) -> None:
        super().__init__()
        self.missing: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            self.missing.append(dict(attrs).get("src") or "?")


def _images_without_alt(source: str) -> list[tuple[int, str]]:
    """(line, image) of every image without alternative text in a markdown source."""
    found = []
    for token in MarkdownIt("commonmark").parse(source):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "html_block":
            found += [(line, src) for src in _html_images(token.content)]
        for child in token.children or []:
            if child.type == "image" and not child.content.strip():
                found.append((line, str(child.attrs.get("src", "?"))))
            elif child.type == "html_inline":
                found += [(line, src) for src in _html_images(child.content)]
    return found


def _html_images(fragment: str) -> list[str]:
    parser = _Images()
    parser.feed(fragment)
    parser.close()
    return parser.missing


def check_image_alt(nb: Notebook) -> list[Problem]:
    """Every image in the text says what it shows (screen readers, broken links)."""
    return [
        nb.problem(
            "image-without-alt",
            f"{where(index, line)} : l'image « {src} » n'a pas de texte alternatif.",
            "Décrivez ce que montre l'image :  ![Carte des arbres remarquables](carte.png)  "
            'ou  <img src="carte.png" alt="Carte des arbres remarquables">.',
        )
        for index, source in nb.markdown_cells()
        for line, src in _images_without_alt(source)
    ]


def check_placeholders(nb: Notebook) -> list[Problem]:
    """Cells still holding the template's « À COMPLÉTER »."""
    problems = []
    for index, cell in enumerate(nb.cells, start=1):
        lines = cell_source(cell).splitlines()
        hit = next((n for n, text in enumerate(lines, 1) if has_placeholder(text)), None)
        if hit is not None:
            heading = lines[0].lstrip("# ").strip() if lines[0].startswith("#") else ""
            section = f" (« {heading} »)" if heading and cell.get("cell_type") == "markdown" else ""
            problems.append(
                nb.problem(
                    "placeholder-left",
                    f"{where(index, hit)}{section} : « {PLACEHOLDER} » reste à remplacer.",
                    "Écrivez votre texte (ou votre code) à la place du paragraphe à compléter.",
                )
            )
    return problems
