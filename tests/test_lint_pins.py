"""`make lint`, the pre-commit hooks and CI run the same tools at the same versions."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent
# pre-commit repository → the PyPI distribution it runs
HOOK_DISTRIBUTIONS = {
    "https://github.com/astral-sh/ruff-pre-commit": "ruff",
    "https://github.com/kynan/nbstripout": "nbstripout",
}


def _dev_pins() -> dict[str, str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = {}
    for requirement in pyproject["project"]["optional-dependencies"]["dev"]:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^;\s]+)", requirement)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def _hooks() -> list[dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return config["repos"]


def test_pre_commit_revs_are_the_dev_extra_pins():
    pins = _dev_pins()
    remote = [repo for repo in _hooks() if repo["repo"] != "local"]
    assert {repo["repo"] for repo in remote} == set(HOOK_DISTRIBUTIONS)
    for repo in remote:
        assert repo["rev"].lstrip("v") == pins[HOOK_DISTRIBUTIONS[repo["repo"]]], repo["repo"]


def test_type_and_import_checkers_are_pinned_and_run_by_lint_and_pre_commit():
    pins = _dev_pins()
    assert "mypy" in pins and "import-linter" in pins
    local = [hook for repo in _hooks() if repo["repo"] == "local" for hook in repo["hooks"]]
    assert [hook["entry"] for hook in local] == ["mypy", "lint-imports"]
    lint = _make_target("lint")
    assert "$(BIN)/mypy" in lint and "$(BIN)/lint-imports" in lint


def _make_target(name: str) -> str:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{name}:.*\n((?:\t.*\n)+)", text, re.M)
    assert match, name
    return match.group(1)


def test_lint_strips_notebooks_with_the_hooks_options():
    (nbstripout,) = [
        hook for repo in _hooks() if repo["repo"].endswith("/nbstripout") for hook in repo["hooks"]
    ]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    command = re.search(r"^NBSTRIPOUT := (.*)$", makefile, re.M).group(1)
    assert command.split()[1:] == nbstripout["args"]
    assert "$(NBSTRIPOUT) --verify" in _make_target("lint")


def test_ci_runs_lint_and_tests():
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.startswith("make ")
    ]
    assert commands == ["make lint", "make test"]
