"""pyproject.toml (pip) and environment.yml (conda / Binder) declare the same runtime set."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent
# Conda-only entries: the interpreter, pip itself, and Node.js for the offline widget assets.
CONDA_ONLY = {"python", "pip", "nodejs"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_conda_environment_matches_pyproject_dependencies():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pip_deps = dict(_split(r) for r in pyproject["project"]["dependencies"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_deps = dict(
        _split(d)
        for d in env["dependencies"]
        if isinstance(d, str) and _split(d)[0] not in CONDA_ONLY
    )
    assert conda_deps == pip_deps


def test_conda_environment_installs_the_project_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_section == [{"pip": ["-e ."]}]
    assert env["channels"] == ["conda-forge"]
