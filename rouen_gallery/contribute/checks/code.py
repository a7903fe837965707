"""Checks of the code cells: data only through ``load_dataset``, sources shown, valid Python."""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator

from .base import CodeCell, Notebook, Problem, call_name, has_placeholder, snippet, where
from .record import unknown_dataset

log = logging.getLogger(__name__)

READERS = {
    "open", "urlopen", "urlretrieve", "read_csv", "read_parquet", "read_json", "read_excel",
    "read_table", "read_fwf", "read_feather", "read_orc", "read_sql", "read_sql_query",
    "read_sql_table", "read_html", "read_xml", "read_pickle", "read_spss", "read_stata",
    "read_sas", "read_hdf", "read_file", "read_text", "read_bytes", "loadtxt", "genfromtxt",
    "fromfile", "scan_csv", "scan_parquet", "ZipFile", "TarFile",
}  # fmt: skip
"""Calls that read a file or a URL (pandas, polars, geopandas, numpy, pathlib, urllib)."""
NETWORK_MODULES = {
    "requests", "httpx", "urllib3", "urllib.request", "aiohttp", "http.client", "ftplib",
    "pycurl", "wget", "gdown", "socket",
}  # fmt: skip
SHELL_FETCH = re.compile(
    r"\b(wget|curl|aria2c|scp|rsync|gsutil|gdown|kaggle|cat|head|tail|cp|unzip|tar)\b|https?://"
)
SHELL_CALLS = {"system", "getoutput"}
SHELL_MAGICS = {"bash", "sh", "script", "system", "sx", "load"}
DIRECT_TEXT = re.compile(
    r"\bopen\(|\.read_\w+\(|\brequests\.|\burllib\b|\bhttpx\b|\burlopen\(|^\s*!\s*(wget|curl)\b",
    re.MULTILINE,
)
DATA_FIX = (
    "Chargez les données avec  from rouen_opendata import load_dataset  puis "
    'load_dataset("clé") : la galerie garde ainsi la source, la licence et la date de '
    "chaque chiffre, et le notebook marche hors ligne. Un jeu absent du registre s'ajoute "
    "à data/registry.yaml (voir CONTRIBUTING.md)."
)


def _is_get_ipython(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and call_name(node) == "get_ipython"


def _shell_fetch(node: ast.Call) -> bool:
    """``!wget …``, ``%%bash`` with curl…: IPython syntax turned into a call by the parser."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and _is_get_ipython(func.value)):
        return False
    texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if func.attr in SHELL_CALLS:
        return any(SHELL_FETCH.search(t) for t in texts)
    if func.attr in ("run_line_magic", "run_cell_magic") and texts and texts[0] in SHELL_MAGICS:
        return any(SHELL_FETCH.search(t) for t in texts[1:]) or texts[0] == "load"
    return False


def _direct_access(cell: CodeCell) -> Iterator[tuple[int, str]]:
    """(line, what) of every direct read in a parsed cell."""
    for node in ast.walk(cell.tree) if cell.tree else ():
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in NETWORK_MODULES or alias.name == "urllib":
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if (
                node.module in NETWORK_MODULES
                or node.module.split(".")[0] in NETWORK_MODULES
                or (node.module == "urllib" and "request" in names)
            ):
                yield node.lineno, f"from {node.module} import …"
        elif isinstance(node, ast.Call):
            if _shell_fetch(node):
                yield node.lineno, "commande shell"
            elif call_name(node) in READERS:
                yield node.lineno, f"{call_name(node)}(…)"


def check_data_access(nb: Notebook) -> list[Problem]:
    """Code cells never open files or URLs themselves: the data layer is the only door."""
    problems = []
    for cell in nb.code_cells:
        if cell.tree is not None:
            found = list(_direct_access(cell))
        else:
            found = [
                (cell.source.count("\n", 0, m.start()) + 1, m.group(0).strip())
                for m in DIRECT_TEXT.finditer(cell.source)
            ]
        for line, what in sorted(found):
            problems.append(
                nb.problem(
                    "direct-data-access",
                    f"{where(cell.index, line)} : lecture directe de données ({what}) : "
                    f"« {snippet(cell.source, line)} ».",
                    DATA_FIX,
                )
            )
    return problems


def check_syntax(nb: Notebook) -> list[Problem]:
    """Every code cell is Python (the other code checks cannot read it otherwise)."""
    return [
        nb.problem(
            "syntax-error",
            f"{where(cell.index)} : le code ne se lit pas en Python ({cell.error}).",
            "Corrigez la cellule (JupyterLab souligne l'erreur) puis relancez la validation.",
        )
        for cell in nb.code_cells
        if cell.tree is None
    ]


def _loaded_keys(nb: Notebook) -> Iterator[tuple[int, int, str]]:
    """(cell, line, key) of ``load_dataset("key", …)`` calls with a literal key."""
    for cell in nb.code_cells:
        for node in ast.walk(cell.tree) if cell.tree else ():
            if not isinstance(node, ast.Call) or call_name(node) != "load_dataset":
                continue
            args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "key")]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield cell.index, node.lineno, arg.value


def check_loaded_datasets(nb: Notebook) -> list[Problem]:
    """Datasets the code loads exist and are listed in the record (page sources, cache)."""
    raw = nb.raw_record if isinstance(nb.raw_record, dict) else {}
    # Without a list in the record there is nothing to compare with (the record check says so).
    declared = raw.get("datasets") if isinstance(raw.get("datasets"), list) else None
    problems = []
    for index, line, key in _loaded_keys(nb):
        if has_placeholder(key):
            continue  # reported as placeholder-left
        if key not in nb.registry_keys:
            problems.append(unknown_dataset(key, nb.registry_keys, nb.path, where(index, line)))
        elif declared is not None and key not in declared:
            problems.append(
                nb.problem(
                    "dataset-not-declared",
                    f"{where(index, line)} : le code charge « {key} », absent de la liste "
                    "« datasets » de la fiche.",
                    f"Ajoutez « {key} » à datasets dans la fiche « reuse » : la page cite ses "
                    "sources depuis cette liste, et la galerie ré-exécute le notebook quand "
                    "ces données changent.",
                )
            )
    return problems


def _shows_sources(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if call_name(node) == "provenance_footer":
            return True
        # A board that builds its own sources footer (the Explorateur's, whose datasets
        # change with the reader's choice) shows it with display(board.footer).
        if call_name(node) == "display" and any(
            isinstance(arg, ast.Attribute) and arg.attr == "footer" for arg in node.args
        ):
            return True
        if call_name(node) == "dashboard":
            footer = next((k.value for k in node.keywords if k.arg == "footer"), None)
            if not (isinstance(footer, ast.Constant) and footer.value is False):
                return True
    return False


def check_provenance_footer(nb: Notebook) -> list[Problem]:
    """The notebook shows where its numbers come from (sources footer)."""
    trees = [c.tree for c in nb.code_cells if c.tree is not None]
    texts = [c.source for c in nb.code_cells if c.tree is None]
    if any(_shows_sources(t) for t in trees) or any("provenance_footer(" in t for t in texts):
        return []
    return [
        nb.problem(
            "no-provenance-footer",
            "Le notebook n'affiche pas le pied de page des sources.",
            "Terminez par une cellule  from widgets import provenance_footer  puis  "
            "display(provenance_footer([provenance, …]))  avec la provenance de chaque jeu "
            "chargé par load_dataset.",
        )
    ]
