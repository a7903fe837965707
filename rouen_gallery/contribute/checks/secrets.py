"""No credentials in cells: API keys, tokens, passwords, known token shapes.

Values are never repeated in full in a message (the report may land in a CI log).
"""

from __future__ import annotations

import ast
import logging
import math
import re
from collections import Counter
from collections.abc import Iterator

from .base import Notebook, Problem, cell_source, fold, has_placeholder, where

log = logging.getLogger(__name__)

TOKEN_SHAPES = {
    "clé d'accès AWS": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "jeton GitHub": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
    "jeton GitLab": re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"),
    "jeton Slack": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "clé d'API Google": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "clé d'API (sk-…)": re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}"),
    "jeton JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    "clé privée": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
}
AUTH_HEADER = re.compile(
    r"(?i)\bauthorization\b[\"']?\s*[:=,]\s*[\"']?\s*(?:apikey|bearer|token|basic)\s+"
    r"([A-Za-z0-9._~+/=-]{8,})"
)
URL_PARAM = re.compile(
    r"(?i)[?&](?:api[_-]?key|apikey|access_token|token|password|secret)=([^&\s\"'#]{8,})"
)
URL_CREDENTIALS = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@\"']+:([^/\s@\"']{4,})@")
SENSITIVE_WORDS = {
    "password", "passwd", "pwd", "pass", "motdepasse", "mdp", "secret", "token", "apikey",
    "credential", "credentials", "auth", "bearer",
}  # fmt: skip
SENSITIVE_PAIRS = {("api", "key"), ("access", "key"), ("private", "key"), ("de", "passe")}
KEY_WORDS = {"key", "cle"}
ASSIGNMENT = re.compile(
    r"(?im)^\s*[\w.\[\]\"']*?(pass(?:word|wd)?|secret|token|api_?key|apikey)\w*[\"']?\s*"
    r"[:=]\s*[\"']([^\"'\s]{6,})[\"']"
)
_PLACEHOLDERS = {"changeme", "xxx", "votre_cle", "your_api_key", "none", "null", "secret"}

FIX = (
    "Retirez la valeur du notebook : lisez-la depuis l'environnement (par ex. la clé du "
    "portail dans OPENDATA_API_KEY, que load_dataset utilise déjà). Si elle a été poussée, "
    "révoquez-la : l'historique git la garde."
)


def mask(value: str) -> str:
    """``abcd…`` — enough to find the value, not enough to use it."""
    return f"{value[:4]}…" if len(value) > 6 else "…"


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _placeholder(value: str) -> bool:
    text = value.strip().lower()
    return (
        not text
        or text in _PLACEHOLDERS
        or text[0] in "<{$%"
        or len(set(text)) <= 2
        or has_placeholder(value)
    )


def name_words(name: str) -> list[str]:
    """``apiKey`` → ``["api", "key"]``; ``mot_de_passe`` → ``["mot", "de", "passe"]``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^a-z0-9]+", fold(spaced)) if w]


def _sensitive(words: list[str]) -> bool:
    pairs = set(zip(words, words[1:], strict=False))
    return bool(SENSITIVE_WORDS & set(words) or SENSITIVE_PAIRS & pairs)


def _suspicious(name: str, value: str) -> bool:
    """A literal value assigned to a credential-like name."""
    if _placeholder(value) or any(c.isspace() for c in value):
        return False
    words = name_words(name)
    if _sensitive(words):
        return len(value) >= 6
    if KEY_WORDS & set(words):
        return (
            len(value) >= 20
            and entropy(value) >= 3.5
            and any(c.isdigit() for c in value)
            and any(c.isalpha() for c in value)
        )
    return False


def _target_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    return ""


def _literal_pairs(tree: ast.Module) -> Iterator[tuple[int, str, str]]:
    """(line, name, value) of string literals given a name: assignments, dicts, keywords."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                for target in targets:
                    yield node.lineno, _target_name(target), node.value.value
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    yield value.lineno, str(key.value), value.value
        elif (
            isinstance(node, ast.keyword)
            and node.arg
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            yield node.value.lineno, node.arg, node.value.value


def _text_findings(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, what, value) found by shape in any text, code or markdown."""
    for number, line in enumerate(source.splitlines(), start=1):
        for label, pattern in TOKEN_SHAPES.items():
            for match in pattern.finditer(line):
                yield number, label, match.group(0)
        for pattern, label in (
            (AUTH_HEADER, "en-tête Authorization"),
            (URL_PARAM, "clé dans une adresse"),
            (URL_CREDENTIALS, "mot de passe dans une adresse"),
        ):
            for match in pattern.finditer(line):
                if not _placeholder(match.group(1)):
                    yield number, label, match.group(1)


def _cell_findings(nb: Notebook) -> Iterator[tuple[int, int, str, str]]:
    parsed = {cell.index: cell.tree for cell in nb.code_cells}
    for index, cell in enumerate(nb.cells, start=1):
        source = cell_source(cell)
        for line, label, value in _text_findings(source):
            yield index, line, label, value
        tree = parsed.get(index)
        if tree is not None:
            for line, name, value in _literal_pairs(tree):
                if _suspicious(name, value):
                    yield index, line, f"valeur de « {name} »", value
        else:
            for match in ASSIGNMENT.finditer(source):
                if not _placeholder(match.group(2)):
                    line = source.count("\n", 0, match.start()) + 1
                    yield index, line, f"valeur de « {match.group(1)} »", match.group(2)


def check_secrets(nb: Notebook) -> list[Problem]:
    """Credentials written in a cell (code, markdown or raw)."""
    problems = []
    seen: set[tuple[int, str]] = set()
    for index, line, label, value in sorted(_cell_findings(nb)):
        if (index, value) in seen:
            continue
        seen.add((index, value))
        problems.append(
            nb.problem(
                "secret-in-cell",
                f"{where(index, line)} : ce qui ressemble à un secret ({label} : {mask(value)}).",
                FIX,
            )
        )
    return problems
